import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { OptionsError, ProtocolError } from '../../errors.js';
import type { SessionOwner } from './protocol-session.js';
import { SessionStore } from './session-store.js';

const owner = (): SessionOwner => ({ displaced: () => {}, transmit: () => {} });

describe('SessionStore', () => {
  it('creates sessions with crypto.randomUUID ids by default and finds them by id', () => {
    const store = new SessionStore();
    const session = store.create();
    expect(session.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.get(session.id)).toBe(session);
    expect(store.get('unknown')).toBeUndefined();
  });

  it('evicts the session idle longest when full, with an evicted event naming it', () => {
    const clock = new ManualClock();
    let n = 0;
    const store = new SessionStore({ clock, maxSessions: 2, createId: () => `s${++n}` });
    const events: unknown[] = [];
    store.on('evicted', (e) => events.push(e));
    const s1 = store.create();
    store.create();
    const o = owner();
    s1.attach(clock.now(), o);
    clock.advance(50);
    s1.detach(clock.now(), o);
    store.touch(s1);
    clock.advance(10);
    store.create();
    expect(events).toEqual([{ sessionId: 's2', reason: 'capacity', idleMs: 60, unackedFrames: 0 }]);
    expect([store.get('s1'), store.get('s2'), store.size]).toEqual([s1, undefined, 2]);
  });

  it('never evicts an attached session, and fails with WS_KIT_ERR_SESSION_LIMIT when all are attached', () => {
    const store = new SessionStore({ maxSessions: 1 });
    store.create().attach(0, owner());
    expect(() => store.create()).toThrowError(ProtocolError);
    expect(() => store.create()).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_SESSION_LIMIT',
        message: 'SessionStore: 1 sessions, all attached; none can be evicted for a new one',
      }),
    );
  });

  it('rejects an unknown option with WS_KIT_ERR_INVALID_OPTION', () => {
    expect(() => new SessionStore({ maxSesions: 3 } as never)).toThrowError(OptionsError);
    expect(() => new SessionStore({ maxSessions: 0 })).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: 'SessionStore.maxSessions must be an integer >= 1, got 0',
      }),
    );
  });

  it('rejects a createId that returns an id already in use', () => {
    const store = new SessionStore({ createId: () => 'same' });
    store.create();
    expect(() => store.create()).toThrowError(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});
