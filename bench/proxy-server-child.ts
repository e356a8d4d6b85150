/**
 * Child process for the ChaosProxy bench (bench/proxy.ts): a bare `ws` server (perMessageDeflate
 * off), the same upstream for the direct and the proxied connections. The first byte of each
 * binary message says what to do with it:
 * - `E`: echo it back unchanged (round-trip time);
 * - `C`: count it (throughput, bulk transfer);
 * - `L`: count it, then answer with the count and payload bytes since the last `L` as JSON
 *   `{ count, bytes }`, and start counting from 0 again.
 *
 * Commands: `start` → url; `cpu` → this process's CPU time so far (user + system, µs).
 */
import { WebSocketServer } from 'ws';
import { serveRpc } from './server/util.js';

const ECHO = 0x45;
const COUNT = 0x43;
const LAST = 0x4c;

let wss: WebSocketServer | undefined;

async function start(): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws) => {
    let count = 0;
    let bytes = 0;
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => {
      const tag = data[0];
      if (tag === ECHO) {
        ws.send(data);
        return;
      }
      count++;
      bytes += data.byteLength;
      if (tag === LAST) {
        ws.send(JSON.stringify({ count, bytes }));
        count = 0;
        bytes = 0;
      } else if (tag !== COUNT) ws.close(1003, 'unknown tag');
    });
  });
  wss = server;
  const { port } = server.address() as { port: number };
  return `ws://127.0.0.1:${port}`;
}

serveRpc(
  {
    start,
    cpu: () => {
      const c = process.cpuUsage();
      return c.user + c.system;
    },
  },
  async () => {
    const server = wss;
    if (!server) return;
    for (const ws of server.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
);
