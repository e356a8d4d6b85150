/**
 * The client side of the ChaosProxy bench (bench/proxy.ts): one measurement per call, each on a
 * fresh `ws` connection (perMessageDeflate off) to `url` — the server child
 * (bench/proxy-server-child.ts) directly, or a ChaosProxy in front of it — closed before returning.
 */
import type { WebSocket } from 'ws';
import { closeClient, openClient } from './server/util.js';

const ECHO = 0x45;
const COUNT = 0x43;
const LAST = 0x4c;

/** A binary message of `bytes` (≥ 5) whose first byte is `tag` and bytes 1–4 hold `id`. */
function tagged(tag: number, bytes: number, id = 0): Buffer {
  const b = Buffer.alloc(bytes, 0x61);
  b[0] = tag;
  b.writeUInt32BE(id, 1);
  return b;
}

/** Header bytes of a masked (client → server) frame carrying `payload` bytes (RFC 6455 §5.2). */
export function clientFrameHeaderBytes(payload: number): number {
  return (payload <= 125 ? 2 : payload <= 0xffff ? 4 : 10) + 4;
}

async function withClient<T>(url: string, fn: (ws: WebSocket) => Promise<T>): Promise<T> {
  const ws = await openClient(url);
  try {
    return await fn(ws);
  } finally {
    await closeClient(ws);
  }
}

/** The server's `{ count, bytes }` answer to an `L` message, or a rejection after `timeoutMs`. */
function summary(ws: WebSocket, timeoutMs: number): Promise<{ count: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no summary after ${timeoutMs} ms`)), timeoutMs);
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      resolve(JSON.parse(data.toString()) as { count: number; bytes: number });
    });
  });
}

/**
 * Sends `n` messages of `bytes` in one synchronous loop and waits for the server's count.
 *
 * @returns ms from the first `send` to the server's answer that it has all `n`
 * @throws when the server counted a different number
 */
export function burst(url: string, n: number, bytes: number): Promise<number> {
  const count = tagged(COUNT, bytes);
  const last = tagged(LAST, bytes);
  return withClient(url, async (ws) => {
    const answer = summary(ws, 60_000);
    const t0 = performance.now();
    for (let i = 1; i < n; i++) ws.send(count);
    ws.send(last);
    const got = await answer;
    const ms = performance.now() - t0;
    if (got.count !== n) throw new Error(`burst: server counted ${got.count} of ${n}`);
    return ms;
  });
}

/**
 * Ping-pong: `n` echoes of `bytes`, one in flight at a time, after `warmup` uncounted ones.
 *
 * @returns each round-trip time, ms
 */
export function pingPong(url: string, n: number, warmup: number, bytes = 64): Promise<number[]> {
  const out: number[] = [];
  return withClient(
    url,
    (ws) =>
      new Promise<number[]>((resolve, reject) => {
        let i = 0;
        let t0 = 0;
        const timer = setTimeout(() => reject(new Error(`pingPong: ${i} of ${n + warmup} echoes`)), 30_000);
        const send = () => {
          t0 = performance.now();
          ws.send(tagged(ECHO, bytes, i));
        };
        ws.on('message', () => {
          const rtt = performance.now() - t0;
          if (i++ >= warmup) out.push(rtt);
          if (i < n + warmup) send();
          else {
            clearTimeout(timer);
            resolve(out);
          }
        });
        send();
      }),
  );
}

/**
 * Paced echoes: message `i` is sent at `start + i × everyMs` (an absolute schedule), so that each
 * travels as its own TCP chunk; every echo's round-trip time is matched by the id it carries.
 *
 * @returns each round-trip time in send order, ms
 */
export function paced(url: string, n: number, everyMs: number, bytes = 64): Promise<number[]> {
  return withClient(
    url,
    (ws) =>
      new Promise<number[]>((resolve, reject) => {
        const sentAt: number[] = [];
        const rtt: number[] = new Array(n).fill(Number.NaN);
        let got = 0;
        let next = 0;
        let tick: NodeJS.Timeout | undefined;
        const limit = setTimeout(
          () => {
            clearTimeout(tick);
            reject(new Error(`paced: ${got} of ${n} echoes`));
          },
          n * everyMs + 10_000,
        );
        ws.on('message', (data: Buffer) => {
          const id = data.readUInt32BE(1);
          rtt[id] = performance.now() - sentAt[id]!;
          if (++got === n) {
            clearTimeout(limit);
            resolve(rtt);
          }
        });
        const start = performance.now();
        const send = () => {
          sentAt[next] = performance.now();
          ws.send(tagged(ECHO, bytes, next));
          next++;
          if (next < n) tick = setTimeout(send, Math.max(0, start + next * everyMs - performance.now()));
        };
        send();
      }),
  );
}

/**
 * A bulk transfer client → server: `total` bytes as messages of `messageBytes`, handed to the socket
 * at once, timed until the server answers that it has them all.
 *
 * @returns ms from the first `send` to the answer, and the bytes on the wire (payloads + frame headers)
 */
export function bulk(
  url: string,
  total: number,
  messageBytes: number,
): Promise<{ ms: number; wireBytes: number }> {
  const n = Math.ceil(total / messageBytes);
  return withClient(url, async (ws) => {
    const answer = summary(ws, 120_000);
    const t0 = performance.now();
    for (let i = 1; i < n; i++) ws.send(tagged(COUNT, messageBytes));
    ws.send(tagged(LAST, messageBytes));
    const got = await answer;
    const ms = performance.now() - t0;
    if (got.count !== n) throw new Error(`bulk: server counted ${got.count} of ${n}`);
    return { ms, wireBytes: got.bytes + n * clientFrameHeaderBytes(messageBytes) };
  });
}
