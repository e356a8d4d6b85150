import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../errors.js';
import { encodeFrame, nackFrame, readWelcome } from '../../framing/index.js';
import { ack, connect, data, hello, names, setup } from './endpoint-harness.js';

describe('ServerProtocolEndpoint: server → client data and resume', () => {
  it('sequences sendData per channel from 1 and sends it with the given priority', () => {
    const { endpoint, take } = setup();
    endpoint.receive(hello());
    take();
    endpoint.sendData('a', 'x');
    endpoint.sendData('b', new Uint8Array([1]), { priority: 9 });
    endpoint.sendData('a', { kind: 'json', data: { n: 1 } });
    const sent = take();
    expect(names(sent)).toEqual(['data:a#1', 'data:b#1', 'data:a#2']);
    expect(sent[1]!.priority).toBe(9);
  });

  it('replays exactly the frames the client has not acked, in send order, after the welcome of a resume', () => {
    const { endpoint, store } = setup();
    endpoint.receive(hello());
    for (const c of ['a', 'b', 'a', 'b', 'a']) endpoint.sendData(c, c);
    endpoint.receive(ack('a', 1));
    endpoint.detach();
    const second = connect(store);
    const sessions: { replayed: number; resumed: boolean }[] = [];
    second.endpoint.on('session', (e) => sessions.push(e));
    second.endpoint.receive(hello('s-1', { b: 1 }));
    expect(names(second.take())).toEqual(['welcome:#0', 'data:a#2', 'data:b#2', 'data:a#3']);
    expect(sessions[0]).toMatchObject({ resumed: true, replayed: 3 });
    expect(second.endpoint.stats().replays).toBe(3);
  });

  it('keeps frames sent while detached and sends them on the resume', () => {
    const { endpoint, store, take } = setup();
    endpoint.receive(hello());
    endpoint.detach();
    take();
    expect(endpoint.sendData('a', 'while away')).toBe(true);
    expect(take()).toEqual([]);
    const second = connect(store);
    second.endpoint.receive(hello('s-1'));
    expect(names(second.take())).toEqual(['welcome:#0', 'data:a#1']);
  });

  it('keeps the client → server state across detach and reattach: the welcome names the last seq, resent frames are duplicates', () => {
    const { endpoint, store } = setup({ ackEvery: 100 });
    endpoint.receive(hello());
    for (let seq = 1; seq <= 3; seq++) endpoint.receive(data('a', seq));
    endpoint.detach();
    expect(store.get('s-1')?.attached).toBe(false);
    const second = connect(store);
    second.endpoint.receive(hello('s-1'));
    expect(readWelcome(second.take()[0]!).lastSeq).toEqual({ a: 3 });
    second.endpoint.receive(data('a', 3));
    second.endpoint.receive(data('a', 4));
    expect(names(second.delivered)).toEqual(['data:a#4']);
    expect(second.endpoint.stats().duplicatesDropped).toBe(1);
  });

  it('resends an unacked frame the client nacks', () => {
    const { endpoint, take } = setup();
    endpoint.receive(hello());
    endpoint.sendData('a', 'x');
    take();
    endpoint.receive(encodeFrame(nackFrame('a', 1, 0)));
    expect(names(take())).toEqual(['data:a#1']);
    expect(endpoint.stats()).toMatchObject({ nacksReceived: 1, replays: 1 });
  });

  it('queues sendData before hello and sequences it after the welcome', () => {
    const { endpoint, take } = setup();
    endpoint.sendData('a', 'early');
    expect(take()).toEqual([]);
    endpoint.receive(hello());
    expect(names(take())).toEqual(['welcome:#0', 'data:a#1']);
  });

  it('reports frames queued before a hello that never came when the connection goes', () => {
    const { endpoint } = setup();
    const discarded: unknown[] = [];
    endpoint.on('discarded', (e) => discarded.push(e));
    endpoint.sendData('a', 'early');
    endpoint.detach();
    expect(discarded).toEqual([{ count: 1 }]);
  });

  it('tells the old connection it was displaced when another one resumes its session', () => {
    const { endpoint, store } = setup();
    const displaced: unknown[] = [];
    endpoint.on('displaced', (e) => displaced.push(e));
    endpoint.receive(hello());
    const second = connect(store);
    second.endpoint.receive(hello('s-1'));
    expect(displaced).toEqual([
      { sessionId: 's-1', closeCode: 1000, reason: 'session resumed by another connection' },
    ]);
    expect(endpoint.state).toBe('displaced');
    endpoint.detach();
    expect(store.get('s-1')?.attached).toBe(true);
  });

  it('keeps the session on the newer connection when an older one says hello late', () => {
    // the client gave up on `stale` before the server read its hello, and resumed on `fresh`
    const { endpoint, store } = setup();
    endpoint.receive(hello());
    endpoint.detach();
    const stale = connect(store);
    const fresh = connect(store);
    const displaced: unknown[] = [];
    fresh.endpoint.on('displaced', (e) => displaced.push(['fresh', e]));
    stale.endpoint.on('displaced', (e) => displaced.push(['stale', e]));
    fresh.endpoint.receive(hello('s-1'));
    stale.endpoint.receive(hello('s-1'));
    expect(displaced).toEqual([
      ['stale', { sessionId: 's-1', closeCode: 1000, reason: 'session held by a newer connection' }],
    ]);
    expect([fresh.endpoint.state, stale.endpoint.state]).toEqual(['open', 'displaced']);
    expect(stale.take()).toEqual([]); // no welcome
    expect(stale.errors).toEqual([]);
    // the session still reaches the client through the newer connection
    fresh.take();
    fresh.endpoint.sendData('a', 'still here');
    expect(names(fresh.take())).toEqual(['data:a#1']);
    stale.endpoint.detach();
    expect(store.get('s-1')?.attached).toBe(true);
  });

  it('removes the session from the store on close(), but keeps it on detach()', async () => {
    const { endpoint, store } = setup();
    endpoint.receive(hello());
    endpoint.detach();
    expect(store.get('s-1')).toBeDefined();
    const second = connect(store);
    second.endpoint.receive(hello('s-1'));
    await second.endpoint.close();
    expect(store.get('s-1')).toBeUndefined();
    expect(() => second.endpoint.sendData('a', 'x')).toThrowError(
      expect.objectContaining({ code: 'WS_KIT_ERR_PROTOCOL' }),
    );
  });
});

describe('ServerProtocolEndpoint: replay buffer bounds', () => {
  it('throws WS_KIT_ERR_BUFFER_OVERFLOW and emits overflow under policy error', () => {
    const { endpoint } = setup({ maxReplayFrames: 2 });
    const events: unknown[] = [];
    endpoint.on('overflow', (e) => events.push([e.buffer, e.policy, e.dropped]));
    endpoint.receive(hello());
    endpoint.sendData('a', '1');
    endpoint.sendData('a', '2');
    let thrown: unknown;
    try {
      endpoint.sendData('a', '3');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect(thrown).toMatchObject({
      code: 'WS_KIT_ERR_BUFFER_OVERFLOW',
      message: 'replay buffer full (maxReplayFrames 2 / maxReplayBytes 8388608): frame refused',
    });
    expect(events).toEqual([['replay', 'error', []]]);
    expect(endpoint.session?.lastSent('a')).toBe(2);
  });

  it('returns false and emits overflow under policy reject', () => {
    const { endpoint } = setup({ maxReplayFrames: 1, overflow: 'reject' });
    let overflows = 0;
    endpoint.on('overflow', () => overflows++);
    endpoint.receive(hello());
    expect(endpoint.sendData('a', '1')).toBe(true);
    expect(endpoint.sendData('a', '2')).toBe(false);
    expect(overflows).toBe(1);
  });

  it('drops the oldest unacked frame under policy drop-oldest and names it', () => {
    const { endpoint, store } = setup({ maxReplayFrames: 2, overflow: 'drop-oldest' });
    const dropped: unknown[] = [];
    endpoint.on('overflow', (e) => dropped.push(...e.dropped));
    endpoint.receive(hello());
    for (const text of ['1', '2', '3']) endpoint.sendData('a', text);
    expect(dropped).toEqual([{ channel: 'a', seq: 1 }]);
    expect(
      store
        .get('s-1')!
        .outbound.frames()
        .map((f) => f.seq),
    ).toEqual([2, 3]);
  });

  it('counts bytes against maxReplayBytes and frees them on ack', () => {
    const { endpoint } = setup({ maxReplayBytes: 100, overflow: 'reject' });
    endpoint.receive(hello());
    expect(endpoint.sendData('a', 'x'.repeat(60))).toBe(true);
    expect(endpoint.sendData('a', 'x'.repeat(60))).toBe(false);
    endpoint.receive(ack('a', 1));
    expect(endpoint.sendData('a', 'x'.repeat(60))).toBe(true);
  });
});
