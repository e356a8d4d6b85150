/**
 * ChaosProxy in front of several MockServers: round-robin and least-connections, an upstream taken
 * down, failing its health check, removed, and every upstream down — with ResilientClients
 * reconnecting through the proxy to a live backend.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ResilientClient, type ResilientClientOptions } from '../../src/client/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { faultsOf, openClient, tcpClient, within } from './proxy-helpers.js';

const tlsDir = path.resolve(import.meta.dirname, '../fixtures/tls');
const TLS = {
  key: readFileSync(path.join(tlsDir, 'localhost-key.pem'), 'utf8'),
  cert: readFileSync(path.join(tlsDir, 'localhost-cert.pem'), 'utf8'),
};

const PLAIN: ResilientClientOptions = {
  protocol: 'plain',
  heartbeat: false,
  backoff: { initialMs: 20, maxMs: 100, jitter: 'none' },
};

async function servers(n: number): Promise<MockServer[]> {
  return Promise.all(Array.from({ length: n }, () => MockServer.start()));
}

const closeAll = async (list: { close(): unknown }[]) => {
  await Promise.all(list.map((x) => x.close()));
};

/** Opens `n` ws clients one after the other; resolves with them and the upstream each was paired with. */
async function connectEach(
  proxy: ChaosProxy,
  n: number,
): Promise<{ clients: WebSocket[]; upstreams: number[] }> {
  const clients: WebSocket[] = [];
  const upstreams: number[] = [];
  for (let i = 0; i < n; i++) {
    const paired = new Promise<number>((resolve) => proxy.once('connection', (c) => resolve(c.upstream)));
    clients.push(await openClient(proxy.url));
    upstreams.push(await paired);
  }
  return { clients, upstreams };
}

const event = <T>(client: ResilientClient, name: 'reconnected' | 'reconnecting'): Promise<T> =>
  within(new Promise<T>((resolve) => client.once(name, resolve as never)), 5000, name);

describe('ChaosProxy upstreams: balancing', { timeout: 10_000 }, () => {
  it('spreads connections round-robin over three upstreams', async () => {
    const backends = await servers(3);
    await using proxy = await ChaosProxy.start({ target: backends.map((s) => s.url) });
    const { clients, upstreams } = await connectEach(proxy, 6);
    expect(upstreams).toEqual([0, 1, 2, 0, 1, 2]);
    expect(backends.map((s) => s.stats().connections.total)).toEqual([2, 2, 2]);
    expect([0, 1, 2].map((i) => proxy.upstream(i).connections)).toEqual([2, 2, 2]);
    for (const c of clients) c.close();
    await closeAll(backends);
  });

  it('least-connections: a burst of clients spreads evenly, and a freed upstream gets the next ones', async () => {
    // wss:// upstreams: a TLS handshake per dial, so the whole burst is accepted while dials are pending
    const backends = await Promise.all([0, 1].map(() => MockServer.start({ tls: TLS })));
    await using proxy = await ChaosProxy.start({
      target: backends.map((s) => s.url),
      balance: 'least-connections',
      tls: { ca: TLS.cert },
    });
    const burst = await Promise.all(Array.from({ length: 4 }, () => tcpClient(proxy.url)));
    await expect.poll(() => [0, 1].map((i) => proxy.upstream(i).connections)).toEqual([2, 2]);
    // free upstream 0 (down() resets its connections; up() puts it back)
    proxy.upstream(0).down();
    proxy.upstream(0).up();
    expect(proxy.upstream(0).connections).toBe(0);
    const { clients, upstreams } = await connectEach(proxy, 3);
    // 0 vs 2, 1 vs 2, then a tie (the first upstream wins ties)
    expect(upstreams).toEqual([0, 0, 0]);
    for (const c of burst) {
      c.on('error', () => undefined);
      c.destroy();
    }
    for (const c of clients) c.close();
    await closeAll(backends);
  });
});

describe('ChaosProxy upstreams: failover', { timeout: 10_000 }, () => {
  it('upstream(i).down() resets its connections; a plain ResilientClient reconnects to a live backend, losing nothing', async () => {
    const [a, b] = (await servers(2)) as [MockServer, MockServer];
    await using proxy = await ChaosProxy.start({ target: [a.url, b.url] });
    await using client = new ResilientClient(proxy.url, PLAIN);
    await client.opened();
    const connectionOnA = await a.nextConnection();
    for (let i = 0; i < 10; i++) void client.send(`m${i}`);
    await expect.poll(() => a.messages.length).toBe(10);
    const reconnecting = event(client, 'reconnecting');
    const reconnected = event(client, 'reconnected');
    proxy.upstream(0).down();
    expect(proxy.upstream(0).state).toBe('down');
    await reconnecting;
    for (let i = 10; i < 20; i++) void client.send(`m${i}`); // buffered while offline
    await reconnected;
    await expect.poll(() => b.messages.length).toBe(10);
    expect((await connectionOnA.closed()).code).toBe(1006);
    const all = [...a.messages, ...b.messages].map((m) => m.data);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(a.stats().connections.total).toBe(1);
    expect(client.stats().reconnects).toBe(1);
    expect(faultsOf(proxy, 'refused')).toHaveLength(0);
    expect(faultsOf(proxy, 'reset')).toMatchObject([{ connection: 1, detail: { upstream: 0 } }]);
    await closeAll([client, a, b]);
  });

  it('a semantest-v1 client failing over to another backend says its session was not resumed, and loses nothing acked', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => MockServer.start({ protocols: ['semantest-v1'] })));
    await using proxy = await ChaosProxy.start({ target: [a!.url, b!.url] });
    await using client = new ResilientClient(proxy.url, { ...PLAIN, protocol: 'semantest-v1' });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    await client.opened();
    for (let i = 0; i < 10; i++) void client.send(`m${i}`);
    await client.drained();
    const reconnected = event(client, 'reconnected');
    proxy.upstream(0).down();
    for (let i = 10; i < 20; i++) void client.send(`m${i}`);
    await reconnected;
    await client.drained();
    expect(a!.messages.map((m) => m.data)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(b!.messages.map((m) => m.data)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 10}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/was not resumed/);
    await closeAll([client, a!, b!]);
  });

  it('a failing health check takes an upstream out of rotation until it passes again', async () => {
    const backends = await servers(2);
    let healthy = false;
    const sick = new URL(backends[1]!.url).port;
    await using proxy = await ChaosProxy.start({
      target: backends.map((s) => s.url),
      healthCheck: { intervalMs: 20, check: async (url) => url.port !== sick || healthy },
    });
    await expect.poll(() => proxy.upstream(1).state).toBe('unhealthy');
    const first = await connectEach(proxy, 4);
    expect(first.upstreams).toEqual([0, 0, 0, 0]);
    expect(backends[1]!.stats().connections.total).toBe(0);
    healthy = true;
    await expect.poll(() => proxy.upstream(1).state).toBe('up');
    const second = await connectEach(proxy, 2);
    expect([...second.upstreams].sort()).toEqual([0, 1]);
    for (const c of [...first.clients, ...second.clients]) c.close();
    await closeAll(backends);
  });

  it('remove() closes its connections and never picks it again; the client moves to the other backend', async () => {
    const [a, b] = (await servers(2)) as [MockServer, MockServer];
    await using proxy = await ChaosProxy.start({ target: [a.url, b.url] });
    await using client = new ResilientClient(proxy.url, PLAIN);
    await client.opened();
    expect(proxy.upstream(0).connections).toBe(1);
    const reconnected = event(client, 'reconnected');
    proxy.upstream(0).remove();
    await reconnected;
    expect(proxy.upstream(0).state).toBe('removed');
    expect(proxy.upstream(1).connections).toBe(1);
    const { clients, upstreams } = await connectEach(proxy, 3);
    expect(upstreams).toEqual([1, 1, 1]);
    void client.send('after');
    await expect.poll(() => b.messages.map((m) => m.data)).toEqual(['after']);
    for (const c of clients) c.close();
    await closeAll([client, a, b]);
  });

  it('with every upstream down, connections are refused and the client keeps retrying until one is up', async () => {
    const [a, b] = (await servers(2)) as [MockServer, MockServer];
    await using proxy = await ChaosProxy.start({ target: [a.url, b.url] });
    await using client = new ResilientClient(proxy.url, PLAIN);
    await client.opened();
    let attempts = 0;
    client.on('reconnecting', () => attempts++);
    proxy.upstream(0).down();
    proxy.upstream(1).down();
    await expect.poll(() => faultsOf(proxy, 'refused').length).toBeGreaterThanOrEqual(3);
    expect(client.stats().state).toBe('reconnecting');
    const reconnected = event(client, 'reconnected');
    proxy.upstream(1).up();
    await reconnected;
    expect(attempts).toBeGreaterThanOrEqual(4);
    void client.send('back');
    await expect.poll(() => b.messages.map((m) => m.data)).toEqual(['back']);
    expect(a.stats().connections.total).toBe(1);
    await closeAll([client, a, b]);
  });
});
