import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { type ClientOverflowEvent, ResilientClient } from '../../src/client/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { isWsKitError, type WsKitError } from '../../src/errors.js';
import { welcomeFrame } from '../../src/framing/control-frames.js';
import { decodeFrame, encodeFrame } from '../../src/framing/frame-codec.js';
import { type MockConnection, MockServer } from '../../src/server/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function next<T>(client: ResilientClient, event: 'close' | 'reconnecting' | 'error'): Promise<T> {
  return new Promise((resolve) => client.once(event, (value: unknown) => resolve(value as T)));
}

/** A `ws` server speaking just enough semantest-v1 to answer every `hello` with two `welcome`s. */
async function doubleWelcomeServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'semantest-v1' });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      if (decodeFrame(data as Buffer).kind !== 'hello') return;
      const welcome = encodeFrame(welcomeFrame({ sessionId: 's1', version: 1, lastSeq: {} }, 0));
      ws.send(welcome);
      ws.send(welcome); // duplicated on the way
    });
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

let restoreUncaught: (() => void) | undefined;
afterEach(() => restoreUncaught?.());

/** The next uncaught exception, kept from the test runner (which would fail the run on it). */
function nextUncaught(): Promise<unknown> {
  const runners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  let catcher: (error: unknown) => void = () => undefined;
  restoreUncaught = () => {
    process.removeListener('uncaughtException', catcher);
    for (const l of runners)
      if (!process.listeners('uncaughtException').includes(l)) process.on('uncaughtException', l);
    restoreUncaught = undefined;
  };
  return new Promise<unknown>((resolve) => {
    catcher = (error) => {
      restoreUncaught?.();
      resolve(error);
    };
    process.once('uncaughtException', catcher);
  });
}

describe('ResilientClient and throwing listeners', { timeout: 10_000 }, () => {
  it('reports a throwing message listener as an error event and keeps delivering and acking', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { heartbeat: false });
    const connection = await server.nextConnection();
    await client.opened();
    const seen: unknown[] = [];
    client.on('message', (m) => {
      seen.push(m.data);
      if (seen.length === 1) throw new Error('assertion failed in a listener');
    });
    const errors: WsKitError[] = [];
    client.on('error', (e) => errors.push(e as WsKitError));
    for (const text of ['a', 'b', 'c']) connection.send(text);
    await vi.waitFor(() => expect(seen).toEqual(['a', 'b', 'c']), { timeout: 5000 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('WS_KIT_ERR_INTERNAL');
    expect(errors[0]!.message).toMatch(/'message' listener threw.*assertion failed in a listener/);
    expect((errors[0]!.cause as Error).message).toBe('assertion failed in a listener');
    await client.send('still works'); // resolves on the server's ack: the connection still reads
    expect(client.stats().reconnects).toBe(0);
  });

  it('rethrows a throwing listener from a microtask when nobody listens to error', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { heartbeat: false });
    await client.opened();
    client.on('message', () => {
      throw new Error('unheard');
    });
    const rethrown = nextUncaught();
    (await server.nextConnection()).send('x');
    expect(await rethrown).toMatchObject({ message: 'unheard' });
    await client.send('still works');
  });

  it('rethrows what an error listener throws from a microtask, not into the socket', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { heartbeat: false });
    await client.opened();
    client.on('message', () => {
      throw new Error('first');
    });
    client.on('error', () => {
      throw new Error('second');
    });
    const rethrown = nextUncaught();
    (await server.nextConnection()).send('x');
    expect(await rethrown).toMatchObject({ message: 'second' });
    await client.send('still works');
  });
});

describe('ResilientClient buffer bounds', { timeout: 10_000 }, () => {
  it('drop-oldest drops nothing in vain: a message too big for the buffer is refused alone', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxBytes: 100, overflow: 'drop-oldest' },
    });
    const events: ClientOverflowEvent[] = [];
    client.on('overflow', (e) => events.push(e));
    const outcomes: string[] = [];
    const track = (name: string, p: Promise<void>) =>
      p.then(
        () => outcomes.push(`${name} ok`),
        () => outcomes.push(`${name} rejected`),
      );
    const first = track('60', client.send(new Uint8Array(60)));
    const second = track('30', client.send(new Uint8Array(30)));
    await track('200', client.send(new Uint8Array(200)));
    expect(events.map((e) => e.dropped)).toEqual([1]);
    expect(outcomes).toEqual(['200 rejected']);
    expect(client.stats().unacked).toBe(2);
    // 30 + 50 fits once the oldest (60) goes: exactly one is dropped
    void track('50', client.send(new Uint8Array(50)));
    await first;
    expect(outcomes).toEqual(['200 rejected', '60 rejected']);
    expect(events.map((e) => e.dropped)).toEqual([1, 1]);
    expect(client.stats().unacked).toBe(2);
    await client.close();
    await second;
  });
});

describe('ResilientClient failures at the call', { timeout: 10_000 }, () => {
  it('emits error for a payload that cannot be framed and for a send after close()', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', { autoConnect: false });
    const errors: WsKitError[] = [];
    client.on('error', (e) => errors.push(e as WsKitError));
    void client.send({ n: Number.NaN });
    void client.send('x', { channel: 'c'.repeat(300) });
    await client.close();
    void client.send('late');
    expect(errors.map((e) => e.code)).toEqual([
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      'WS_KIT_ERR_FRAME_MALFORMED',
      'WS_KIT_ERR_CONNECTION_CLOSED',
    ]);
  });

  it('rejects JSON that cannot be serialised in plain mode with a typed error, not a TypeError', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', { autoConnect: false, protocol: 'plain' });
    client.on('error', () => undefined);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, 10n, cyclic, { f: () => 1 }]) {
      const error = await client.send(bad as never).catch((e: unknown) => e);
      expect(isWsKitError(error) && error.code, String(bad)).toBe('WS_KIT_ERR_FRAME_INVALID_JSON');
    }
    expect(client.stats().unacked).toBe(0);
    await client.close();
  });
});

describe('ResilientClient connect timeout', { timeout: 10_000 }, () => {
  it('covers a getToken() that never settles: the attempt times out and the next one connects', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    let calls = 0;
    const getToken = () => {
      calls++;
      return calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve('t');
    };
    // on a ManualClock: the timeout fires when the test says so, not after real waiting
    const clock = new ManualClock();
    await using client = new ResilientClient(server.url, {
      clock,
      getToken,
      connectTimeoutMs: 100,
      backoff: { initialMs: 1, maxMs: 1, jitter: 'none' },
    });
    const kinds: string[] = [];
    client.on('reconnecting', (e) => {
      kinds.push(e.reason.kind);
      queueMicrotask(() => clock.advance(e.delayMs)); // once the retry timer is set
    });
    await vi.waitFor(() => expect(calls).toBe(1));
    clock.advance(99);
    expect(kinds).toEqual([]);
    clock.advance(1);
    await client.opened({ timeoutMs: 5000 });
    expect(kinds).toEqual(['connect-timeout']);
    expect(kinds.length).toBeGreaterThanOrEqual(1);
    expect(kinds.every((k) => k === 'connect-timeout')).toBe(true);
    expect(calls).toBe(kinds.length + 1);
  });
});

describe('ResilientClient and a duplicated welcome', { timeout: 10_000 }, () => {
  it('ignores a second welcome with a protocol error: no reconnect is counted or announced', async () => {
    const server = await doubleWelcomeServer();
    try {
      const client = new ResilientClient(server.url, { heartbeat: false });
      let reconnected = 0;
      let opened = 0;
      client.on('reconnected', () => reconnected++);
      client.on('open', () => opened++);
      const error = next<WsKitError>(client, 'error');
      expect(await error).toMatchObject({ code: 'WS_KIT_ERR_PROTOCOL' });
      expect((await error).message).toMatch(/unexpected 'welcome' frame on a welcomed connection/);
      expect(opened).toBe(1);
      expect(reconnected).toBe(0);
      expect(client.stats().reconnects).toBe(0);
      expect(client.state).toBe('open');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('ResilientClient stats', { timeout: 10_000 }, () => {
  it('counts text in UTF-8 bytes', async () => {
    await using server = await MockServer.start({ echo: true });
    await using client = new ResilientClient(server.url, { protocol: 'plain', heartbeat: false });
    await client.opened();
    const echoed = new Promise((resolve) => client.once('message', resolve));
    await client.send('héllo €'); // 4 + 2 + 1 + 3 = 10 bytes, 7 UTF-16 code units
    await echoed;
    expect(client.stats()).toMatchObject({ messagesOut: 1, bytesOut: 10, messagesIn: 1, bytesIn: 10 });
  });
});

describe('ResilientClient and a late hello from an abandoned attempt', { timeout: 10_000 }, () => {
  it('keeps its session on the newer connection when a stalled server reads the old hello late', async () => {
    await using server = await MockServer.start({ echo: true, protocols: ['semantest-v1'] });
    // on a ManualClock: backoff and connect timeout fire when the test says so, no real waiting
    const clock = new ManualClock();
    await using client = new ResilientClient(server.url, {
      clock,
      backoff: { initialMs: 1, maxMs: 1, jitter: 'none' },
      heartbeat: false,
      connectTimeoutMs: 300,
    });
    await client.opened();
    await client.send({ a: 1 }, { channel: 'x' });
    // the next connection stalls before its hello is read; the client gives up on it and resumes
    const stalled = new Promise<MockConnection>((resolve) =>
      server.once('connection', (c) => {
        server.pause(c);
        resolve(c);
      }),
    );
    const reasons: string[] = [];
    client.on('reconnecting', (e) => {
      reasons.push(e.reason.kind);
      queueMicrotask(() => clock.advance(e.delayMs)); // once the retry timer is set
    });
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    const written = client.stats().messagesOut;
    for (const c of server.connections.filter((c) => c.isOpen)) server.drop(c, 'abrupt');
    const stale = await stalled;
    // the stalled connection opened and the client wrote its hello there (unread by the server)
    await vi.waitFor(() => expect(client.stats().messagesOut).toBe(written + 1), { interval: 1 });
    clock.advance(300); // the client gives up on it: connect timeout
    await reconnected;
    expect(reasons).toEqual(['close', 'connect-timeout']);
    // now the server reads the stale hello: it must not take the session from the live connection
    const staleClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      server.on('close', (c, r) => c === stale && resolve(r as { code: number; reason: string })),
    );
    server.resume(stale);
    expect(await staleClosed).toMatchObject({ code: 1000, reason: 'session held by a newer connection' });
    await client.send({ a: 2 }, { channel: 'x' });
    expect(client.state).toBe('open');
    expect(client.stats().reconnects).toBe(1);
    expect(server.messages.map((m) => m.data)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
