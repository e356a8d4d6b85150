/**
 * ChaosProxy schedules over real sockets: intermittent on/off cycles, a blip, an outage (reset,
 * refused, accepted again), and cancelling. The schedules run on an injected ManualClock, so each
 * step is checked at its exact time (and one millisecond before it), however busy the machine; one
 * blip runs on the default real clock, checked with lower bounds only.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  closedWith,
  faultsOf,
  openClient,
  record,
  refusedWith,
  TIMER_SLACK_MS,
  until,
  within,
} from './proxy-helpers.js';

/** The fault log as `[kind, atMs]` pairs (atMs on the proxy's clock). */
const timeline = (proxy: ChaosProxy) => proxy.faults.map((f) => [f.kind, f.atMs]);
const ended = (handle: { done: Promise<void> }) => within(handle.done, 2000, 'the end of the schedule');

describe('ChaosProxy schedules', { timeout: 10_000 }, () => {
  it('intermittent: onMs of link, offMs of blackout, for the given cycles', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    const got = record(ws);
    const handle = proxy.schedule({ kind: 'intermittent', onMs: 100, offMs: 100, cycles: 2 });
    for (let cycle = 0; cycle < 2; cycle++) {
      clock.advance(99);
      expect(proxy.faults).toHaveLength(2 * cycle); // the link is still on
      clock.advance(1);
      expect(timeline(proxy).at(-1)).toEqual(['blackout', 200 * cycle + 100]);
      // a message sent as the blackout begins is read by the proxy and held until it ends
      const out = proxy.stats().toServer.bytesOut;
      ws.send(`during off ${cycle}`);
      await expect.poll(() => proxy.stats().toServer.messages).toBe(cycle + 1);
      clock.advance(99);
      expect(proxy.stats().toServer.bytesOut).toBe(out);
      expect(got).toHaveLength(cycle);
      clock.advance(1);
      expect(timeline(proxy).at(-1)).toEqual(['restore', 200 * cycle + 200]);
      expect(proxy.stats().toServer.bytesOut).toBeGreaterThan(out);
      await until(ws, () => got.length === cycle + 1);
    }
    await ended(handle);
    clock.advance(1000); // two cycles, then no more
    expect(timeline(proxy)).toEqual([
      ['blackout', 100],
      ['restore', 200],
      ['blackout', 300],
      ['restore', 400],
    ]);
    expect(got.map((m) => m.data)).toEqual(['during off 0', 'during off 1']);
    ws.close();
  });

  it('blip: one blackout of ms after afterMs', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    const handle = proxy.schedule({ kind: 'blip', ms: 150, afterMs: 50 });
    clock.advance(49);
    expect(timeline(proxy)).toEqual([]);
    clock.advance(1);
    expect(timeline(proxy)).toEqual([['blackout', 50]]);
    clock.advance(149);
    expect(timeline(proxy)).toEqual([['blackout', 50]]);
    clock.advance(1);
    await ended(handle);
    clock.advance(1000);
    expect(timeline(proxy)).toEqual([
      ['blackout', 50],
      ['restore', 200],
    ]);
    ws.close();
  });

  it('blip on the default real clock: neither the blackout nor the restore comes early', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    const events: { kind: string; at: number }[] = [];
    proxy.on('fault', (f) => events.push({ kind: f.kind, at: performance.now() }));
    const t0 = performance.now();
    await ended(proxy.schedule({ kind: 'blip', ms: 150, afterMs: 50 }));
    expect(events.map((e) => e.kind)).toEqual(['blackout', 'restore']);
    // on the schedule's own timeline (from its start): blackout at 50 ms, restore at 50 + 150 (a
    // late blackout does not move the restore). Timers may fire up to TIMER_SLACK_MS early; no upper
    // bound, as a stalled machine fires them late.
    expect(events[0]!.at - t0).toBeGreaterThanOrEqual(50 - TIMER_SLACK_MS);
    expect(events[1]!.at - t0).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
    ws.close();
  });

  it('outage: open connections reset, new ones refused for ms, then accepted again', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    const closed = closedWith(ws);
    const handle = proxy.schedule({ kind: 'outage', ms: 250 });
    expect(proxy.connections).toEqual([1]);
    clock.advance(0); // the outage starts at once: the open connection is reset
    expect(proxy.connections).toEqual([]);
    expect((await closed).code).toBe(1006);
    expect(await refusedWith(proxy.url)).toBe('ECONNRESET');
    clock.advance(249);
    expect(await refusedWith(proxy.url)).toBe('ECONNRESET'); // still, 1 ms before the end
    clock.advance(1);
    await ended(handle);
    const again = await openClient(proxy.url);
    expect(timeline(proxy)).toEqual([
      ['reset', 0],
      ['refused', 0],
      ['refused', 249],
    ]);
    expect(server.stats().connections.total).toBe(2);
    again.close();
  });

  it('cancel() ends a blackout in progress at once', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    const got = record(ws);
    const handle = proxy.schedule({ kind: 'blip', ms: 5000 });
    clock.advance(0);
    expect(faultsOf(proxy, 'blackout')).toHaveLength(1);
    const out = proxy.stats().toServer.bytesOut;
    ws.send('held');
    await expect.poll(() => proxy.stats().toServer.messages).toBe(1);
    expect(proxy.stats().toServer.bytesOut).toBe(out);
    handle.cancel(); // no time passes: only the cancel can release the message
    expect(proxy.stats().toServer.bytesOut).toBeGreaterThan(out);
    await ended(handle);
    await until(ws, () => got.length === 1);
    clock.advance(5000); // the blip's own end was cancelled with it
    expect(timeline(proxy)).toEqual([
      ['blackout', 0],
      ['restore', 0],
    ]);
    ws.close();
  });
});
