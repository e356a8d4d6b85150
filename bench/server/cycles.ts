/**
 * (a) connect → send → receive the echo → close, one cycle at a time (as a test does): MockServer
 * over real loopback TCP vs mock-socket (the in-memory engine of jest-websocket-mock).
 */
import { Server as MockSocketServer, WebSocket as MockSocketWebSocket } from 'mock-socket';
import { WebSocket } from 'ws';
import { MockServer } from '../../src/server/index.js';

/** One MockServer cycle with a real `ws` client: open, send 'ping', await the echo, close handshake. */
function mockServerCycle(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => ws.send('ping'));
    ws.once('message', () => ws.close(1000));
    ws.once('close', () => resolve());
    ws.once('error', reject);
  });
}

/** Cycles per second of MockServer over `durationMs` (after `warmup` cycles). */
export async function mockServerCyclesPerSecond(durationMs: number, warmup = 50): Promise<number> {
  const server = await MockServer.start({ echo: true });
  try {
    for (let i = 0; i < warmup; i++) await mockServerCycle(server.url);
    server.flush();
    let cycles = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < durationMs) {
      await mockServerCycle(server.url);
      cycles++;
      if ((cycles & 63) === 0) server.flush();
      t = performance.now();
    }
    return cycles / ((t - t0) / 1000);
  } finally {
    await server.close();
  }
}

let mockSocketPort = 40_000;

/** Cycles per second of mock-socket (in memory; no socket, no port is used). */
export async function mockSocketCyclesPerSecond(durationMs: number, warmup = 5): Promise<number> {
  // a fresh fake URL per run; `mock: false` leaves globalThis.WebSocket alone
  const url = `ws://bench.invalid:${mockSocketPort++}`;
  const server = new MockSocketServer(url, { mock: false });
  server.on('connection', (socket) => {
    socket.on('message', (data) => socket.send(data as string));
  });
  const cycle = () =>
    new Promise<void>((resolve) => {
      const ws = new MockSocketWebSocket(url);
      ws.onopen = () => ws.send('ping');
      ws.onmessage = () => ws.close(1000);
      ws.onclose = () => resolve();
    });
  try {
    for (let i = 0; i < warmup; i++) await cycle();
    let cycles = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < durationMs) {
      await cycle();
      cycles++;
      t = performance.now();
    }
    return cycles / ((t - t0) / 1000);
  } finally {
    server.stop();
  }
}
