/**
 * (c) broadcast of one message to 5,000 clients, server and clients in this one process, and
 * (d) a paced stream at 5,000 msgs/s to one client.
 */
import { type WebSocket, WebSocketServer } from 'ws';
import { LatencyMeter } from '../../src/meters/index.js';
import { MockServer } from '../../src/server/index.js';
import { median } from '../harness.js';
import { Child, closeClients, openClients, sleep } from './util.js';

export interface BroadcastFigures {
  /** p50/p99/max of (client receive time − time `broadcast()` was called), ms, over every delivery of the run. */
  p50: number;
  p99: number;
  max: number;
  /** Median over the run's broadcasts of clients / (last delivery − broadcast call), deliveries per second. */
  deliveriesPerSecond: number;
  /** Median duration of the synchronous `server.broadcast()` call, ms. */
  callMs: number;
}

export interface BroadcastBench {
  connectMs: number;
  run(broadcasts: number): Promise<BroadcastFigures>;
  close(): Promise<void>;
}

interface BroadcastServer {
  url: string;
  open(): number;
  broadcast(data: string): number;
  close(): Promise<void>;
}

async function startServer(kind: 'mock' | 'ws'): Promise<BroadcastServer> {
  if (kind === 'mock') {
    const server = await MockServer.start({ timeoutMs: 30_000 });
    return {
      url: server.url,
      open: () => server.stats().connections.now,
      broadcast: (data) => server.broadcast(data).length,
      close: () => server.close(),
    };
  }
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    open: () => wss.clients.size,
    broadcast: (data) => {
      for (const ws of wss.clients) ws.send(data);
      return wss.clients.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * Like {@link broadcastBench}, but the clients live in a child process (broadcast-clients-child.ts):
 * the server process does only the server's work, as in a real deployment, and the two cores are
 * shared between the send loop and the receivers. Each message carries its send time.
 */
export async function broadcastBenchRemote(
  kind: 'mock' | 'ws',
  clients: number,
  payloadBytes: number,
): Promise<BroadcastBench> {
  const server = await startServer(kind);
  // one child: on two cores, two or three receiving processes measured worse (they share the cores)
  const child = new Child('broadcast-clients-child.ts');
  const t0 = performance.now();
  try {
    await child.call('open', { url: server.url, count: clients });
    while (server.open() < clients) {
      if (performance.now() - t0 > 60_000)
        throw new Error(`${server.open()} of ${clients} clients connected`);
      await sleep(10);
    }
  } catch (error) {
    await child.stop();
    await server.close();
    throw error;
  }
  const connectMs = performance.now() - t0;
  const filler = 'x'.repeat(payloadBytes);
  return {
    connectMs,
    async run(broadcasts) {
      await child.call('collect');
      const rates: number[] = [];
      const calls: number[] = [];
      for (let b = 0; b < broadcasts; b++) {
        await child.call('arm');
        const sentAt = performance.timeOrigin + performance.now();
        const message = `${sentAt}|${filler}`.slice(0, Math.max(payloadBytes, 24));
        const sent = server.broadcast(message);
        calls.push(performance.timeOrigin + performance.now() - sentAt);
        if (sent !== clients) throw new Error(`broadcast reached ${sent} of ${clients}`);
        const { lastAt } = await child.call<{ lastAt: number }>('wait');
        rates.push(clients / ((lastAt - sentAt) / 1000));
        await sleep(20);
      }
      const r = LatencyMeter.fromSnapshot(await child.call('collect')).report();
      return {
        p50: r.p50,
        p99: r.p99,
        max: r.max,
        deliveriesPerSecond: median(rates),
        callMs: median(calls),
      };
    },
    async close() {
      await child.call('close').catch(() => undefined);
      await child.stop();
      await server.close();
    },
  };
}

/** Starts a server (MockServer, or a bare `ws` server for comparison) and connects `clients` `ws` clients to it (in this process). */
export async function broadcastBench(
  kind: 'mock' | 'ws',
  clients: number,
  payloadBytes: number,
): Promise<BroadcastBench> {
  const server = await startServer(kind);
  const t0 = performance.now();
  let sockets: WebSocket[] = [];
  try {
    sockets = await openClients(server.url, clients, 250);
    while (server.open() < clients) await sleep(10);
  } catch (error) {
    await closeClients(sockets);
    await server.close();
    throw error;
  }
  const connectMs = performance.now() - t0;
  const payload = 'x'.repeat(payloadBytes);
  let sentAt = 0;
  let received = 0;
  let onAll: () => void = () => undefined;
  let lastAt = 0;
  let meter = new LatencyMeter();
  for (const ws of sockets) {
    ws.on('message', () => {
      const now = performance.now();
      meter.record(now - sentAt);
      lastAt = now;
      if (++received === clients) onAll();
    });
  }
  return {
    connectMs,
    async run(broadcasts) {
      meter = new LatencyMeter();
      const rates: number[] = [];
      const calls: number[] = [];
      for (let b = 0; b < broadcasts; b++) {
        received = 0;
        const all = new Promise<void>((resolve) => {
          onAll = resolve;
        });
        sentAt = performance.now();
        const sent = server.broadcast(payload);
        calls.push(performance.now() - sentAt);
        if (sent !== clients) throw new Error(`broadcast reached ${sent} of ${clients}`);
        await all;
        rates.push(clients / ((lastAt - sentAt) / 1000));
        await sleep(20);
      }
      const r = meter.report();
      return {
        p50: r.p50,
        p99: r.p99,
        max: r.max,
        deliveriesPerSecond: median(rates),
        callMs: median(calls),
      };
    },
    async close() {
      await closeClients(sockets);
      await server.close();
    },
  };
}

export interface StreamFigures {
  /** The rate the client observed: (received − 1) / (last arrival − first arrival). */
  clientRate: number;
  /** `achievedRate` reported by the stream's `done`. */
  serverRate: number;
  /** Inter-arrival gaps at the client, ms. */
  gapP50: number;
  gapP99: number;
  gapMax: number;
  maxLagMs: number;
}

/** Streams `count` messages at `rate` msgs/s from a MockServer to one `ws` client (this process). */
export async function pacedStream(rate: number, count: number): Promise<StreamFigures> {
  const server = await MockServer.start();
  const [client] = await openClients(server.url, 1);
  try {
    await server.nextConnection();
    const gaps = new LatencyMeter();
    let first = 0;
    let last = 0;
    let received = 0;
    const all = new Promise<void>((resolve) => {
      client!.on('message', () => {
        const now = performance.now();
        if (received === 0) first = now;
        else gaps.record(now - last);
        last = now;
        if (++received === count) resolve();
      });
    });
    function* ticks() {
      for (let i = 0; i < count; i++) yield `tick ${i}`;
    }
    const run = server.stream({}, ticks(), { ratePerSecond: rate });
    const done = await run.done;
    await all;
    const g = gaps.report();
    return {
      clientRate: (received - 1) / ((last - first) / 1000),
      serverRate: done.achievedRate,
      gapP50: g.p50,
      gapP99: g.p99,
      gapMax: g.max,
      maxLagMs: done.maxLagMs,
    };
  } finally {
    await closeClients([client!]);
    await server.close();
  }
}
