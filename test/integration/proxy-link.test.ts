/**
 * ChaosProxy byte-level conditions over real sockets: latency, jitter, bandwidth, slicer, TCP loss
 * as retransmission delays, limit-data and the network profiles — each measured. Bounds are loose
 * (a noisy 2-core machine): lower bounds allow a timer's early firing (TIMER_SLACK_MS), upper
 * bounds hold for a median or leave room for a stall of well over 100 ms, yet each still fails if
 * its condition was not applied, or applied twice. The tight accuracy figures belong to the bench.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  clockRtts,
  clockStepsUntilSent,
  faultsOf,
  openClient,
  openClientOnClock,
  readBytes,
  record,
  TIMER_SLACK_MS,
  tcpClient,
  tcpUpstream,
  within,
} from './proxy-helpers.js';

const _atLeast = (ms: number) => ms - TIMER_SLACK_MS;

const figures = (label: string, xs: readonly number[]) => {
  if (process.env.PROXY_FIGURES) console.log(label, xs.map((x) => x.toFixed(1)).join(' '));
};

describe('ChaosProxy latency and jitter', { timeout: 10_000 }, () => {
  // on a ManualClock every delay is counted in the proxy's own ms: exact, and no real waiting
  it('adds the configured one-way latency to every round trip', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock, toServer: { latencyMs: 30 } });
    const ws = await openClientOnClock(proxy.url, clock);
    expect(await clockRtts(ws, proxy, clock, 4)).toEqual([30, 30, 30, 30]); // once, not twice
    ws.close();
  });

  it('spreads delays within latency ± jitter and keeps the byte order', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      clock,
      seed: 3,
      toServer: { latencyMs: 30, jitterMs: 15 },
    });
    const ws = await openClientOnClock(proxy.url, clock);
    const rtts = await clockRtts(ws, proxy, clock, 16);
    figures('latency 30 ± 15 ms → rtt', rtts);
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(30 - 15);
    for (const rtt of rtts) expect(rtt).toBeLessThanOrEqual(30 + 15);
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(8);
    // a burst: every message draws its own delay, yet none overtakes another (TCP order)
    const got = record(ws);
    for (let i = 0; i < 40; i++) ws.send(`b${i}`);
    for (let turn = 0; got.length < 40 && turn < 100_000; turn++) {
      clock.advance(1);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(got.map((m) => m.data)).toEqual(Array.from({ length: 40 }, (_, i) => `b${i}`));
    ws.close();
  });

  it("gives the 'regional' profile 50 ms one way (± 10 jitter)", async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock, profile: 'regional' });
    const ws = await openClientOnClock(proxy.url, clock);
    const connection = await server.nextConnection();
    const oneWay: number[] = [];
    for (let i = 0; i < 6; i++) {
      const arrived = new Promise<void>((resolve) => ws.once('message', () => resolve()));
      const before = proxy.stats().toClient;
      connection.send(`down${i}`);
      oneWay.push(await clockStepsUntilSent(proxy, clock, 'toClient', before));
      await within(arrived, 2000, 'a message');
    }
    figures('regional one way', oneWay);
    for (const ms of oneWay) expect(ms).toBeGreaterThanOrEqual(50 - 10);
    for (const ms of oneWay) expect(ms).toBeLessThanOrEqual(50 + 10);
    const rtts = await clockRtts(ws, proxy, clock, 5);
    figures('regional rtt', rtts);
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(2 * (50 - 10));
    for (const rtt of rtts) expect(rtt).toBeLessThanOrEqual(2 * (50 + 10));
    ws.close();
  });
});

describe('ChaosProxy bandwidth, slicer, loss and limit', { timeout: 10_000 }, () => {
  it('paces 32 KB at 500 kbps to half a second', async () => {
    const clock = new ManualClock();
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({
      target: upstream.url,
      clock,
      toServer: { bandwidthKbps: 500 },
    });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const bytes = Buffer.alloc(32 * 1024, 7);
    const got = readBytes(socket, bytes.byteLength);
    const before = proxy.stats().toServer;
    client.write(bytes);
    const ms = await clockStepsUntilSent(proxy, clock, 'toServer', before, bytes.byteLength);
    const expected = (bytes.byteLength * 8) / 500; // 524.3 ms
    figures(`bandwidth 500 kbps, 32 KB: ms (expected ${expected.toFixed(0)})`, [ms]);
    expect((await got).equals(bytes)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(ms).toBeLessThanOrEqual(Math.ceil(expected));
    client.destroy();
  });

  it('delays even one small message by its transmission time', async () => {
    const clock = new ManualClock();
    await using upstream = await tcpUpstream();
    // 250 bytes at 5 kbps: 400 ms on the wire, however idle the link was
    await using proxy = await ChaosProxy.start({
      target: upstream.url,
      clock,
      toServer: { bandwidthKbps: 5 },
    });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const got = readBytes(socket, 250);
    const before = proxy.stats().toServer;
    client.write(Buffer.alloc(250, 1));
    expect(await clockStepsUntilSent(proxy, clock, 'toServer', before, 250)).toBe(400);
    expect((await got).byteLength).toBe(250);
    client.destroy();
  });

  it('slices the stream into TCP writes of at most sliceBytes, sliceDelayMs apart', async () => {
    // on a manual clock, each slice is read by the upstream before the next one is due, so no two
    // can merge in the upstream's socket buffer however late its reads come
    const clock = new ManualClock();
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({
      target: upstream.url,
      clock,
      toServer: { sliceBytes: 100, sliceDelayMs: 2 },
    });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const got = readBytes(socket, bytes.byteLength);
    client.write(bytes); // one write: the proxy reads it as one chunk, cut into 30 slices
    await expect.poll(() => proxy.stats().toServer.bytesIn).toBe(3000);
    const received = () => upstream.chunks[0]!.reduce((n, c) => n + c.byteLength, 0);
    const receivedAll = (total: number) =>
      within(
        new Promise<void>((resolve) => {
          const check = () => {
            if (received() < total) return;
            socket.off('data', check);
            resolve();
          };
          socket.on('data', check); // after the upstream's own listener, which records the chunk
          check();
        }),
        2000,
        `the upstream reading ${total} bytes`,
      );
    const out: number[] = [proxy.stats().toServer.bytesOut]; // the first slice goes at once
    while (out.at(-1)! < 3000) {
      const sent = out.at(-1)!;
      await receivedAll(sent);
      clock.advance(1);
      expect(proxy.stats().toServer.bytesOut).toBe(sent); // not yet due
      clock.advance(1);
      out.push(proxy.stats().toServer.bytesOut);
    }
    expect((await got).equals(bytes)).toBe(true);
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => 100 * (i + 1)));
    expect(clock.now()).toBe(29 * 2);
    expect(upstream.chunks[0]!.map((c) => c.byteLength)).toEqual(Array<number>(30).fill(100));
    client.destroy();
  });

  it('models TCP loss as a retransmission delay on each lost chunk, and logs it', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    proxy.set({ toServer: { lossRate: 1, retransmitMs: 150 } });
    // one timeout per chunk, not two; nothing is missing: every echo came back
    expect(await clockRtts(ws, proxy, clock, 3)).toEqual([150, 150, 150]);
    const loss = faultsOf(proxy, 'loss'); // each message was one chunk, one 'loss'
    expect(loss).toHaveLength(3);
    for (const f of loss) expect(f).toMatchObject({ direction: 'toServer', detail: { ms: 150 } });
    expect(server.messages).toHaveLength(3);
    ws.close();
  });

  it('closes the connection after exactly limitBytes bytes in that direction', async () => {
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({ target: upstream.url });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    proxy.set({ toServer: { limitBytes: 3000 } }); // on an open connection
    const ended = within(new Promise<void>((resolve) => socket.once('end', resolve)), 3000, 'upstream FIN');
    const clientEnded = within(
      new Promise<void>((resolve) => client.once('close', () => resolve())),
      3000,
      'client close',
    );
    client.on('error', () => undefined);
    client.write(Buffer.alloc(1000, 1));
    client.write(Buffer.alloc(4000, 2));
    await ended;
    await clientEnded;
    const received = Buffer.concat(upstream.chunks[0]!);
    expect(received.byteLength).toBe(3000);
    expect(received.subarray(0, 1000).every((b) => b === 1)).toBe(true);
    expect(received.subarray(1000).every((b) => b === 2)).toBe(true);
    expect(faultsOf(proxy, 'limit')).toMatchObject([{ direction: 'toServer', detail: { bytes: 3000 } }]);
    expect(proxy.stats().toServer.bytesOut).toBe(3000);
  });
});
