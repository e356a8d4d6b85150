import { type JWTPayload, jwtVerify } from 'jose';
import { type JwtAuthenticatorOptions, type ResolvedJwtOptions, resolveJwtOptions } from './jwt-options.js';
import { findToken } from './token-source.js';
import type { Authenticate, AuthRejection, AuthRequest, AuthResult } from './types.js';

const reject = (reason: string): AuthRejection => ({ status: 401, reason });

/**
 * Creates an {@link Authenticate} hook that verifies a JSON Web Token with `jose` (`jwtVerify`):
 * signature (HS256 with `secret`, RS256 with `publicKey`, or the configured `algorithms`), `exp` and
 * `nbf` against `clock` with `clockToleranceSec` of leeway, and `aud` / `iss` when configured. The
 * token is read from the `Authorization: Bearer` header, the `token` query parameter or an offered
 * `bearer.<token>` subprotocol (see `tokenFrom`). Claims map to `{ userId: sub, roles, tags }`.
 *
 * The hook never throws: every failure resolves to `{ status: 401, reason }`, where `reason` names
 * the failed check — `'missing token'`, `'malformed token'`, `'bad signature'`,
 * `'algorithm not allowed'`, `'exp: token expired'`, `'nbf: token not yet valid'`,
 * `'aud: audience mismatch'`, `'iss: issuer mismatch'`, `'<claim>: …'` for other claim checks and
 * for claims of the wrong type. No network access: remote key sets are not supported.
 *
 * @param options - see {@link JwtAuthenticatorOptions}; exactly one of `secret` and `publicKey`
 * @returns the hook, for `MockServer.start({ authenticate })` or a custom server's upgrade handler
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown, missing or invalid (checked now,
 *   including parsing the key)
 *
 * @example
 * ```ts
 * const authenticate = createJwtAuthenticator({ secret: process.env.JWT_SECRET, audience: 'chat' });
 * await using server = await MockServer.start({ authenticate });
 * ```
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticate<AuthRequest> {
  const o = resolveJwtOptions(options);
  return async (request: AuthRequest): Promise<AuthResult | AuthRejection> => {
    let found: ReturnType<typeof findToken>;
    try {
      found = findToken(request, o.tokenFrom, o.queryParam, o.protocolPrefix);
    } catch {
      found = undefined;
    }
    if (found === undefined) return reject('missing token');
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(found.token, o.key, {
        algorithms: [...o.algorithms],
        clockTolerance: o.clockToleranceSec,
        currentDate: new Date(o.clock.now()),
        ...(o.audience === undefined ? {} : { audience: o.audience }),
        ...(o.issuer === undefined ? {} : { issuer: o.issuer }),
      });
      payload = verified.payload;
    } catch (error) {
      return reject(describeFailure(error));
    }
    return mapClaims(payload, o);
  };
}

function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; claim?: unknown; reason?: unknown };
  switch (e?.code) {
    case 'ERR_JWT_EXPIRED':
      return 'exp: token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'nbf') return 'nbf: token not yet valid';
      if (e.claim === 'aud') return 'aud: audience mismatch';
      if (e.claim === 'iss') return 'iss: issuer mismatch';
      return `${String(e.claim)}: claim check failed (${String(e.reason)})`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed token';
    default:
      return `token rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function mapClaims(payload: JWTPayload, o: ResolvedJwtOptions): AuthResult | AuthRejection {
  const userId = payload[o.userIdClaim];
  if (userId !== undefined && typeof userId !== 'string') {
    return reject(`${o.userIdClaim}: claim must be a string`);
  }
  let roles = payload[o.rolesClaim];
  if (typeof roles === 'string') roles = [roles];
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))) {
    return reject(`${o.rolesClaim}: claim must be an array of strings`);
  }
  const tags = payload[o.tagsClaim];
  if (
    tags !== undefined &&
    (typeof tags !== 'object' ||
      tags === null ||
      Array.isArray(tags) ||
      Object.values(tags).some((v) => typeof v !== 'string'))
  ) {
    return reject(`${o.tagsClaim}: claim must be an object of string values`);
  }
  const result: { userId?: string; roles?: string[]; tags?: Record<string, string> } = {};
  if (userId !== undefined) result.userId = userId;
  if (roles !== undefined) result.roles = roles as string[];
  if (tags !== undefined) result.tags = { ...(tags as Record<string, string>) };
  return result;
}
