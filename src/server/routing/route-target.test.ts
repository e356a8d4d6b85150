import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../errors.js';
import { checkRouteTarget, matchesTarget, type RouteSubject } from './route-target.js';

const alice: RouteSubject = {
  id: 'c1',
  userId: 'alice',
  roles: ['admin', 'ops'],
  tags: { region: 'eu', tier: 'gold' },
  channels: new Set(['news', 'chat']),
};
const anon: RouteSubject = { id: 'c2', roles: [], tags: {}, channels: ['news'] };

describe('matchesTarget', () => {
  it('addresses everyone with an empty target', () => {
    expect(matchesTarget(alice, {})).toBe(true);
    expect(matchesTarget(anon, {})).toBe(true);
  });

  it('matches a channel the connection subscribed to, from a Set or an array', () => {
    expect(matchesTarget(alice, { channel: 'chat' })).toBe(true);
    expect(matchesTarget(anon, { channel: 'chat' })).toBe(false);
    expect(matchesTarget(anon, { channel: 'news' })).toBe(true);
  });

  it('matches users only for a connection with one of the user ids', () => {
    expect(matchesTarget(alice, { users: ['bob', 'alice'] })).toBe(true);
    expect(matchesTarget(alice, { users: ['bob'] })).toBe(false);
    expect(matchesTarget(anon, { users: ['bob'] })).toBe(false);
    expect(matchesTarget(alice, { users: [] })).toBe(false);
  });

  it('matches roles when at least one role is shared', () => {
    expect(matchesTarget(alice, { roles: ['viewer', 'ops'] })).toBe(true);
    expect(matchesTarget(alice, { roles: ['viewer'] })).toBe(false);
    expect(matchesTarget(alice, { roles: [] })).toBe(false);
  });

  it('matches tags only when every given pair is present with the same value', () => {
    expect(matchesTarget(alice, { tags: { region: 'eu' } })).toBe(true);
    expect(matchesTarget(alice, { tags: { region: 'eu', tier: 'silver' } })).toBe(false);
    expect(matchesTarget(anon, { tags: { toString: 'x' } })).toBe(false);
    expect(matchesTarget(anon, { tags: {} })).toBe(true);
  });

  it('excludes connection ids listed in except even when everything else holds', () => {
    expect(matchesTarget(alice, { channel: 'chat', except: ['c1'] })).toBe(false);
    expect(matchesTarget(alice, { channel: 'chat', except: ['c9'] })).toBe(true);
  });

  it('requires every given criterion at once', () => {
    expect(matchesTarget(alice, { channel: 'chat', roles: ['admin'], tags: { region: 'eu' } })).toBe(true);
    expect(matchesTarget(alice, { channel: 'chat', roles: ['admin'], tags: { region: 'us' } })).toBe(false);
    expect(matchesTarget(alice, { channel: 'sports', users: ['alice'] })).toBe(false);
  });
});

describe('checkRouteTarget', () => {
  it('returns a valid target unchanged', () => {
    const target = { channel: 'a', users: ['u'], roles: ['r'], tags: { k: 'v' }, except: ['c'] };
    expect(checkRouteTarget(target)).toBe(target);
  });

  it('rejects an unknown key and fields of the wrong type with coded errors', () => {
    const check = (t: unknown, message: string) => {
      const run = () => checkRouteTarget(t);
      expect(run).toThrowError(OptionsError);
      expect(run).toThrowError(expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }));
      expect(run).toThrowError(message);
    };
    check({ user: ['u'] }, 'target.user must be absent');
    check({ users: 'u' }, 'target.users must be an array of strings, got "u"');
    check({ tags: { a: 1 } }, 'target.tags must be an object of string values');
    check({ channel: 7 }, 'target.channel must be a string, got 7');
    check(null, 'target must be an object, got null');
  });
});
