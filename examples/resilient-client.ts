/**
 * ResilientClient tour: a client speaking semantest-v1 to a MockServer that echoes every message.
 * It sends on two channels, lives through a graceful and an immediate server restart while more
 * messages are in flight, and proves with DeliveryValidator and OrderingValidator that nothing was
 * lost or duplicated and every channel kept its order — in both directions.
 * Every step is checked; the process exits 0 only if all checks hold.
 *
 * Run: node --import tsx examples/resilient-client.ts
 */
import { DeliveryValidator, MockServer, OrderingValidator, ResilientClient } from '@semantest/ws-kit';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

const PER_ROUND = 200;
const channels = ['orders', 'chat'];

{
  await using server = await MockServer.start({ echo: true, protocols: ['semantest-v1'] });
  // reconnect quickly: 50 ms, then 100 ms, 200 ms … (no jitter, so the log below is predictable;
  // the schedule starts over once a connection has stayed up for backoff.stableMs, 5 s by default)
  await using client = new ResilientClient(server.url, { backoff: { initialMs: 50, jitter: 'none' } });
  console.log(`client connecting to ${server.url}`);

  // what the server received (client → server) and what came back (server → client)
  const up = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  const down = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  server.on('message', (m) => {
    up.delivery.received((m.data as { id: number }).id, { channel: m.channel });
    up.order.observe(m);
  });
  let echoes = 0;
  let allEchoed: () => void = () => undefined;
  const everyEcho = new Promise<void>((resolve) => {
    allEchoed = resolve;
  });
  client.on('message', (m) => {
    down.delivery.received((m.data as { id: number }).id, { channel: m.channel });
    down.order.observe(m);
    if (++echoes === PER_ROUND * 3) allEchoed();
  });
  client.on('reconnecting', (e) => console.log(`reconnecting: attempt ${e.attempt} in ${e.delayMs} ms`));
  client.on('reconnected', (e) => console.log(`reconnected after ${e.attempts} attempt(s)`));

  let next = 0;
  /** Sends `n` messages round-robin over the channels, declaring each to both validators first. */
  function sendSome(n: number): void {
    for (const end = next + n; next < end; next++) {
      const channel = channels[next % channels.length]!;
      up.delivery.sent(next, { channel });
      down.delivery.sent(next, { channel });
      void client.send({ id: next }, { channel }); // resolves when acked; failures are also events
    }
  }

  // 1. connect and send; drained() waits until the server acked every message
  await client.opened();
  check(client.protocol === 'semantest-v1', 'negotiated semantest-v1');
  sendSome(PER_ROUND);
  await client.drained();
  check(client.stats().unacked === 0, 'first round acked');

  // 2. send while the server restarts, gracefully (close 1012) and then abruptly (sockets destroyed):
  //    unacked messages are kept; on reconnect the server says what it already has, the rest is resent
  for (const mode of ['graceful', 'immediate'] as const) {
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    sendSome(PER_ROUND / 2);
    await server.restart({ mode });
    sendSome(PER_ROUND / 2); // written while offline: waits in the buffer
    await reconnected;
    await client.drained();
    console.log(`${mode} restart: all ${next} messages acked, ${client.stats().resends} resent so far`);
  }

  // 3. zero loss, zero duplicates, order kept per channel — both ways
  await everyEcho;
  for (const [direction, v] of Object.entries({ up, down })) {
    const r = v.delivery.report();
    console.log(
      `${direction}: sent ${r.sent}, received ${r.received}, lost ${r.lost}, duplicated ${r.duplicated}`,
    );
    check(r.sent === PER_ROUND * 3 && r.lost === 0 && r.duplicated === 0, `${direction}: zero loss`);
    v.delivery.assert();
    v.order.assert();
  }
  const stats = client.stats();
  console.log(`stats: reconnects ${stats.reconnects}, resends ${stats.resends}, unacked ${stats.unacked}`);
  check(stats.reconnects === 2, 'two reconnects, one per restart');
}
console.log('resilient-client example: all checks passed');
