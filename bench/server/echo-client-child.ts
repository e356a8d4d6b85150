/**
 * Child process for (b): the echo client, kept out of the server's process so that the server's
 * CPU is what limits the figure. Command `run` opens one `ws` connection and keeps `window`
 * messages of `bytes` in flight for `warmupMs + durationMs`, counting the echoes that arrive in the
 * last `durationMs`.
 *
 * Modes:
 * - `raw`: 1 KiB binary WebSocket messages, echoed as they are.
 * - `frames`: every message is a freshly encoded `semantest-v1` data frame (seq, timestamp,
 *   CRC32C over header + 1 KiB payload); every incoming message is decoded (CRC checked).
 *   With `protocol: true` the client offers `semantest-v1`, sends `hello`, waits for `welcome`,
 *   and acks the server's data frames cumulatively every 32 (as the server acks the client's);
 *   with `protocol: false` a bare echo server sends each frame back unchanged, so the client does
 *   the same encode/decode work and only the server side differs.
 */
import type { WebSocket } from 'ws';
import {
  ackFrame,
  binaryOfBytes,
  decodeFrame,
  encodeFrame,
  type Frame,
  helloFrame,
} from '../../src/framing/index.js';
import { closeClient, openClient, serveRpc } from './util.js';

interface RunArgs {
  url: string;
  mode: 'raw' | 'frames';
  protocol: boolean;
  bytes: number;
  window: number;
  warmupMs: number;
  durationMs: number;
}

export interface RunResult {
  /** Echoes counted in the measured window. */
  echoes: number;
  /** The measured window, ms. */
  elapsedMs: number;
  /** Every echo (warm-up included). */
  totalEchoes: number;
  /** Acks received from the server (protocol only). */
  acksIn: number;
  /** Acks the client sent (protocol only). */
  acksOut: number;
}

const CHANNEL = 'bench';
const ACK_EVERY = 32;

function nextMessage(ws: WebSocket): Promise<Buffer> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data)));
}

async function run(a: RunArgs): Promise<RunResult> {
  const ws = await openClient(a.url, a.protocol ? ['semantest-v1'] : undefined);
  const payload = binaryOfBytes(a.bytes, 7);
  const raw = Buffer.from(payload);
  if (a.protocol) {
    ws.send(encodeFrame(helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, performance.now())));
    const welcome = decodeFrame(await nextMessage(ws));
    if (welcome.kind !== 'welcome') throw new Error(`expected welcome, got ${welcome.kind}`);
  }
  let seq = 0;
  let inflight = 0;
  let total = 0;
  let counted = 0;
  let acksIn = 0;
  let acksOut = 0;
  let serverSeq = 0;
  let unacked = 0;
  let measuring = false;
  let stopping = false;
  const send = () => {
    if (a.mode === 'raw') ws.send(raw);
    else {
      seq++;
      ws.send(
        encodeFrame({
          channel: CHANNEL,
          priority: 0,
          seq,
          timestamp: performance.now(),
          payload: { kind: 'binary', data: payload },
        }),
      );
    }
    inflight++;
  };
  const echoed = () => {
    inflight--;
    total++;
    if (measuring) counted++;
    if (!stopping) while (inflight < a.window) send();
  };
  ws.on('message', (data: Buffer) => {
    if (a.mode === 'raw') {
      echoed();
      return;
    }
    const frame: Frame = decodeFrame(data);
    if (frame.kind === 'ack') {
      acksIn++;
      return;
    }
    if (frame.kind !== 'data') throw new Error(`unexpected ${frame.kind} frame`);
    if (a.protocol) {
      serverSeq = frame.seq;
      if (++unacked >= ACK_EVERY) {
        ws.send(encodeFrame(ackFrame(CHANNEL, serverSeq, performance.now())));
        acksOut++;
        unacked = 0;
      }
    }
    echoed();
  });
  for (let i = 0; i < a.window; i++) send();
  await new Promise((r) => setTimeout(r, a.warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, a.durationMs));
  measuring = false;
  const elapsedMs = performance.now() - t0;
  stopping = true;
  // let the in-flight messages drain, then close with a handshake
  for (let i = 0; i < 200 && inflight > 0; i++) await new Promise((r) => setTimeout(r, 5));
  await closeClient(ws);
  return { echoes: counted, elapsedMs, totalEchoes: total, acksIn, acksOut };
}

serveRpc({ run: (a: RunArgs) => run(a) });
