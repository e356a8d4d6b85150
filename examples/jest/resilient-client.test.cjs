/**
 * ResilientClient in a Jest suite, in plain CommonJS: zero loss across a server restart checked with
 * validators, and a fake-timer test stepping through the exact backoff delays.
 *
 * Jest needs no transform for it. In your project, either list '@semantest/ws-kit/jest' in
 * `setupFilesAfterEnv` or require it as below.
 */
const { DeliveryValidator, MockServer, OrderingValidator, ResilientClient } = require('@semantest/ws-kit');
require('@semantest/ws-kit/jest');

/** The next event `name` of `client` (subscribe before it can fire). */
function next(client, name) {
  return new Promise((resolve) => client.once(name, resolve));
}

describe('ResilientClient against a MockServer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('loses nothing and keeps per-channel order across a server restart', async () => {
    const server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = new ResilientClient(server.url, { backoff: { initialMs: 20 } });
    try {
      const delivery = new DeliveryValidator();
      const order = new OrderingValidator({ mode: 'per-channel' });
      server.on('message', (m) => {
        delivery.received(m.data.id, { channel: m.channel });
        order.observe(m); // the client numbers every channel 1, 2, 3 … across reconnects
      });
      const send = (from, to) => {
        for (let id = from; id < to; id++) {
          const channel = id % 2 === 0 ? 'even' : 'odd';
          delivery.sent(id, { channel });
          void client.send({ id }, { channel }); // resolves once acked; kept and resent until then
        }
      };

      await client.opened();
      send(0, 100);
      const reconnected = next(client, 'reconnected');
      await server.restart({ mode: 'graceful' }); // close 1012 to everyone, same port
      send(100, 200); // buffered while the client reconnects
      await reconnected;
      await client.drained(); // every message acked by the server

      expect(delivery).toPass();
      expect(order).toPass();
      expect(delivery.report()).toMatchObject({ sent: 200, intact: 200, lost: 0, duplicated: 0 });
      expect(client.stats()).toMatchObject({ reconnects: 1, unacked: 0 });
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('steps through the exact backoff delays with fake timers', async () => {
    // fake only setTimeout/clearTimeout: sockets, promises and process.nextTick stay real
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
      ],
    });
    const gone = await MockServer.start({ protocols: ['semantest-v1'] });
    const url = gone.url;
    await gone.close(); // nothing listens there now: every attempt is refused

    let attempts = 0;
    // the url may be a function, called before every attempt: a way to count them
    const client = new ResilientClient(
      () => {
        attempts++;
        return url;
      },
      { backoff: { initialMs: 50, maxMs: 400, jitter: 'none' }, heartbeat: false, autoConnect: false },
    );
    try {
      let reconnecting = next(client, 'reconnecting');
      client.connect();
      for (const [i, expected] of [50, 100, 200, 400, 400].entries()) {
        const event = await reconnecting; // the refusal is real socket I/O: wait for the event
        reconnecting = next(client, 'reconnecting');
        expect(event).toMatchObject({ attempt: i + 1, delayMs: expected, reason: { kind: 'error' } });
        await jest.advanceTimersByTimeAsync(expected - 1);
        expect(attempts).toBe(i + 1); // 1 ms early: no new attempt yet
        await jest.advanceTimersByTimeAsync(1);
        expect(attempts).toBe(i + 2); // exactly on time
      }
    } finally {
      await client.close();
    }
  });
});
