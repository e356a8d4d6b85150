/**
 * ChaosProxy in Vitest: break the link between a client and a server on purpose, and check that
 * the system notices — or, with semantest-v1, that nothing is lost anyway.
 */
import {
  ChaosProxy,
  DeliveryValidator,
  MockServer,
  OrderingValidator,
  ResilientClient,
} from '@semantest/ws-kit';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import '@semantest/ws-kit/vitest';

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('ChaosProxy', () => {
  it('drops exactly the message a predicate picks, and says so in its fault log', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { drop: (m) => new TextDecoder().decode(m.payload()) === 'two' },
    });
    const ws = await connect(proxy.url);
    for (const text of ['one', 'two', 'three']) ws.send(text);
    await server.waitFor((m) => m.data === 'three');
    expect(server.messages.map((m) => m.data)).toEqual(['one', 'three']); // a plain client just loses it
    expect(proxy.faults).toMatchObject([{ kind: 'drop', direction: 'toServer', message: 1 }]);
    ws.close();
  });

  it('loses nothing with ResilientClient through a blackout, 5 % dropped and 5 % corrupted frames', async () => {
    // with frames dropped, a lost last frame is only found by a timeout: keep both ends' short
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      echo: true,
      protocol: { resendAfterMs: 300 },
    });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 42, // the same seed and traffic give the same faults, run after run
      both: { drop: 0.05, corrupt: 0.05 },
    });
    await using client = new ResilientClient(proxy.url, {
      heartbeat: { intervalMs: 200, timeoutMs: 400 }, // notices the half-open link fast
      backoff: { initialMs: 50 },
      connectTimeoutMs: 1000,
      ack: { timeoutMs: 300 },
    });
    const delivery = new DeliveryValidator();
    const order = new OrderingValidator({ mode: 'per-channel' });
    client.on('message', (m) => {
      delivery.received((m.data as { id: number }).id, { channel: m.channel });
      order.observe(m);
    });
    await client.opened();
    const sends: Promise<void>[] = [];
    for (let id = 0; id < 200; id++) {
      delivery.sent(id, { channel: 'feed' });
      sends.push(client.send({ id }, { channel: 'feed' }));
      if (id === 100) await proxy.blackout(600); // half-open for 0.6 s in the middle
    }
    await Promise.all(sends); // every message acked by the server
    await expect.poll(() => delivery.report().unique, { timeout: 15_000 }).toBe(200); // every echo back
    expect(delivery).toPass();
    expect(order).toPass();
    expect(proxy.stats().faults.drop).toBeGreaterThan(0);
    expect(proxy.stats().faults.corrupt).toBeGreaterThan(0);
  });
});
