import { createPublicKey, type JsonWebKey, KeyObject, type webcrypto } from 'node:crypto';
import type { JWK } from 'jose';
import { type Clock, systemClock } from '../../clock/clock.js';
import { OptionsError } from '../../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../../internal/options.js';
import type { TokenSource } from './token-source.js';

/** A public key in any form `createJwtAuthenticator` accepts. */
export type JwtPublicKey = webcrypto.CryptoKey | KeyObject | JWK | string;

/** Options of `createJwtAuthenticator`; give exactly one of `secret` and `publicKey`. */
export interface JwtAuthenticatorOptions {
  /**
   * The shared secret for HMAC tokens (HS256 by default); a string is UTF-8 encoded. RFC 7518 §3.2
   * asks for at least 32 bytes with HS256.
   * @default undefined
   */
  readonly secret?: string | Uint8Array | undefined;
  /**
   * The public key for signed tokens (RS256 by default): a `CryptoKey`, a Node `KeyObject`, a public
   * JWK object, or an SPKI PEM string (`-----BEGIN PUBLIC KEY-----`). Converted once, eagerly.
   * @default undefined
   */
  readonly publicKey?: JwtPublicKey | undefined;
  /**
   * The accepted `alg` header values; `undefined` means `['HS256']` with `secret` and `['RS256']`
   * with `publicKey`. HS256/384/512 with a secret; RS*, PS*, ES*, EdDSA with a public key.
   * @default undefined
   */
  readonly algorithms?: readonly string[] | undefined;
  /**
   * The required `aud` (any of them, when a list); `undefined` skips the audience check.
   * @default undefined
   */
  readonly audience?: string | readonly string[] | undefined;
  /**
   * The required `iss` (any of them, when a list); `undefined` skips the issuer check.
   * @default undefined
   */
  readonly issuer?: string | readonly string[] | undefined;
  /**
   * Seconds of leeway for `exp` and `nbf` (a finite number ≥ 0).
   * @default 0
   */
  readonly clockToleranceSec?: number;
  /**
   * Where to look for the token, in order; the first source holding one wins (see `TokenSource`).
   * @default ['header', 'query', 'protocol']
   */
  readonly tokenFrom?: readonly TokenSource[];
  /**
   * The query parameter holding the token.
   * @default 'token'
   */
  readonly queryParam?: string;
  /**
   * The prefix of the offered subprotocol holding the token (`bearer.<token>`).
   * @default 'bearer.'
   */
  readonly protocolPrefix?: string;
  /**
   * The claim read as the connection's `userId` (must be a string when present).
   * @default 'sub'
   */
  readonly userIdClaim?: string;
  /**
   * The claim read as the connection's `roles` (an array of strings, or one string, when present).
   * @default 'roles'
   */
  readonly rolesClaim?: string;
  /**
   * The claim read as the connection's `tags` (an object of string values, when present).
   * @default 'tags'
   */
  readonly tagsClaim?: string;
  /**
   * The wall clock (epoch milliseconds) that `exp` and `nbf` are checked against; inject a
   * `ManualClock` started at an epoch time in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The defaults of every {@link JwtAuthenticatorOptions} field. */
export const DEFAULT_JWT_AUTHENTICATOR_OPTIONS: Readonly<Required<JwtAuthenticatorOptions>> = Object.freeze({
  secret: undefined,
  publicKey: undefined,
  algorithms: undefined,
  audience: undefined,
  issuer: undefined,
  clockToleranceSec: 0,
  tokenFrom: Object.freeze(['header', 'query', 'protocol'] as const),
  queryParam: 'token',
  protocolPrefix: 'bearer.',
  userIdClaim: 'sub',
  rolesClaim: 'roles',
  tagsClaim: 'tags',
  clock: systemClock,
});

/** The resolved options (internal). */
export interface ResolvedJwtOptions {
  readonly key: Uint8Array | webcrypto.CryptoKey | KeyObject;
  readonly algorithms: readonly string[];
  readonly audience: string | string[] | undefined;
  readonly issuer: string | string[] | undefined;
  readonly clockToleranceSec: number;
  readonly tokenFrom: readonly TokenSource[];
  readonly queryParam: string;
  readonly protocolPrefix: string;
  readonly userIdClaim: string;
  readonly rolesClaim: string;
  readonly tagsClaim: string;
  readonly clock: Clock;
}

const HMAC = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
  ...['EdDSA', 'Ed25519'],
];
const SOURCES: readonly TokenSource[] = ['header', 'query', 'protocol'];

function invalid(name: string, expected: string, value: unknown, cause?: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_OPTION',
    `createJwtAuthenticator: ${name} must be ${expected}, got ${formatValue(value)}`,
    cause === undefined ? { expected, received: value } : { expected, received: value, cause },
  );
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalid(name, 'a non-empty string', value);
  return value as string;
}

function stringOrList(name: string, value: unknown): string | string[] | undefined {
  if (value === undefined || (typeof value === 'string' && value.length > 0)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)) {
    return [...value];
  }
  return invalid(name, 'a non-empty string or a non-empty array of them', value);
}

function toPublicKey(value: unknown): webcrypto.CryptoKey | KeyObject {
  if (value instanceof KeyObject) {
    if (value.type !== 'public') invalid('publicKey', 'a public KeyObject', value.type);
    return value;
  }
  const CryptoKeyClass = (globalThis as { CryptoKey?: abstract new () => webcrypto.CryptoKey }).CryptoKey;
  if (CryptoKeyClass !== undefined && value instanceof CryptoKeyClass) {
    if (value.type !== 'public') invalid('publicKey', 'a public CryptoKey', value.type);
    return value;
  }
  if (typeof value === 'string') {
    if (!value.includes('-----BEGIN PUBLIC KEY-----')) {
      invalid('publicKey', 'an SPKI PEM string (-----BEGIN PUBLIC KEY-----)', value);
    }
    try {
      return createPublicKey(value);
    } catch (error) {
      return invalid('publicKey', 'a parsable SPKI PEM string', value, error);
    }
  }
  if (typeof value === 'object' && value !== null && typeof (value as JWK).kty === 'string') {
    if ('d' in value) invalid('publicKey', 'a public JWK (without the private "d" member)', 'private JWK');
    try {
      return createPublicKey({ key: value as JsonWebKey, format: 'jwk' });
    } catch (error) {
      return invalid('publicKey', 'a valid public JWK', value, error);
    }
  }
  return invalid('publicKey', 'a CryptoKey, a KeyObject, a JWK or an SPKI PEM string', value);
}

/**
 * Validates `createJwtAuthenticator` options and converts the key (internal).
 *
 * @param options - what the user passed
 * @returns the resolved options
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown, missing or outside its range
 */
export function resolveJwtOptions(options: JwtAuthenticatorOptions): ResolvedJwtOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalid('options', 'an object', options);
  }
  checkKnownKeys('createJwtAuthenticator', options, DEFAULT_JWT_AUTHENTICATOR_OPTIONS);
  const o = { ...DEFAULT_JWT_AUTHENTICATOR_OPTIONS, ...options };
  if ((o.secret === undefined) === (o.publicKey === undefined)) {
    invalid('options', 'given exactly one of secret and publicKey', o.secret ?? o.publicKey);
  }
  let key: Uint8Array | webcrypto.CryptoKey | KeyObject;
  let family: string[];
  if (o.secret !== undefined) {
    if (typeof o.secret === 'string' && o.secret.length > 0) key = new TextEncoder().encode(o.secret);
    else if (o.secret instanceof Uint8Array && o.secret.byteLength > 0) key = o.secret;
    else key = invalid('secret', 'a non-empty string or Uint8Array', o.secret);
    family = HMAC;
  } else {
    key = toPublicKey(o.publicKey);
    family = ASYMMETRIC;
  }
  const algorithms = o.algorithms ?? [family === HMAC ? 'HS256' : 'RS256'];
  if (
    !Array.isArray(algorithms) ||
    algorithms.length === 0 ||
    algorithms.some((a) => typeof a !== 'string' || !family.includes(a))
  ) {
    invalid('algorithms', `a non-empty array of ${family.join(', ')}`, algorithms);
  }
  checkNumber('createJwtAuthenticator.clockToleranceSec', o.clockToleranceSec, { min: 0 });
  const tokenFrom = o.tokenFrom as unknown;
  if (
    !Array.isArray(tokenFrom) ||
    tokenFrom.length === 0 ||
    new Set(tokenFrom).size !== tokenFrom.length ||
    tokenFrom.some((s) => !SOURCES.includes(s as TokenSource))
  ) {
    invalid('tokenFrom', "a non-empty array of distinct 'header', 'query', 'protocol'", tokenFrom);
  }
  const clock = o.clock as Partial<Clock> | null;
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    invalid('clock', 'a Clock', clock);
  }
  return Object.freeze({
    key,
    algorithms: Object.freeze([...algorithms]),
    audience: stringOrList('audience', o.audience),
    issuer: stringOrList('issuer', o.issuer),
    clockToleranceSec: o.clockToleranceSec,
    tokenFrom: Object.freeze([...(tokenFrom as TokenSource[])]),
    queryParam: nonEmptyString('queryParam', o.queryParam),
    protocolPrefix: nonEmptyString('protocolPrefix', o.protocolPrefix),
    userIdClaim: nonEmptyString('userIdClaim', o.userIdClaim),
    rolesClaim: nonEmptyString('rolesClaim', o.rolesClaim),
    tagsClaim: nonEmptyString('tagsClaim', o.tagsClaim),
    clock: o.clock,
  });
}
