/**
 * Seeded fault mixes against ResilientClient's zero-loss guarantee: a MockServer (semantest-v1,
 * echo) behind a ChaosProxy, a client streaming JSON `{ id }` on three channels at two per
 * millisecond, and a fixed schedule of faults (message drops, corruption, duplicates, delays,
 * reordering, resets, blackouts, timeouts, outages, restarts, a half-open server) keyed to the
 * stream's progress. Both directions must show 0 lost, 0 duplicated and per-channel order, and
 * the proxy must have injected what the mix names. The mixes come from a randomized fuzz run,
 * which also found two server bugs, since fixed: a duplicated `hello` closed the connection with
 * 1002 (the client then stayed closed), and a stale `hello` read late by a stalled server took the
 * session from the live connection (client-robustness.test.ts covers that one).
 */
import { describe, expect, it } from 'vitest';
import { ResilientClient } from '../../src/client/index.js';
import { ChaosProxy, type FaultKind, type FaultRecord, type MessageInfo } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { DeliveryValidator, OrderingValidator } from '../../src/validators/index.js';

const COUNT = 1200;
const CHANNELS = 3;
const PER_MS = 2;

/** What a fault step gets: the pair under test, the proxy, and the stream's progress. */
interface FuzzContext {
  server: MockServer;
  proxy: ChaosProxy;
  /** Resolves once `n` messages were sent: an event, not a sleep. */
  untilSent(n: number): Promise<void>;
  /** Resolves at the client's next `reconnected` event. */
  reconnected(): Promise<void>;
}

/** A fault step: runs once `at` messages were sent; may return a promise (awaited before the end). */
interface Step {
  at: number;
  run(ctx: FuzzContext): unknown;
}

interface FuzzResult {
  count: number;
  up: { lost: number; duplicated: number; unexpected: number; received: number; outOfOrder: number };
  down: { lost: number; duplicated: number; unexpected: number; received: number; outOfOrder: number };
  faults: Partial<Record<FaultKind, number>>;
  reconnects: number;
  unacked: number;
}

/** A seeded uniform draw in [0, 1) (mulberry32), for fault predicates. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A chance on semantest-v1 data frames only (kind byte 1): never hello, welcome, acks or pings. */
function dataFrames(p: number, seed: number): (m: MessageInfo) => boolean {
  const draw = seeded(seed);
  return (m) => m.payload()[1] === 1 && draw() < p;
}

/** Every `hello` (kind byte 2), and whatever `others` picks. */
function helloOr(others: (m: MessageInfo) => boolean): (m: MessageInfo) => boolean {
  return (m) => m.payload()[1] === 2 || others(m);
}

async function fuzz(seed: number, steps: Step[], count = COUNT): Promise<FuzzResult> {
  await using server = await MockServer.start({
    echo: true,
    protocols: ['semantest-v1'],
    protocol: { maxReplayFrames: 20_000, resendAfterMs: 300 },
  });
  await using proxy = await ChaosProxy.start({ target: server.url, seed });
  const side = () => ({
    delivery: new DeliveryValidator(),
    order: new OrderingValidator({ mode: 'per-channel' }),
  });
  const up = side();
  const down = side();
  const appSeq = (id: number) => Math.floor(id / CHANNELS) + 1; // the application's order per channel
  server.on('message', (m) => {
    const id = (m.data as { id: number }).id;
    up.delivery.received(id, { channel: m.channel });
    up.order.observe({ channel: m.channel, seq: appSeq(id) });
  });
  await using client = new ResilientClient(proxy.url, {
    backoff: { initialMs: 20, maxMs: 200 },
    heartbeat: { intervalMs: 200, timeoutMs: 300 },
    connectTimeoutMs: 1000,
    ack: { timeoutMs: 300 },
  });
  let echoes = 0;
  let allEchoed: () => void = () => undefined;
  const echoed = new Promise<void>((resolve) => {
    allEchoed = resolve;
  });
  client.on('message', (m) => {
    const id = (m.data as { id: number }).id;
    down.delivery.received(id, { channel: m.channel });
    down.order.observe({ channel: m.channel, seq: appSeq(id) });
    if (++echoes === count) allEchoed();
  });
  await client.opened();

  let sent = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  const untilSent = (n: number) =>
    n <= sent ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
  const reconnected = () => new Promise<void>((resolve) => client.once('reconnected', () => resolve()));
  const ctx: FuzzContext = { server, proxy, untilSent, reconnected };
  const queue = [...steps].sort((a, b) => a.at - b.at);
  const running: Promise<unknown>[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(count, Math.floor((performance.now() - start) * PER_MS) + 1);
      for (; sent < due; sent++) {
        const channel = `ch${sent % CHANNELS}`;
        up.delivery.sent(sent, { channel });
        down.delivery.sent(sent, { channel });
        void client.send({ id: sent }, { channel }).catch(() => undefined); // counted as lost below
        while (queue.length > 0 && queue[0]!.at <= sent)
          running.push(Promise.resolve(queue.shift()!.run(ctx)));
      }
      for (const w of waiting.filter((w) => w.n <= sent)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  await Promise.all(running);
  await client.drained({ timeoutMs: 5000 }).catch(() => undefined); // a shortfall shows as lost
  let deadline: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([echoed, new Promise((resolve) => (deadline = setTimeout(resolve, 5000)))]);
  clearTimeout(deadline);
  const report = (s: ReturnType<typeof side>) => {
    const d = s.delivery.report();
    const o = s.order.report();
    return {
      lost: d.lost,
      duplicated: d.duplicated,
      unexpected: d.unexpected,
      received: d.received,
      outOfOrder: o.outOfOrderMessages,
    };
  };
  const stats = client.stats();
  return {
    count,
    up: report(up),
    down: report(down),
    faults: proxy.stats().faults,
    reconnects: stats.reconnects,
    unacked: stats.unacked,
  };
}

/** Zero loss, no duplicates, per-channel order, both ways; and every fault the mix names happened. */
function expectZeroLoss(r: FuzzResult, injected: FaultKind[], minReconnects: number): void {
  if (process.env.WS_KIT_DEBUG) console.log(JSON.stringify(r));
  const clean = { lost: 0, duplicated: 0, unexpected: 0, received: r.count, outOfOrder: 0 };
  expect({ up: r.up, down: r.down }).toEqual({ up: clean, down: clean });
  expect(r.unacked).toBe(0);
  expect(r.reconnects).toBeGreaterThanOrEqual(minReconnects);
  for (const kind of injected) expect(r.faults[kind] ?? 0, `${kind} faults injected`).toBeGreaterThan(0);
}

describe('ResilientClient under seeded fault mixes: zero loss both ways', { timeout: 20_000 }, () => {
  it('recovers client → server drops, corruption, duplicates and reordering across a reset', async () => {
    const r = await fuzz(11, [
      {
        at: 50,
        run: ({ proxy }) =>
          proxy.set({
            // every hello twice (kind byte 2), and some data frames
            toServer: { drop: 0.03, corrupt: 0.03, duplicate: helloOr(dataFrames(0.04, 11)), reorder: 0.04 },
          }),
      },
      { at: 500, run: ({ proxy }) => proxy.reset() },
      { at: 1000, run: ({ proxy }) => proxy.clear() },
    ]);
    expectZeroLoss(r, ['drop', 'corrupt', 'duplicate', 'reorder', 'reset'], 1);
  });

  it('recovers server → client drops, corruption, duplicates and delays across an immediate restart', async () => {
    const r = await fuzz(12, [
      {
        at: 50,
        run: ({ proxy }) =>
          proxy.set({
            toClient: { drop: 0.03, corrupt: 0.03, duplicate: 0.05, delay: 0.03, delayMs: 400 },
          }),
      },
      { at: 600, run: ({ server }) => server.restart({ mode: 'immediate' }) },
      { at: 1000, run: ({ proxy }) => proxy.clear() },
    ]);
    expectZeroLoss(r, ['drop', 'corrupt', 'duplicate', 'delay'], 1);
  });

  it('keeps order through a blackout, a graceful restart and reordering both ways', async () => {
    const r = await fuzz(13, [
      {
        at: 50,
        run: ({ proxy }) =>
          proxy.set({ both: { reorder: 0.05, reorderWindow: 5 }, toClient: { duplicate: 0.05 } }),
      },
      { at: 300, run: ({ proxy }) => proxy.blackout(400) },
      { at: 900, run: ({ server }) => server.restart({ mode: 'graceful' }) },
    ]); // the faults stay on through the drain
    expectZeroLoss(r, ['reorder', 'duplicate', 'blackout'], 1);
  });

  it('survives a half-open server, then a proxy timeout, then an abrupt drop', async () => {
    const r = await fuzz(
      14,
      [
        {
          at: 100,
          run: async ({ server, proxy, reconnected }) => {
            const stuck = server.connections.filter((c) => c.isOpen);
            for (const c of stuck) server.pause(c); // the heartbeat notices, the client moves on
            await reconnected();
            for (const c of stuck) if (c.isOpen) server.resume(c);
            proxy.timeout(300); // data discarded, then closed
            await reconnected();
            for (const c of server.connections.filter((c) => c.isOpen)) server.drop(c, 'abrupt');
            await reconnected();
          },
        },
      ],
      2400,
    );
    expectZeroLoss(r, ['timeout'], 3);
  });

  it('survives an outage and then heavy loss both ways', async () => {
    const r = await fuzz(15, [
      {
        at: 200,
        run: async ({ proxy, reconnected }) => {
          const back = reconnected();
          await proxy.schedule({ kind: 'outage', ms: 300 }).done;
          await back;
          // 20 % loss both ways over the backlog the reconnect resends, until 40 messages were dropped
          const dropped = new Promise<void>((resolve) => {
            let n = 0;
            const count = (f: FaultRecord) => {
              if (f.kind !== 'drop' || ++n < 40) return;
              proxy.off('fault', count);
              resolve();
            };
            proxy.on('fault', count);
          });
          proxy.set({ both: { drop: 0.2 } });
          await dropped;
          proxy.clear();
        },
      },
    ]);
    expectZeroLoss(r, ['reset', 'refused', 'drop'], 1);
  });
});
