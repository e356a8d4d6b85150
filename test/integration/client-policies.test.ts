// ResilientClient policies over real sockets: connect and ack timeouts, backoff reset, close codes,
// token refresh, heartbeats, inbound dedupe, downtime. A ManualClock wherever a figure must be exact.
import { createServer, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import {
  type BackoffOptions,
  type ClientStateChange,
  type DisconnectReason,
  type ReconnectedEvent,
  type ReconnectingEvent,
  ResilientClient,
  type ResilientClientOptions,
} from '../../src/client/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { decodeFrame } from '../../src/framing/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { type MockConnection, MockServer } from '../../src/server/index.js';
import { activeNetworkAndTimers, leftAfterSettling, within } from './server-helpers.js';

type Named = 'close' | 'reconnecting' | 'reconnected' | 'error' | 'state';

function next<T>(client: ResilientClient, event: Named): Promise<T> {
  return new Promise((resolve) => client.once(event, (value: unknown) => resolve(value as T)));
}

/** Every `event` of `client`, taken one at a time in order (none is missed between takes). */
function queue<T>(client: ResilientClient, event: Named): () => Promise<T> {
  const items: T[] = [];
  const takers: ((value: T) => void)[] = [];
  client.on(event, (value: unknown) => {
    const taker = takers.shift();
    if (taker) taker(value as T);
    else items.push(value as T);
  });
  return () =>
    items.length > 0 ? Promise.resolve(items.shift() as T) : new Promise((resolve) => takers.push(resolve));
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const QUICK: ResilientClientOptions = { heartbeat: false, backoff: { initialMs: 1, maxMs: 1 } };
const V1 = { protocols: ['semantest-v1'] };

describe('ResilientClient timeouts', { timeout: 10_000 }, () => {
  it('abandons an unanswered upgrade after connectTimeoutMs, maxAttempts times, then closes', async () => {
    const before = activeNetworkAndTimers();
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      accepted.push(socket);
      socket.resume(); // read, so that the client's FIN is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = new ResilientClient(`ws://127.0.0.1:${port}`, {
      ...QUICK,
      connectTimeoutMs: 40,
      backoff: { initialMs: 1, maxMs: 1, maxAttempts: 3 },
    });
    const kinds: string[] = [];
    client.on('reconnecting', (e) => kinds.push(e.reason.kind));
    const gaveUp = next<Error>(client, 'error');
    expect(await next<DisconnectReason>(client, 'close')).toEqual({ kind: 'connect-timeout' });
    expect(kinds).toEqual(['connect-timeout', 'connect-timeout', 'connect-timeout']);
    expect(accepted).toHaveLength(4); // the first attempt and 3 reconnects
    expect((await gaveUp).message).toMatch(/gave up after 3 reconnect attempts/);
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('keeps retrying a hanging MockServer upgrade and opens once it answers', async () => {
    await using server = await MockServer.start({ ...V1, hang: 'upgrade' });
    await using client = new ResilientClient(server.url, { ...QUICK, connectTimeoutMs: 40 });
    const kinds: string[] = [];
    client.on('reconnecting', (e) => {
      kinds.push(e.reason.kind);
      if (kinds.length === 2) server.hang('none');
    });
    await client.opened({ timeoutMs: 5000 });
    // two timed out while the server hung; a stall of the test process may add a third
    expect(kinds.slice(0, 2)).toEqual(['connect-timeout', 'connect-timeout']);
    expect(kinds.every((k) => k === 'connect-timeout')).toBe(true);
    expect(client.stats().reconnects).toBe(0); // the first connection that opened
  });

  it('resends unacked frames maxRetries times, then replaces the connection; the server gets it once', async () => {
    await using server = await MockServer.start(V1);
    // every ack the server sends on the first proxied connection is lost
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toClient: { drop: (m) => m.connection === 1 && decodeFrame(m.payload()).kind === 'ack' },
    });
    await using client = new ResilientClient(proxy.url, { ...QUICK, ack: { timeoutMs: 50, maxRetries: 2 } });
    const kinds: string[] = [];
    client.on('reconnecting', (e) => kinds.push(e.reason.kind));
    const reconnected = next<ReconnectedEvent>(client, 'reconnected');
    await client.send('exactly once', { channel: 'c' });
    expect(kinds).toEqual(['ack-timeout']);
    expect(client.stats().resends).toBe(2);
    expect((await reconnected).resent).toBe(0); // the welcome said the server already had it
    expect(server.messages.map((m) => m.data)).toEqual(['exactly once']);
    expect(server.stats().duplicates).toBe(2);
  });
});

describe('ResilientClient backoff and downtime on a ManualClock', { timeout: 10_000 }, () => {
  async function setup(backoff: BackoffOptions, start = 0) {
    const clock = new ManualClock(start);
    const server = await MockServer.start(V1);
    const client = new ResilientClient(server.url, { clock, heartbeat: false, backoff });
    const reconnecting = queue<ReconnectingEvent>(client, 'reconnecting');
    const reconnected = queue<ReconnectedEvent>(client, 'reconnected');
    await client.opened();
    let connection: MockConnection = await server.nextConnection();
    /** Drops the connection, fails `failures` attempts (503), steps the clock through every delay. */
    const outage = async (failures: number, onEach?: (e: ReconnectingEvent) => void) => {
      server.rejectNext(failures, 503);
      server.drop(connection, 'abrupt');
      const delays: number[] = [];
      for (let i = 0; i <= failures; i++) {
        const e = await reconnecting();
        delays.push(e.delayMs);
        onEach?.(e);
        clock.advance(e.delayMs);
      }
      const done = await reconnected();
      connection = await server.nextConnection();
      return { delays, done };
    };
    const dispose = () => client.close().then(() => server.close());
    return { clock, client, outage, [Symbol.asyncDispose]: dispose };
  }

  it('grows the delay across failures and starts over only after stableMs of uptime', async () => {
    await using t = await setup({ initialMs: 100, jitter: 'none', stableMs: 1000 });
    const { clock, outage } = t;
    const delays = [...(await outage(2)).delays]; // 100, 200, 400
    clock.advance(999); // open 1 ms short of stableMs: no reset
    delays.push(...(await outage(0)).delays); // 800
    delays.push(...(await outage(0)).delays); // 1600: the earlier connection's stable timer was cleared
    clock.advance(1000);
    delays.push(...(await outage(0)).delays); // back to the first step
    expect(delays).toEqual([100, 200, 400, 800, 1600, 100]);
  });

  it('reports the exact outage length in reconnected and stats().downtimeMs, the current one included', async () => {
    await using t = await setup({ initialMs: 100, jitter: 'none' }, 10_000);
    const { clock, client, outage } = t;
    clock.advance(500); // uptime is not downtime
    expect(client.stats().downtimeMs).toBe(0);
    let during = -1;
    const first = await outage(1, (e) => {
      if (e.attempt === 1) {
        clock.advance(30);
        during = client.stats().downtimeMs;
      }
    });
    expect(during).toBe(30);
    expect(first.delays).toEqual([100, 200]);
    expect(first.done.downtimeMs).toBe(30 + 100 + 200);
    clock.advance(1000);
    const second = await outage(0);
    expect(second.delays).toEqual([400]);
    expect(second.done.downtimeMs).toBe(400);
    expect(client.stats().downtimeMs).toBe(330 + 400);
    expect(client.stats().reconnects).toBe(2);
  });
});

describe('ResilientClient close codes and tokens', { timeout: 10_000 }, () => {
  const optIn: ResilientClientOptions['shouldReconnect'] = (r) =>
    r.kind === 'close' && r.code >= 4000 && r.code <= 4999 ? true : undefined;

  it.each([
    [1008, undefined, 'closed'],
    [4001, undefined, 'closed'],
    [4001, optIn, 'reconnecting'],
    [1013, undefined, 'reconnecting'],
  ] as const)('after a server close %i (override: %s) goes %s', async (code, shouldReconnect, to) => {
    await using server = await MockServer.start(V1);
    const options = shouldReconnect ? { ...QUICK, shouldReconnect } : QUICK;
    await using client = new ResilientClient(server.url, options);
    await client.opened();
    const change = next<ClientStateChange>(client, 'state');
    const closed = next<DisconnectReason>(client, 'close');
    const reconnected = next<ReconnectedEvent>(client, 'reconnected');
    let reconnecting = 0;
    client.on('reconnecting', () => reconnecting++);
    server.drop(await server.nextConnection(), { code, reason: `by ${code}` });
    const reason = { kind: 'close', code, reason: `by ${code}` };
    expect(await change).toEqual({ from: 'open', to, reason });
    if (to === 'closed') {
      expect(await closed).toEqual(reason);
      expect(client.state).toBe('closed');
      expect(reconnecting).toBe(0);
    } else {
      expect((await reconnected).attempts).toBe(1);
      expect(reconnecting).toBe(1);
      expect(client.stats().reconnects).toBe(1);
    }
  });

  it('calls getToken before every attempt, and the server sees each new token', async () => {
    await using server = await MockServer.start(V1);
    let issued = 0;
    const getToken = vi.fn(() => `t${++issued}`);
    await using client = new ResilientClient(server.url, { ...QUICK, getToken });
    await client.opened();
    const first = await server.nextConnection();
    const reconnected = next<ReconnectedEvent>(client, 'reconnected');
    server.rejectNext(1, 503); // the attempt with t2 is refused
    server.drop(first, 'abrupt');
    expect((await reconnected).attempts).toBe(2);
    const second = await server.nextConnection();
    expect(getToken).toHaveBeenCalledTimes(3);
    const bearer = (c: MockConnection) =>
      /bearer\.\w+/.exec(String(c.headers['sec-websocket-protocol']))?.[0];
    expect([first, second].map(bearer)).toEqual(['bearer.t1', 'bearer.t3']);
  });
});

describe('ResilientClient heartbeats and dedupe', { timeout: 10_000 }, () => {
  it('in plain mode pings with ws pings, and a server that stops answering is found within the bounds', async () => {
    let pings = 0;
    const four = deferred();
    class CountingSocket extends WebSocket {
      override ping(...args: Parameters<WebSocket['ping']>): void {
        if (++pings === 4) four.resolve();
        super.ping(...args);
      }
    }
    const hb = { intervalMs: 50, timeoutMs: 100 };
    await using server = await MockServer.start();
    await using client = new ResilientClient(server.url, {
      ...QUICK,
      protocol: 'plain',
      WebSocket: CountingSocket,
      heartbeat: hb,
    });
    const reasons: DisconnectReason[] = [];
    client.on('reconnecting', (e) => reasons.push(e.reason));
    await client.opened();
    const connection = await server.nextConnection();
    // four pings, each answered by a pong: without one, the connection would have been dropped by now
    await within(four.promise, 2000, 'four ws pings');
    expect(reasons).toEqual([]);
    const lost = next<ReconnectingEvent>(client, 'reconnecting');
    const reconnected = next<ReconnectedEvent>(client, 'reconnected');
    const pausedAt = performance.now();
    server.pause(connection); // half-open: pings are no longer read, so no pong comes back
    expect((await lost).reason).toEqual({ kind: 'heartbeat-timeout' });
    const tookMs = performance.now() - pausedAt;
    expect(tookMs).toBeGreaterThanOrEqual(hb.timeoutMs - 5);
    expect(tookMs).toBeLessThanOrEqual(3 * (hb.intervalMs + hb.timeoutMs));
    await reconnected;
    expect(reasons).toHaveLength(1);
    server.drop(connection, 'abrupt'); // it never reads the client's FIN: close() would wait 2 s for it
  });

  it('measures stats().lastRttMs from a semantest-v1 pong on the client clock', async () => {
    const clock = new ManualClock(1000);
    await using server = await MockServer.start(V1);
    const options = { clock, heartbeat: { intervalMs: 100, timeoutMs: 1000 } };
    await using client = new ResilientClient(server.url, options);
    await client.opened();
    expect(client.stats().lastRttMs).toBeUndefined();
    clock.advance(100); // the first ping goes out, stamped 1100
    clock.advance(7); // and its pong cannot arrive before this
    await expect.poll(() => client.stats().lastRttMs, { timeout: 2000, interval: 5 }).toBeDefined();
    // 7 ms on the client, minus the time the server held the ping (t2 − t1: microseconds)
    expect(client.stats().lastRttMs).toBeLessThanOrEqual(7);
    expect(client.stats().lastRttMs).toBeGreaterThan(6);
  });

  it('drops every duplicate the proxy injects: each of 500 messages delivered once, in order', async () => {
    const n = 500;
    await using server = await MockServer.start(V1);
    const faults = { seed: 42, toClient: { duplicate: 0.1 } };
    await using proxy = await ChaosProxy.start({ target: server.url, ...faults });
    await using client = new ResilientClient(proxy.url, QUICK);
    const seqs: number[] = [];
    const ids: number[] = [];
    const received = deferred();
    client.on('message', (m) => {
      seqs.push(m.seq);
      ids.push((m.data as { i: number }).i);
      if (ids.length === n) received.resolve();
    });
    await client.opened();
    const connection = await server.nextConnection();
    for (let i = 0; i < n; i++) server.send(connection, { i }, { channel: 'feed' });
    await received.promise;
    // every message (and so every duplicate) has passed the proxy; index 0 is the welcome
    const injected = proxy.faults.filter((f) => f.kind === 'duplicate' && f.direction === 'toClient');
    const ofData = injected.filter((f) => f.message !== 0).length;
    expect(ofData).toBeGreaterThan(0);
    await expect.poll(() => client.stats().duplicatesDropped, { timeout: 2000, interval: 5 }).toBe(ofData);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(client.stats().reconnects).toBe(0);
  });
});
