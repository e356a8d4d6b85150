/**
 * ChaosProxy byte-level conditions over real sockets: latency, jitter, bandwidth, slicer, TCP loss
 * as retransmission delays, limit-data and the network profiles — each measured. Bounds are loose
 * (a noisy 2-core machine); the tight accuracy figures belong to the bench.
 */
import { describe, expect, it } from 'vitest';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  echoRtts,
  faultsOf,
  mean,
  openClient,
  readBytes,
  record,
  tcpClient,
  tcpUpstream,
  until,
  within,
} from './proxy-helpers.js';

const figures = (label: string, xs: readonly number[]) => {
  if (process.env.PROXY_FIGURES) console.log(label, xs.map((x) => x.toFixed(1)).join(' '));
};

describe('ChaosProxy latency and jitter', { timeout: 10_000 }, () => {
  it('adds the configured one-way latency to every round trip', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, toServer: { latencyMs: 30 } });
    const ws = await openClient(proxy.url);
    const rtts = await echoRtts(ws, 8);
    figures('latency 30 ms → rtt', rtts);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(29.5);
      expect(rtt).toBeLessThan(90);
    }
    ws.close();
  });

  it('spreads delays within latency ± jitter and keeps the byte order', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 3,
      toServer: { latencyMs: 30, jitterMs: 15 },
    });
    const ws = await openClient(proxy.url);
    const rtts = await echoRtts(ws, 16);
    figures('latency 30 ± 15 ms → rtt', rtts);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(14.5);
      expect(rtt).toBeLessThan(45 + 60);
    }
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(8);
    // a burst: every message draws its own delay, yet none overtakes another (TCP order)
    const got = record(ws);
    for (let i = 0; i < 40; i++) ws.send(`b${i}`);
    await until(ws, () => got.length === 40);
    expect(got.map((m) => m.data)).toEqual(Array.from({ length: 40 }, (_, i) => `b${i}`));
    ws.close();
  });

  it("gives the 'regional' profile about 50 ms one way (± 10 jitter)", async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, profile: 'regional' });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const oneWay: number[] = [];
    for (let i = 0; i < 6; i++) {
      const arrived = new Promise<number>((resolve) => ws.once('message', () => resolve(performance.now())));
      const t0 = performance.now();
      connection.send(`down${i}`);
      oneWay.push((await within(arrived, 2000, 'a message')) - t0);
    }
    figures('regional one way', oneWay);
    for (const ms of oneWay) {
      expect(ms).toBeGreaterThanOrEqual(39.5);
      expect(ms).toBeLessThan(60 + 50);
    }
    const rtts = await echoRtts(ws, 4);
    figures('regional rtt', rtts);
    for (const rtt of rtts) expect(rtt).toBeGreaterThanOrEqual(79.5);
    expect(mean(rtts)).toBeLessThan(120 + 80);
    ws.close();
  });
});

describe('ChaosProxy bandwidth, slicer, loss and limit', { timeout: 10_000 }, () => {
  it('paces 32 KB at 500 kbps to about half a second', async () => {
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({ target: upstream.url, toServer: { bandwidthKbps: 500 } });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const bytes = Buffer.alloc(32 * 1024, 7);
    const t0 = performance.now();
    client.write(bytes);
    const got = await readBytes(socket, bytes.byteLength);
    const ms = performance.now() - t0;
    const expected = (bytes.byteLength * 8) / 500;
    figures(`bandwidth 500 kbps, 32 KB: ms (expected ${expected.toFixed(0)})`, [ms]);
    expect(got.equals(bytes)).toBe(true);
    expect(ms).toBeGreaterThan(expected * 0.7);
    expect(ms).toBeLessThan(expected * 1.3);
    client.destroy();
  });

  it('delays even one small message by its transmission time', async () => {
    await using upstream = await tcpUpstream();
    // 250 bytes at 20 kbps: 100 ms on the wire, however idle the link was
    await using proxy = await ChaosProxy.start({ target: upstream.url, toServer: { bandwidthKbps: 20 } });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const t0 = performance.now();
    client.write(Buffer.alloc(250, 1));
    await readBytes(socket, 250);
    const ms = performance.now() - t0;
    figures('bandwidth 20 kbps, 250 B: ms (expected 100)', [ms]);
    expect(ms).toBeGreaterThan(100 * 0.9);
    expect(ms).toBeLessThan(100 * 1.5);
    client.destroy();
  });

  it('slices the stream into TCP writes of at most sliceBytes', async () => {
    await using upstream = await tcpUpstream();
    await using proxy = await ChaosProxy.start({
      target: upstream.url,
      toServer: { sliceBytes: 100, sliceDelayMs: 2 },
    });
    const client = await tcpClient(proxy.url);
    const socket = await upstream.nextSocket();
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    client.write(bytes);
    const got = await readBytes(socket, bytes.byteLength);
    expect(got.equals(bytes)).toBe(true);
    const sizes = upstream.chunks[0]!.map((c) => c.byteLength);
    figures('slicer 100 B: chunk count, largest', [sizes.length, Math.max(...sizes)]);
    // 30 slices 2 ms apart; a stalled event loop may merge a few on the receiving side
    expect(sizes.length).toBeGreaterThanOrEqual(20);
    expect(sizes.filter((n) => n <= 100).length).toBeGreaterThanOrEqual(sizes.length * 0.8);
    client.destroy();
  });

  it('models TCP loss as a retransmission delay on each lost chunk, and logs it', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    proxy.set({ toServer: { lossRate: 1, retransmitMs: 100 } });
    const rtts = await echoRtts(ws, 3);
    figures('loss 1, rto 100 → rtt', rtts);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(99.5);
      expect(rtt).toBeLessThan(100 + 80);
    }
    // nothing is missing: every echo came back; each message was one chunk, one 'loss'
    const loss = faultsOf(proxy, 'loss');
    expect(loss).toHaveLength(3);
    for (const f of loss) expect(f).toMatchObject({ direction: 'toServer', detail: { ms: 100 } });
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
