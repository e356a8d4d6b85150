/**
 * ChaosProxy changed at runtime while traffic flows (set, per-connection set, clear), custom
 * profiles, and the coded errors for bad options.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { OptionsError } from '../../src/errors.js';
import { ChaosProxy, type ChaosProxyOptions } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  clockRtts,
  echoRtts,
  faultsOf,
  nextFault,
  openClient,
  paired,
  TIMER_SLACK_MS,
} from './proxy-helpers.js';

const atLeast = (ms: number) => ms - TIMER_SLACK_MS;

describe('ChaosProxy at runtime', { timeout: 10_000 }, () => {
  // on a ManualClock the round trips are counted in the proxy's own ms: exact, and no real waiting
  it('set() changes conditions and faults of an open connection mid-stream; clear() undoes them', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const ws = await openClient(proxy.url);
    expect(await clockRtts(ws, proxy, clock, 2, 'clean')).toEqual([0, 0]);
    proxy.set({ toServer: { latencyMs: 40 } });
    expect(await clockRtts(ws, proxy, clock, 3, 'slow')).toEqual([40, 40, 40]);
    proxy.set({ toServer: { drop: 1 } }); // merges: the latency stays
    const dropped = nextFault(proxy, 'drop');
    ws.send('lost');
    expect(await dropped).toMatchObject({ direction: 'toServer', message: 5 });
    proxy.clear();
    expect(await clockRtts(ws, proxy, clock, 2, 'clear')).toEqual([0, 0]);
    expect(server.messages.map((m) => m.data)).not.toContain('lost');
    expect(server.messages).toHaveLength(2 + 3 + 2);
    ws.close();
  });

  it('set(settings, id) changes that connection only; an unknown id throws', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, clock });
    const first = paired(proxy);
    const a = await openClient(proxy.url);
    const { id } = await first;
    const b = await openClient(proxy.url);
    proxy.set({ toClient: { latencyMs: 50 } }, id);
    expect(await clockRtts(a, proxy, clock, 2)).toEqual([50, 50]);
    expect(await clockRtts(b, proxy, clock, 2)).toEqual([0, 0]);
    // a proxy-wide change merges over it: connection a keeps its latency and gets the new field,
    // connection b gets the new field only
    proxy.set({ toServer: { latencyMs: 20 } });
    expect(await clockRtts(a, proxy, clock, 2)).toEqual([70, 70]);
    expect(await clockRtts(b, proxy, clock, 2)).toEqual([20, 20]);
    proxy.clear(); // and clear() clears both
    expect(await clockRtts(a, proxy, clock, 2)).toEqual([0, 0]);
    expect(await clockRtts(b, proxy, clock, 2)).toEqual([0, 0]);
    expect(() => proxy.set({ toClient: { latencyMs: 1 } }, 99)).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/no open connection 99/),
      }),
    );
    a.close();
    b.close();
  });

  it('set() takes effect mid-stream, also when frames span TCP chunks', async () => {
    await using server = await MockServer.start({ maxPayloadBytes: 1024 * 1024 });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    let scannedAtSet = -1;
    server.on('message', () => {
      if (server.messages.length !== 3) return;
      proxy.set({ toServer: { drop: 1 } });
      scannedAtSet = proxy.stats().toServer.messages;
    });
    // 40 × 200 KB in one burst: the proxy reads it in chunks that end mid-frame
    for (let i = 0; i < 40; i++) ws.send(`${i}:${'y'.repeat(200_000)}`);
    await expect.poll(() => proxy.stats().toServer.messages).toBe(40);
    expect(scannedAtSet).toBeGreaterThanOrEqual(3);
    expect(scannedAtSet).toBeLessThan(39);
    // the message the proxy was in the middle of may still pass; every later one is dropped
    const dropped = faultsOf(proxy, 'drop').map((f) => f.message!);
    const first = dropped[0]!;
    expect([scannedAtSet, scannedAtSet + 1]).toContain(first);
    expect(dropped).toEqual(Array.from({ length: 40 - first }, (_, i) => first + i));
    await expect.poll(() => server.messages.length).toBe(first);
    ws.close();
  });

  it('switching message faults on and off mid-stream never loses, doubles or garbles a byte', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await openClient(proxy.url);
    // faults on and off at every turn of the event loop while a burst of 20 KB messages flows
    let on = false;
    let flipping = true;
    const flip = () => {
      if (on) proxy.clear();
      else proxy.set({ toServer: { drop: (m) => m.index % 10 === 4, reorder: (m) => m.index % 10 === 7 } });
      on = !on;
      if (flipping) setImmediate(flip);
    };
    setImmediate(flip);
    const count = 300;
    for (let i = 0; i < count; i++) ws.send(`${i}:${'x'.repeat(20_000)}`);
    await expect.poll(() => proxy.stats().toServer.messages).toBe(count);
    flipping = false;
    proxy.clear();
    ws.send(`${count}:tail`); // releases any message still held for a reorder
    const drops = faultsOf(proxy, 'drop').map((f) => f.message);
    expect(drops.length).toBeGreaterThan(0);
    await expect.poll(() => server.messages.length).toBe(count + 1 - drops.length);
    const ids = server.messages.map((m) => Number(String(m.data).split(':')[0]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Array.from({ length: count + 1 }, (_, i) => i).filter((i) => !ids.includes(i))).toEqual(drops);
    for (const m of server.messages) expect(String(m.data)).toMatch(/^\d+:(x{20000}|tail)$/);
    if (process.env.PROXY_FIGURES) {
      console.log('toggling: drops', drops.length, 'reorders', faultsOf(proxy, 'reorder').length);
    }
    ws.close();
  });

  it('accepts a custom profile', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      profile: { toServer: { latencyMs: 25 }, toClient: { latencyMs: 15 } },
    });
    const ws = await openClient(proxy.url);
    for (const rtt of await echoRtts(ws, 3)) expect(rtt).toBeGreaterThanOrEqual(atLeast(25 + 15));
    ws.close();
  });
});

describe('ChaosProxy options', () => {
  const target = 'ws://127.0.0.1:9';
  const cases: [string, ChaosProxyOptions, RegExp][] = [
    [
      'an unknown profile',
      { target, profile: 'moon' as never },
      /unknown profile "moon" \(known: local, regional/,
    ],
    [
      'a negative latency',
      { target, toServer: { latencyMs: -1 } },
      /toServer\.latencyMs must be a finite number >= 0, got -1/,
    ],
    [
      'a lossRate above 1',
      { target, both: { lossRate: 2 } },
      /both\.lossRate must be a finite number >= 0 <= 1, got 2/,
    ],
    [
      'a drop chance above 1',
      { target, toClient: { drop: 1.5 } },
      /toClient\.drop must be a finite number >= 0 <= 1, got 1\.5/,
    ],
    [
      'an unknown direction key',
      { target, toServer: { latency: 5 } as never },
      /toServer: unknown option 'latency' \(known: latencyMs,.* drop,/,
    ],
    ['an unknown option', { target, targets: [] } as never, /ChaosProxy: unknown option 'targets'/],
    [
      'an http:// target',
      { target: 'http://127.0.0.1:9' },
      /target 0 must be a ws:\/\/ or wss:\/\/ URL, got "http:\/\/127\.0\.0\.1:9"/,
    ],
    [
      'a target that is no URL',
      { target: ['ws://127.0.0.1:9', 'nope'] },
      /target 1 must be a ws:\/\/ or wss:\/\/ URL, got "nope"/,
    ],
    ['no target', { target: [] }, /target must be a URL or a non-empty list of URLs/],
  ];
  for (const [what, options, message] of cases) {
    it(`rejects ${what} with WS_KIT_ERR_INVALID_OPTION`, async () => {
      const error = await ChaosProxy.start(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OptionsError);
      expect(error).toMatchObject({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: expect.stringMatching(message),
      });
    });
  }

  it('set() rejects a bad field and keeps what was in force', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, toServer: { latencyMs: 30 } });
    expect(() => proxy.set({ toServer: { latencyMs: 0, jitterMs: -5 } })).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: expect.stringMatching(/jitterMs/),
      }),
    );
    const ws = await openClient(proxy.url);
    for (const rtt of await echoRtts(ws, 2)) expect(rtt).toBeGreaterThanOrEqual(atLeast(30));
    ws.close();
  });
});
