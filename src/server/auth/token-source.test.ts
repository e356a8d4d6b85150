import { describe, expect, it } from 'vitest';
import { findToken, parseProtocolHeader, stripTokenProtocol } from './token-source.js';
import { isAuthRejection } from './types.js';

describe('stripTokenProtocol', () => {
  it('removes the bearer. entries and keeps the others in order', () => {
    expect(stripTokenProtocol(new Set(['semantest-v2', 'bearer.abc.def.ghi', 'semantest-v1']))).toEqual([
      'semantest-v2',
      'semantest-v1',
    ]);
  });

  it('uses the given prefix', () => {
    expect(stripTokenProtocol(['jwt-abc', 'bearer.x'], 'jwt-')).toEqual(['bearer.x']);
  });
});

describe('parseProtocolHeader', () => {
  it('splits on commas, trims and drops empty entries', () => {
    expect(parseProtocolHeader(' a ,b,, c')).toEqual(['a', 'b', 'c']);
    expect(parseProtocolHeader(undefined)).toEqual([]);
  });
});

describe('findToken', () => {
  const sources = ['header', 'query', 'protocol'] as const;

  it('accepts the Bearer scheme case-insensitively and ignores other schemes', () => {
    expect(findToken({ headers: { authorization: 'bEaReR t1' } }, sources, 'token', 'bearer.')).toEqual({
      source: 'header',
      token: 't1',
    });
    expect(findToken({ headers: { authorization: 'Basic dTpw' } }, sources, 'token', 'bearer.')).toBe(
      undefined,
    );
  });

  it('skips an empty query parameter and falls through to the subprotocol', () => {
    const request = { headers: { 'sec-websocket-protocol': 'bearer.t3' }, url: '/?token=' };
    expect(findToken(request, sources, 'token', 'bearer.')).toEqual({ source: 'protocol', token: 't3' });
  });
});

describe('isAuthRejection', () => {
  it('tells a rejection (numeric status) from a result', () => {
    expect(isAuthRejection({ status: 403, reason: 'no' })).toBe(true);
    expect(isAuthRejection({ userId: 'u1', roles: ['a'] })).toBe(false);
    expect(isAuthRejection({})).toBe(false);
  });
});
