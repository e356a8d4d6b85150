/**
 * ResilientClient in a Vitest suite: zero loss across a server restart, checked with validators,
 * and a fake-timer test that steps through the exact backoff delays. It runs with `npm test`.
 *
 * In your project, register the matchers with `import '@semantest/ws-kit/vitest'` (or list it in
 * `test.setupFiles`); inside this repository the subpath points at the source instead.
 */
import {
  DeliveryValidator,
  MockServer,
  OrderingValidator,
  type ReconnectingEvent,
  ResilientClient,
} from '@semantest/ws-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '@semantest/ws-kit/vitest';

afterEach(() => {
  vi.useRealTimers();
});

/** The next `reconnecting` event (subscribe before the event can fire). */
function nextReconnecting(client: ResilientClient): Promise<ReconnectingEvent> {
  return new Promise((resolve) => client.once('reconnecting', resolve));
}

describe('ResilientClient against a MockServer', () => {
  it('loses nothing and keeps per-channel order across a server restart', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { backoff: { initialMs: 20 } });
    const delivery = new DeliveryValidator();
    const order = new OrderingValidator({ mode: 'per-channel' });
    server.on('message', (m) => {
      delivery.received((m.data as { id: number }).id, { channel: m.channel });
      order.observe(m); // the client numbers every channel 1, 2, 3 … across reconnects
    });
    const send = (from: number, to: number) => {
      for (let id = from; id < to; id++) {
        const channel = id % 2 === 0 ? 'even' : 'odd';
        delivery.sent(id, { channel });
        void client.send({ id }, { channel }); // resolves once acked; kept and resent until then
      }
    };

    await client.opened();
    send(0, 100);
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    await server.restart({ mode: 'immediate' }); // every socket destroyed, like a crash
    send(100, 200); // buffered while the client reconnects
    await reconnected;
    await client.drained(); // every message acked by the server

    expect(delivery).toPass();
    expect(order).toPass();
    expect(delivery.report()).toMatchObject({ sent: 200, intact: 200, lost: 0, duplicated: 0 });
    expect(client.stats()).toMatchObject({ reconnects: 1, unacked: 0 });
  });

  it('steps through the exact backoff delays with fake timers', async () => {
    // fake only the timers: sockets, promises and process.nextTick stay real
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const gone = await MockServer.start({ protocols: ['semantest-v1'] });
    let target = gone.url;
    await gone.close(); // nothing listens there now: every attempt is refused

    let attempts = 0;
    // the url may be a function, called before every attempt: a way to count them
    const client = new ResilientClient(
      () => {
        attempts++;
        return target;
      },
      { backoff: { initialMs: 50, maxMs: 400, jitter: 'none' }, heartbeat: false, autoConnect: false },
    );
    let reconnecting = nextReconnecting(client);
    client.connect();

    for (const [i, expected] of [50, 100, 200, 400].entries()) {
      const event = await reconnecting; // the refusal is real socket I/O: wait for the event
      reconnecting = nextReconnecting(client);
      expect(event).toMatchObject({ attempt: i + 1, delayMs: expected, reason: { kind: 'error' } });
      await vi.advanceTimersByTimeAsync(expected - 1);
      expect(attempts).toBe(i + 1); // 1 ms early: no new attempt yet
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toBe(i + 2); // exactly on time
    }

    // the server comes back (at a new address here): the next scheduled attempt connects
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    target = server.url;
    const event = await reconnecting;
    expect(event.delayMs).toBe(400); // capped at maxMs
    await vi.advanceTimersByTimeAsync(400);
    await client.opened();
    expect(attempts).toBe(6);
    await client.close();
  });
});
