import { setImmediate as realImmediate } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResilientClient } from '../../src/client/index.js';
import { createRandom } from '../../src/internal/random.js';
import { MockServer } from '../../src/server/index.js';
import { DeliveryValidator, OrderingValidator } from '../../src/validators/index.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Lets real socket I/O run (fake timers do not touch node:timers/promises). */
const io = () => realImmediate();

describe('ResilientClient through a 30 s outage, time driven by fake timers', { timeout: 30_000 }, () => {
  it('buffers, backs off for 30 s of fake time, reconnects on the first attempt after, and loses nothing', async () => {
    // MockServer keeps real time (realClock); the client's timers are fake
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await using server = await MockServer.start({
      echo: true,
      protocols: ['semantest-v1'],
      protocol: { maxReplayFrames: 20_000 },
    });
    const up = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
    const down = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
    server.on('message', (m) => {
      up.delivery.received((m.data as { id: number }).id, { channel: m.channel });
      up.order.observe(m);
    });
    await using client = new ResilientClient(server.url, {
      heartbeat: false, // the outage is a refused server, seen at once; fake time would starve pongs
      backoff: { initialMs: 250, maxMs: 5000, jitter: 'full' },
      random: createRandom(7),
    });
    let received = 0;
    client.on('message', (m) => {
      received++;
      down.delivery.received((m.data as { id: number }).id, { channel: m.channel });
      down.order.observe(m);
    });
    const delays: number[] = [];
    client.on('reconnecting', (e) => delays.push(e.delayMs));
    const reconnected = new Promise<void>((resolve) => client.once('reconnected', () => resolve()));
    while (client.state !== 'open') await io();

    const count = 10_000;
    let sent = 0;
    /** Sends at 1 per ms of fake time for `ms`, advancing the clock as it goes. */
    const streamFor = async (ms: number) => {
      for (let t = 0; t < ms; t += 10) {
        for (let i = 0; i < 10 && sent < count; i++, sent++) {
          const channel = `ch${sent % 3}`;
          up.delivery.sent(sent, { channel });
          down.delivery.sent(sent, { channel });
          void client.send({ id: sent }, { channel });
        }
        await vi.advanceTimersByTimeAsync(Math.min(10, ms - t));
        await io();
      }
    };

    await streamFor(2000);
    // the outage: every connection dropped, every upgrade refused
    server.rejectNext(Number.POSITIVE_INFINITY, 503);
    for (const c of server.connections.filter((c) => c.isOpen)) server.drop(c, 'abrupt');
    let outageMs = 0;
    let handled = 0;
    /** Waits for the next `reconnecting` event (a loss or a refused attempt) not handled yet. */
    const nextDelay = async () => {
      while (delays.length <= handled) await io();
      return delays[handled++]!;
    };
    while (outageMs < 30_000) {
      const delay = Math.ceil(await nextDelay());
      await streamFor(delay); // its last step fires the next attempt, which is refused
      outageMs += delay;
    }
    await nextDelay(); // the attempt in flight was refused: the next one waits on the fake clock
    expect(client.state).toBe('reconnecting');
    expect(client.stats().unacked).toBeGreaterThan(5000); // held while offline
    server.rejectNext(0); // reachable again
    const attemptsBefore = delays.length;
    while (client.state !== 'open') {
      await vi.advanceTimersByTimeAsync(10);
      await io();
    }
    await reconnected;
    // the first attempt after the server came back succeeded
    expect(delays.length).toBe(attemptsBefore);
    await streamFor(count - sent); // the rest (none when the outage already covered them)
    // acks and echoes are real I/O: no fake time passes while they flow (so no ack timeout fires)
    while (received < count || client.stats().unacked > 0) await io();
    for (const side of [up, down]) {
      const r = side.delivery.report();
      expect({ lost: r.lost, duplicated: r.duplicated, received: r.received }).toEqual({
        lost: 0,
        duplicated: 0,
        received: count,
      });
      side.order.assert();
    }
    // backoff grew to its cap during the outage, with fresh jitter per attempt
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
    expect(new Set(delays.map((d) => Math.round(d))).size).toBe(delays.length);
    expect(client.stats().reconnects).toBe(1);
  });
});
