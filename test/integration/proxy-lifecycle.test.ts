/**
 * ChaosProxy lifecycle: close() leaves no socket, server or timer behind, is idempotent, and
 * `await using` disposes of it; stats; and a wss:// upstream behind a ws:// listener.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  activeNetworkAndTimers,
  closedWith,
  echoRtts,
  leftAfterSettling,
  openClient,
  refusedWith,
  within,
} from './proxy-helpers.js';

const tlsDir = path.resolve(import.meta.dirname, '../fixtures/tls');
const TLS = {
  key: readFileSync(path.join(tlsDir, 'localhost-key.pem'), 'utf8'),
  cert: readFileSync(path.join(tlsDir, 'localhost-cert.pem'), 'utf8'),
};

describe('ChaosProxy lifecycle', { timeout: 10_000 }, () => {
  it('close() leaves no sockets, servers or timers behind, whatever was running', async () => {
    const before = activeNetworkAndTimers();
    const server = await MockServer.start({ echo: true });
    const proxy = await ChaosProxy.start({
      target: [server.url, server.url],
      healthCheck: { intervalMs: 10 },
      toClient: { latencyMs: 500, delay: 1, delayMs: 5000 },
      toServer: { reorder: 1, reorderMaxMs: 5000 },
    });
    const ws = await openClient(proxy.url);
    const closed = closedWith(ws);
    ws.send('held in a reorder');
    const blackout = proxy.blackout(5000);
    proxy.schedule({ kind: 'intermittent', onMs: 1000, offMs: 1000 });
    proxy.slowClose(5000);
    await expect.poll(() => proxy.stats().toServer.messages).toBe(1);
    expect(activeNetworkAndTimers().length).toBeGreaterThan(before.length + 3);
    await proxy.close();
    await blackout; // ends with the proxy
    expect((await closed).code).toBe(1006);
    await server.close();
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('close() cancels every timer it set on its clock, whatever was running', async () => {
    // the resource check above compares counts, so a leaked timer can hide behind one of the
    // runner's that fired meanwhile; on a ManualClock every timer the proxy set is counted
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    const proxy = await ChaosProxy.start({ target: [server.url, server.url], clock });
    const ws = await openClient(proxy.url);
    const closed = closedWith(ws);
    proxy.set({
      toClient: { latencyMs: 500, delay: 1, delayMs: 5000 },
      toServer: { reorder: 1, reorderMaxMs: 5000 },
    });
    ws.send('held in a reorder');
    await expect.poll(() => proxy.stats().toServer.messages).toBe(1);
    const blackout = proxy.blackout(5000);
    proxy.schedule({ kind: 'intermittent', onMs: 1000, offMs: 1000 });
    proxy.slowClose(5000);
    expect(clock.pendingTimers).toBe(3); // the reorder, the blackout's end, the schedule's next step
    await proxy.close();
    await blackout; // ends with the proxy
    expect((await closed).code).toBe(1006);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() is idempotent and the port stops listening', async () => {
    await using server = await MockServer.start();
    const proxy = await ChaosProxy.start({ target: server.url });
    const url = proxy.url;
    const first = proxy.close();
    expect(proxy.close()).toBe(first);
    await first;
    await proxy.close();
    expect(await refusedWith(url)).toBe('ECONNREFUSED');
  });

  it('after close(), blackout() rejects and schedule() throws WS_KIT_ERR_SERVER_CLOSED (nothing left pending)', async () => {
    await using server = await MockServer.start();
    const proxy = await ChaosProxy.start({ target: server.url });
    expect(() => proxy.blackout(-1)).toThrow(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }),
    );
    await proxy.close();
    await expect(proxy.blackout(100)).rejects.toMatchObject({ code: 'WS_KIT_ERR_SERVER_CLOSED' });
    expect(() => proxy.schedule({ kind: 'blip', ms: 50 })).toThrow(
      expect.objectContaining({ code: 'WS_KIT_ERR_SERVER_CLOSED' }),
    );
  });

  it('`await using` closes the proxy and its connections at the end of the block', async () => {
    await using server = await MockServer.start({ echo: true });
    let url = '';
    let closed: ReturnType<typeof closedWith> | undefined;
    {
      await using proxy = await ChaosProxy.start({ target: server.url });
      url = proxy.url;
      const ws = await openClient(url);
      closed = closedWith(ws);
      expect(await echoRtts(ws, 1)).toHaveLength(1);
    }
    expect((await closed).code).toBe(1006);
    expect(await refusedWith(url)).toBe('ECONNREFUSED');
  });

  it('stats() counts bytes, frames and messages each way, faults by kind, and connections', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toClient: { duplicate: (m) => m.index === 0 },
    });
    for (let round = 0; round < 2; round++) {
      const ws = await openClient(proxy.url);
      const echoes = within(
        new Promise<void>((resolve) => {
          let n = 0;
          ws.on('message', () => {
            if (++n === 4) resolve();
          });
        }),
        2000,
        'echoes',
      );
      for (let i = 0; i < 3; i++) ws.send('x'.repeat(100));
      ws.ping();
      await echoes;
      const closed = closedWith(ws);
      ws.close();
      await closed;
    }
    await expect.poll(() => proxy.stats().connections).toEqual({ now: 0, total: 2 });
    const s = proxy.stats();
    expect(s.toServer.messages).toBe(6);
    expect(s.toClient.messages).toBe(6);
    expect(s.toServer.frames).toBe(6 + 2 + 2); // data, pings, close frames
    expect(s.toClient.frames).toBe(6 + 2 + 2); // data, pongs, close frames
    expect(s.faults).toEqual({ duplicate: 2 });
    // the duplicated echoes: 2 × (2-byte header + 100 bytes) more out than in
    expect(s.toClient.bytesOut - s.toClient.bytesIn).toBe(2 * 102);
    expect(s.toServer.bytesOut).toBe(s.toServer.bytesIn);
  });

  it('proxies a wss:// upstream for ws:// clients, frames visible to the faults', async () => {
    await using server = await MockServer.start({ echo: true, tls: TLS });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      tls: { ca: TLS.cert },
      toClient: { drop: (m) => Buffer.from(m.payload()).toString() === 'drop me' },
    });
    expect(server.url).toMatch(/^wss:/);
    const ws = await openClient(proxy.url);
    const got: string[] = [];
    ws.on('message', (d: Buffer) => got.push(d.toString()));
    for (const m of ['a', 'drop me', 'b']) ws.send(m);
    await expect.poll(() => got).toEqual(['a', 'b']);
    expect(server.messages.map((m) => m.data)).toEqual(['a', 'drop me', 'b']);
    ws.close();
  });
});
