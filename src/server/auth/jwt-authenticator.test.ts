import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock.js';
import { OptionsError } from '../../errors.js';
import { createJwtAuthenticator } from './jwt-authenticator.js';
import { DEFAULT_JWT_AUTHENTICATOR_OPTIONS, type JwtPublicKey } from './jwt-options.js';
import type { Authenticate, AuthRequest } from './types.js';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const NOW_SEC = Date.UTC(2030, 0, 1) / 1000;
const clock = () => new ManualClock(NOW_SEC * 1000);

function hs(payload: JWTPayload, secret: string = SECRET, alg = 'HS256'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
}

const viaHeader = (token: string): AuthRequest => ({ headers: { authorization: `Bearer ${token}` } });

describe('createJwtAuthenticator with HS256', () => {
  it('accepts a valid token and maps sub, roles and tags', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1', roles: ['admin'], tags: { team: 'red' }, exp: NOW_SEC + 60 });
    expect(await auth(viaHeader(token))).toEqual({ userId: 'u1', roles: ['admin'], tags: { team: 'red' } });
  });

  it('rejects an expired token with 401 naming exp', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1', exp: NOW_SEC - 1 });
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'exp: token expired' });
  });

  it('accepts an expired token within clockToleranceSec', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock(), clockToleranceSec: 5 });
    const token = await hs({ sub: 'u1', exp: NOW_SEC - 3 });
    expect(await auth(viaHeader(token))).toEqual({ userId: 'u1' });
  });

  it('checks exp against the injected clock as it advances', async () => {
    const c = clock();
    const auth = createJwtAuthenticator({ secret: SECRET, clock: c });
    const token = await hs({ sub: 'u1', exp: NOW_SEC + 10 });
    expect(await auth(viaHeader(token))).toEqual({ userId: 'u1' });
    c.advance(10_000);
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'exp: token expired' });
  });

  it('rejects a token that is not valid yet with 401 naming nbf', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1', nbf: NOW_SEC + 30 });
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'nbf: token not yet valid' });
  });

  it('rejects a token for another audience with 401 naming aud', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock(), audience: 'chat' });
    const token = await hs({ sub: 'u1', aud: 'billing' });
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'aud: audience mismatch' });
    expect(await auth(viaHeader(await hs({ sub: 'u1', aud: ['x', 'chat'] })))).toEqual({ userId: 'u1' });
  });

  it('rejects a token from another issuer with 401 naming iss', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock(), issuer: 'https://idp' });
    const token = await hs({ sub: 'u1', iss: 'https://evil' });
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'iss: issuer mismatch' });
  });

  it('rejects a token signed with another secret as a bad signature', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1' }, 'another-secret-that-is-also-32-bytes-long!');
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'bad signature' });
  });

  it('rejects an algorithm outside the accepted list', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1' }, SECRET, 'HS512');
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'algorithm not allowed' });
  });

  it('rejects a malformed token and a missing one', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    expect(await auth(viaHeader('not.a.jwt'))).toEqual({ status: 401, reason: 'malformed token' });
    expect(await auth({ headers: {}, url: '/' })).toEqual({ status: 401, reason: 'missing token' });
  });

  it('rejects claims of the wrong type naming the claim', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    expect(await auth(viaHeader(await hs({ sub: 'u1', roles: [1] })))).toEqual({
      status: 401,
      reason: 'roles: claim must be an array of strings',
    });
    expect(await auth(viaHeader(await hs({ sub: 'u1', tags: { a: 1 } })))).toEqual({
      status: 401,
      reason: 'tags: claim must be an object of string values',
    });
  });

  it('reads the claims named by userIdClaim, rolesClaim and tagsClaim', async () => {
    const auth = createJwtAuthenticator({
      secret: SECRET,
      clock: clock(),
      userIdClaim: 'uid',
      rolesClaim: 'scope',
      tagsClaim: 'meta',
    });
    const token = await hs({ sub: 'ignored', uid: 'u9', scope: 'reader', meta: { region: 'eu' } });
    expect(await auth(viaHeader(token))).toEqual({ userId: 'u9', roles: ['reader'], tags: { region: 'eu' } });
  });
});

describe('createJwtAuthenticator token sources', () => {
  it('reads the token from the query parameter and from a bearer. subprotocol', async () => {
    const auth = createJwtAuthenticator({ secret: SECRET, clock: clock() });
    const token = await hs({ sub: 'u1' });
    expect(await auth({ headers: {}, url: `/ws?x=1&token=${token}` })).toEqual({ userId: 'u1' });
    const offered = { 'sec-websocket-protocol': `semantest-v1, bearer.${token}` };
    expect(await auth({ headers: offered, url: '/ws' })).toEqual({ userId: 'u1' });
  });

  it('tries the sources in tokenFrom order and ignores the others', async () => {
    const good = await hs({ sub: 'from-query' });
    const request: AuthRequest = { headers: { authorization: 'Bearer garbage' }, url: `/?t=${good}` };
    const queryFirst = createJwtAuthenticator({
      secret: SECRET,
      clock: clock(),
      tokenFrom: ['query', 'header'],
      queryParam: 't',
    });
    expect(await queryFirst(request)).toEqual({ userId: 'from-query' });
    const headerOnly = createJwtAuthenticator({ secret: SECRET, clock: clock(), tokenFrom: ['header'] });
    expect(await headerOnly(request)).toEqual({ status: 401, reason: 'malformed token' });
    const protocolOnly = createJwtAuthenticator({ secret: SECRET, clock: clock(), tokenFrom: ['protocol'] });
    expect(await protocolOnly(request)).toEqual({ status: 401, reason: 'missing token' });
  });
});

describe('createJwtAuthenticator with RS256', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let token: string;
  beforeAll(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
    token = await new SignJWT({ sub: 'r1', roles: ['viewer'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime(NOW_SEC + 60)
      .sign(keys.privateKey);
  });

  it('verifies with the public KeyObject, a CryptoKey, its SPKI PEM and its JWK', async () => {
    const pem = await exportSPKI(keys.publicKey);
    const jwk = await exportJWK(keys.publicKey);
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      'jwk',
      jwk as JsonWebKey,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    );
    const keyObject = keys.publicKey as KeyObject;
    for (const publicKey of [keyObject, cryptoKey, pem, jwk] as JwtPublicKey[]) {
      const auth = createJwtAuthenticator({ publicKey, clock: clock() });
      expect(await auth(viaHeader(token))).toEqual({ userId: 'r1', roles: ['viewer'] });
    }
  });

  it('rejects a token signed by another key pair as a bad signature', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const auth = createJwtAuthenticator({ publicKey: other, clock: clock() });
    expect(await auth(viaHeader(token))).toEqual({ status: 401, reason: 'bad signature' });
  });

  it('rejects an HS256 token made with the public key as the secret (algorithm confusion)', async () => {
    const pem = await exportSPKI(keys.publicKey);
    const forged = await hs({ sub: 'attacker' }, pem);
    const auth = createJwtAuthenticator({ publicKey: pem, clock: clock() });
    expect(await auth(viaHeader(forged))).toEqual({ status: 401, reason: 'algorithm not allowed' });
  });
});

describe('createJwtAuthenticator options', () => {
  const bad = (options: object, message: string) => {
    const run = () => createJwtAuthenticator(options);
    expect(run).toThrowError(OptionsError);
    expect(run).toThrowError(expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_OPTION' }));
    expect(run).toThrowError(message);
  };

  it('requires exactly one of secret and publicKey', () => {
    bad({}, 'createJwtAuthenticator: options must be given exactly one of secret and publicKey');
    bad({ secret: SECRET, publicKey: 'x' }, 'exactly one of secret and publicKey');
  });

  it('rejects an unparsable PEM, a private JWK and an algorithm of the wrong family', () => {
    bad({ publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, 'parsable SPKI PEM');
    bad({ publicKey: { kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' } }, 'a public JWK');
    bad({ secret: SECRET, algorithms: ['RS256'] }, 'algorithms must be a non-empty array of HS256');
  });

  it('rejects unknown keys, bad token sources and negative tolerance', () => {
    bad({ secret: SECRET, audiance: 'x' }, "unknown option 'audiance'");
    bad({ secret: SECRET, tokenFrom: ['cookie'] }, 'tokenFrom must be');
    bad({ secret: SECRET, tokenFrom: [] }, 'tokenFrom must be');
    bad({ secret: SECRET, clockToleranceSec: -1 }, 'clockToleranceSec must be a finite number >= 0');
  });

  it('returns a hook that fits the server option typed for IncomingMessage', () => {
    const hook: Authenticate = createJwtAuthenticator({ secret: SECRET });
    expect(typeof hook).toBe('function');
  });

  it('has frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_JWT_AUTHENTICATOR_OPTIONS)).toBe(true);
    expect(DEFAULT_JWT_AUTHENTICATOR_OPTIONS.tokenFrom).toEqual(['header', 'query', 'protocol']);
  });
});
