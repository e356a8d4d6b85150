/**
 * ChaosProxy's seeded message faults: the same seed and the same traffic give the same fault log,
 * and the validators see exactly what the log says was injected — no more, no less.
 */
import { describe, expect, it } from 'vitest';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { DeliveryValidator, OrderingValidator } from '../../src/validators/index.js';
import { faultsOf, openClient } from './proxy-helpers.js';

/** 100 binary messages through an echo server, every fault kind on both ways: the fault log per direction. */
async function faultLog(seed: number): Promise<Record<'toServer' | 'toClient', string[]>> {
  await using server = await MockServer.start({ echo: true });
  await using proxy = await ChaosProxy.start({
    target: server.url,
    seed,
    both: {
      drop: 0.1,
      duplicate: 0.1,
      corrupt: 0.1,
      reorder: 0.1,
      reorderMaxMs: 50,
      delay: 0.05,
      delayMs: 20,
    },
  });
  const ws = await openClient(proxy.url);
  for (let i = 0; i < 100; i++) ws.send(Buffer.alloc(32, i));
  await expect.poll(() => proxy.stats().toServer.messages).toBe(100);
  const up = (kind: 'drop' | 'duplicate') => faultsOf(proxy, kind).filter((f) => f.direction === 'toServer');
  const arriving = 100 - up('drop').length + up('duplicate').length;
  await expect.poll(() => server.messages.length).toBe(arriving);
  await expect.poll(() => proxy.stats().toClient.messages).toBe(arriving);
  ws.close();
  await expect.poll(() => proxy.stats().connections.now).toBe(0); // held messages went out with the close
  // The faults drawn are fixed by the seed. A held message (delay, reorder) is logged when it goes
  // out, with what passed it meanwhile, which depends on timing: it is compared as "held".
  const of = (direction: string) =>
    proxy.faults
      .filter((f) => f.direction === direction)
      .map((f) =>
        f.kind === 'delay' || f.kind === 'reorder'
          ? `held #${f.message}`
          : `${f.kind} #${f.message} ${JSON.stringify(f.detail ?? {})}`,
      )
      .sort(
        (x, y) =>
          Number(x.split('#')[1]!.split(' ')[0]) - Number(y.split('#')[1]!.split(' ')[0]) ||
          x.localeCompare(y),
      );
  return { toServer: of('toServer'), toClient: of('toClient') };
}

describe('ChaosProxy seeds', { timeout: 15_000 }, () => {
  it('gives the same fault log for the same seed and traffic, and another for another seed', async () => {
    const a = await faultLog(42);
    const b = await faultLog(42);
    const c = await faultLog(43);
    for (const kind of ['drop', 'duplicate', 'corrupt', 'held']) {
      expect(a.toServer.some((r) => r.startsWith(kind))).toBe(true);
      expect(a.toClient.some((r) => r.startsWith(kind))).toBe(true);
    }
    expect(b).toEqual(a);
    expect(c.toServer).not.toEqual(a.toServer);
    expect(c.toClient).not.toEqual(a.toClient);
  });

  it('lets DeliveryValidator and OrderingValidator see exactly the injected drops, duplicates and reorders', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 21,
      // reorderMaxMs short: some held messages go out by their timer, before all (or any) of the
      // later messages they waited for passed them; the log says what really happened
      toServer: { drop: 0.04, duplicate: 0.04, reorder: 0.04, reorderWindow: 3, reorderMaxMs: 5 },
    });
    const ws = await openClient(proxy.url);
    const delivery = new DeliveryValidator();
    const order = new OrderingValidator({ mode: 'strict' });
    server.on('message', (m) => {
      const { seq } = JSON.parse(String(m.data)) as { seq: number };
      delivery.received(seq);
      order.observe({ seq });
    });
    const send = (seq: number) => {
      delivery.sent(seq);
      ws.send(JSON.stringify({ seq }));
    };
    const n = 300;
    for (let seq = 1; seq <= n; seq++) send(seq);
    await expect.poll(() => proxy.stats().toServer.messages).toBe(n);
    // a clean tail: it releases the reordered messages still held, and ends beyond every drop
    proxy.clear();
    for (let seq = n + 1; seq <= n + 5; seq++) send(seq);
    const drops = faultsOf(proxy, 'drop').map((f) => f.message! + 1);
    const dups = faultsOf(proxy, 'duplicate').map((f) => f.message! + 1);
    expect(drops.length).toBeGreaterThan(3);
    expect(dups.length).toBeGreaterThan(3);
    await expect.poll(() => server.messages.length).toBe(n + 5 - drops.length + dups.length);
    // held messages are logged as they go out: as a reorder when later ones passed them, else a delay
    const reorders = faultsOf(proxy, 'reorder').map((f) => f.message! + 1);
    expect(reorders.length).toBeGreaterThan(3);
    expect(faultsOf(proxy, 'delay').every((f) => f.detail!.after === 0)).toBe(true);

    const d = delivery.report();
    expect(d.lost).toBe(drops.length);
    expect(d.duplicated).toBe(dups.length);
    expect([d.corrupted, d.unexpected]).toEqual([0, 0]);
    expect([...d.firstLost].sort((x, y) => Number(x) - Number(y))).toEqual(
      drops.slice(0, d.firstLost.length),
    );
    const o = order.report();
    expect(o.missingMessages).toBe(drops.length);
    expect(o.duplicateMessages).toBe(dups.length);
    expect(o.outOfOrderMessages).toBe(reorders.length);
    expect(o.beyondWindow).toBe(0);
    ws.close();
  });
});
