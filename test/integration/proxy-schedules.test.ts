/**
 * ChaosProxy schedules over real sockets: intermittent on/off cycles, a blip, an outage (reset,
 * refused, accepted again), and cancelling — timed on the proxy's fault events.
 */
import { describe, expect, it } from 'vitest';
import { ChaosProxy, type FaultRecord } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { closedWith, faultsOf, openClient, record, refusedWith, until } from './proxy-helpers.js';

describe('ChaosProxy schedules', { timeout: 10_000 }, () => {
  const timeline = (proxy: ChaosProxy) => {
    const events: { kind: string; at: number }[] = [];
    proxy.on('fault', (f: FaultRecord) => events.push({ kind: f.kind, at: performance.now() }));
    return events;
  };

  it('intermittent: onMs of link, offMs of blackout, for the given cycles', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const got = record(ws);
    const events = timeline(proxy);
    proxy.on('fault', (f) => {
      if (f.kind === 'blackout') ws.send(`during off ${events.length}`);
    });
    const t0 = performance.now();
    const handle = proxy.schedule({ kind: 'intermittent', onMs: 100, offMs: 100, cycles: 2 });
    await handle.done;
    expect(events.map((e) => e.kind)).toEqual(['blackout', 'restore', 'blackout', 'restore']);
    const at = events.map((e) => e.at - t0);
    [100, 200, 300, 400].forEach((due, i) => {
      expect(at[i]).toBeGreaterThanOrEqual(due - 1);
      expect(at[i]).toBeLessThan(due + 80);
    });
    await until(ws, () => got.length === 2);
    // each message sent as a blackout began came back only after that blackout ended
    expect(got[0]!.at).toBeGreaterThanOrEqual(events[1]!.at);
    expect(got[1]!.at).toBeGreaterThanOrEqual(events[3]!.at);
    ws.close();
  });

  it('blip: one blackout of ms after afterMs', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const events = timeline(proxy);
    const t0 = performance.now();
    await proxy.schedule({ kind: 'blip', ms: 150, afterMs: 50 }).done;
    expect(events.map((e) => e.kind)).toEqual(['blackout', 'restore']);
    // on the schedule's own timeline (from its start): blackout at 50 ms, restore at 50 + 150
    expect(events[0]!.at - t0).toBeGreaterThanOrEqual(49);
    expect(events[0]!.at - t0).toBeLessThan(50 + 80);
    expect(events[1]!.at - t0).toBeGreaterThanOrEqual(199);
    expect(events[1]!.at - t0).toBeLessThan(200 + 80);
    ws.close();
  });

  it('outage: open connections reset, new ones refused for ms, then accepted again', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const closed = closedWith(ws);
    const t0 = performance.now();
    const handle = proxy.schedule({ kind: 'outage', ms: 250 });
    const c = await closed;
    expect(c.code).toBe(1006);
    expect(c.at - t0).toBeLessThan(100);
    expect(await refusedWith(proxy.url)).toBe('ECONNRESET');
    await handle.done;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(249);
    const again = await openClient(proxy.url);
    expect(faultsOf(proxy, 'reset')).toHaveLength(1);
    expect(faultsOf(proxy, 'refused')).toHaveLength(1);
    expect(server.stats().connections.total).toBe(2);
    again.close();
  });

  it('cancel() ends a blackout in progress at once', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const got = record(ws);
    const handle = proxy.schedule({ kind: 'blip', ms: 5000 });
    await expect.poll(() => faultsOf(proxy, 'blackout').length).toBe(1);
    ws.send('held');
    await expect.poll(() => proxy.stats().toServer.messages).toBe(1);
    const t0 = performance.now();
    handle.cancel();
    await handle.done;
    await until(ws, () => got.length === 1);
    expect(performance.now() - t0).toBeLessThan(200);
    ws.close();
  });
});
