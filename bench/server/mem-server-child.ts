/**
 * Child process for (e): holds only the server (MockServer or a bare `ws` server, protocol off)
 * and reports its RSS on request, after full garbage collections. The clients live in another
 * process (mem-clients-child.ts).
 */
import { WebSocketServer } from 'ws';
import { MockServer } from '../../src/server/index.js';
import { fullGc, serveRpc, sleep } from './util.js';

let close: () => Promise<void> = async () => undefined;
let open: () => number = () => 0;
let flush: () => void = () => undefined;

async function start(a: { kind: 'mock' | 'ws' }): Promise<{ url: string }> {
  if (a.kind === 'mock') {
    const server = await MockServer.start({ timeoutMs: 60_000 });
    close = () => server.close();
    open = () => server.stats().connections.now;
    flush = () => server.flush();
    return { url: server.url };
  }
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  close = () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    });
  open = () => wss.clients.size;
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}` };
}

/** Waits until `count` connections are open (at most `timeoutMs`), then measures. */
async function measure(a: { open: number; timeoutMs: number }) {
  const t0 = performance.now();
  while (open() !== a.open) {
    if (performance.now() - t0 > a.timeoutMs)
      throw new Error(`${open()} connections open, expected ${a.open}`);
    await sleep(20);
  }
  await sleep(200);
  await fullGc();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    open: open(),
  };
}

/**
 * After `measure`: V8 keeps the young generation it grew under load (tens of MB of semi-space)
 * until its memory reducer runs, seconds after the process went idle. Stays idle for `idleMs`,
 * sampling RSS once a second after full GCs; returns the last sample, and when RSS first came
 * down to `limit` bytes (−1: never).
 */
async function settle(a: { limit: number; idleMs: number }) {
  const t0 = performance.now();
  let underAtMs = -1;
  for (;;) {
    await fullGc();
    const m = process.memoryUsage();
    const afterMs = performance.now() - t0;
    if (underAtMs < 0 && m.rss <= a.limit) underAtMs = afterMs;
    if (afterMs >= a.idleMs) return { rss: m.rss, heapUsed: m.heapUsed, underAtMs };
    await sleep(1000);
  }
}

serveRpc(
  {
    start,
    measure,
    settle,
    flush: async () => flush(),
    stop: () => close(),
  },
  () => close(),
);
