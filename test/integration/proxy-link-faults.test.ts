/**
 * ChaosProxy link faults over real sockets: blackout (half-open), timeout, reset, slow close,
 * half-close and refuse — each measured. Lower bounds allow a real timer's early firing
 * (TIMER_SLACK_MS); upper bounds leave room for a stall of 150 ms or more.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../src/clock/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  closedWith,
  faultsOf,
  nextFault,
  openClient,
  paired,
  readBytes,
  record,
  refusedWith,
  TIMER_SLACK_MS,
  tcpClient,
  tcpUpstream,
  until,
  within,
} from './proxy-helpers.js';

const atLeast = (ms: number) => ms - TIMER_SLACK_MS;

const ended = (socket: { once(e: 'end', f: () => void): unknown }, what: string) =>
  within(new Promise<number>((resolve) => socket.once('end', () => resolve(performance.now()))), 3000, what);

describe('ChaosProxy blackout', { timeout: 10_000 }, () => {
  it('holds every byte both ways while keeping the sockets open, then delivers all in order', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const got = record(ws);
    const out = proxy.stats();
    const ended = proxy.blackout();
    for (let i = 0; i < 5; i++) {
      ws.send(`up${i}`);
      connection.send(`down${i}`);
    }
    // the proxy has read all ten messages, and written none of them
    await expect.poll(() => proxy.stats().toServer.messages).toBe(5);
    await expect.poll(() => proxy.stats().toClient.messages).toBe(5);
    expect(proxy.stats().toServer.bytesOut).toBe(out.toServer.bytesOut);
    expect(proxy.stats().toClient.bytesOut).toBe(out.toClient.bytesOut);
    expect(server.messages).toHaveLength(0);
    expect(got).toHaveLength(0);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(connection.isOpen).toBe(true);
    expect(proxy.connections).toEqual([1]);
    proxy.restore();
    await ended;
    await until(ws, () => got.length === 5);
    await expect.poll(() => server.messages.length).toBe(5);
    expect(server.messages.map((m) => m.data)).toEqual(['up0', 'up1', 'up2', 'up3', 'up4']);
    expect(got.map((m) => m.data)).toEqual(['down0', 'down1', 'down2', 'down3', 'down4']);
    expect(proxy.faults.map((f) => f.kind)).toEqual(['blackout', 'restore']);
    ws.close();
  });

  it('`await blackout(ms)` resolves after ms, and what was sent meanwhile arrives only then', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const got = record(ws);
    const t0 = performance.now();
    const ended = proxy.blackout(150);
    ws.send('held');
    await ended;
    const elapsed = performance.now() - t0;
    await until(ws, () => got.length === 1);
    expect(elapsed).toBeGreaterThanOrEqual(atLeast(150));
    expect(elapsed).toBeLessThan(150 + 150);
    expect(got[0]!.at - t0).toBeGreaterThanOrEqual(atLeast(150));
    expect(faultsOf(proxy, 'blackout')).toMatchObject([{ connection: 0, detail: { ms: 150 } }]);
    ws.close();
  });

  it('applies to connections opened during the blackout', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    void proxy.blackout();
    const pair = paired(proxy);
    const ws = new WebSocket(proxy.url);
    let opened = false;
    ws.once('open', () => {
      opened = true;
    });
    // the upgrade request reached the proxy and was paired upstream, but is held
    await pair;
    await expect.poll(() => proxy.stats().toServer.bytesIn).toBeGreaterThan(0);
    expect(proxy.stats().toServer.bytesOut).toBe(0);
    expect(opened).toBe(false);
    proxy.restore();
    await within(new Promise((resolve) => ws.once('open', resolve)), 3000, 'open');
    ws.close();
  });
});

describe('ChaosProxy timeout, reset, slow close and refuse', { timeout: 10_000 }, () => {
  it('timeout discards the data and closes the connection after ms', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const got = record(ws);
    const closed = closedWith(ws);
    const t0 = performance.now();
    proxy.timeout(200);
    ws.send('into the void');
    connection.send('back into the void');
    const c = await closed;
    expect(c.at - t0).toBeGreaterThanOrEqual(atLeast(200));
    expect(c.at - t0).toBeLessThan(200 + 300);
    expect(c.code).toBe(1006);
    await connection.closed();
    expect(server.messages).toHaveLength(0);
    expect(got).toHaveLength(0);
    expect(faultsOf(proxy, 'timeout')).toMatchObject([{ connection: 1, detail: { ms: 200 } }]);
  });

  it('reset closes a WebSocket abnormally (1006) at once, on both sides', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const closed = closedWith(ws);
    const t0 = performance.now();
    proxy.reset();
    const c = await closed;
    expect(c.code).toBe(1006);
    expect(c.at - t0).toBeLessThan(200);
    expect((await connection.closed()).code).toBe(1006);
    expect(proxy.connections).toEqual([]);
    expect(faultsOf(proxy, 'reset')).toMatchObject([{ connection: 1 }]);
  });

  it('reset sends a TCP RST to both peers (ECONNRESET), not a FIN', async () => {
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({ target: upstream.url });
    const pair = paired(proxy);
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const { id } = await pair;
    const errorOf = (s: typeof client) =>
      within(
        new Promise<string | undefined>((resolve) =>
          s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code)),
        ),
        2000,
        'a socket error',
      );
    const errors = Promise.all([errorOf(client), errorOf(socket)]);
    proxy.reset(id);
    expect(await errors).toEqual(['ECONNRESET', 'ECONNRESET']);
  });

  it('slow close passes a FIN on only after ms, both ways, data before it at once', async () => {
    // on a ManualClock: the FIN goes out exactly when the proxy's clock reaches ms, no real waiting
    const clock = new ManualClock();
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({ target: upstream.url, clock });
    proxy.slowClose(400);
    // upstream → client: the bytes come at once, the FIN 400 ms later
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const bytes = readBytes(client, 3);
    const clientEnd = ended(client, 'client FIN');
    const held = nextFault(proxy, 'slow-close');
    socket.end('bye');
    expect((await bytes).toString()).toBe('bye'); // not held with the FIN: no time has passed
    await held; // the proxy has the FIN, and holds it on a timer
    const timers = clock.pendingTimers;
    clock.advance(399);
    expect(clock.pendingTimers).toBe(timers); // not yet
    clock.advance(1);
    expect(clock.pendingTimers).toBe(timers - 1);
    await clientEnd;
    // client → upstream, once the first connection and its timers are gone
    client.destroy();
    await expect.poll(() => clock.pendingTimers, { interval: 1 }).toBe(timers - 1);
    const client2 = await tcpClient(proxy.url);
    const socket2 = await upstream.nextSocket();
    const upstreamEnd = ended(socket2, 'upstream FIN');
    const held2 = nextFault(proxy, 'slow-close');
    client2.end();
    await held2;
    const start = clock.now();
    const timers2 = clock.pendingTimers;
    clock.advance(399);
    expect(clock.pendingTimers).toBe(timers2); // not yet
    clock.advance(1);
    expect(clock.pendingTimers).toBeLessThan(timers2); // the held FIN goes now
    await upstreamEnd;
    expect(clock.now() - start).toBe(400);
    expect(faultsOf(proxy, 'slow-close').length).toBeGreaterThanOrEqual(2);
    client.destroy();
    client2.destroy();
  });

  it('passes a half-close on: the upstream still answers a client that sent its FIN', async () => {
    await using upstream = await tcpUpstream((socket) => {
      const parts: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => parts.push(chunk));
      socket.on('end', () => socket.end(Buffer.concat(parts).toString().toUpperCase()));
    });
    await using proxy = await ChaosProxy.start({ target: upstream.url, toClient: { latencyMs: 20 } });
    const client = await tcpClient(proxy.url);
    await upstream.nextSocket();
    const answer = readBytes(client, 5);
    client.end('hello');
    expect((await answer).toString()).toBe('HELLO');
    await ended(client, 'client FIN');
    client.destroy();
  });

  it("a server's close frame and FIN wait behind a delayed link: the client sees the server's close code", async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url, toClient: { latencyMs: 50 } });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const closed = closedWith(ws);
    const t0 = performance.now();
    server.drop(connection, { code: 4001, reason: 'bye' });
    const c = await closed;
    expect(c.code).toBe(4001);
    expect(c.at - t0).toBeGreaterThanOrEqual(atLeast(50));
    await expect.poll(() => proxy.connections).toEqual([]);
  });

  it('refuse() resets new connections without dialling the upstream, until refuse(false)', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    proxy.refuse();
    expect(await refusedWith(proxy.url)).toBe('ECONNRESET');
    expect(await refusedWith(proxy.url)).toBe('ECONNRESET');
    expect(faultsOf(proxy, 'refused')).toHaveLength(2);
    expect(server.stats().connections.total).toBe(0);
    proxy.refuse(false);
    const ws = await openClient(proxy.url);
    expect(server.stats().connections.total).toBe(1);
    ws.close();
  });
});
