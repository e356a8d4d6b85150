/**
 * Helpers of the ChaosProxy integration tests: ws clients that collect what they receive, echo
 * round trips, a bare TCP upstream that records every chunk it reads, and fault-log waits.
 */
import { connect, createServer, type Socket } from 'node:net';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import type { ManualClock } from '../../src/clock/index.js';
import type { ChaosProxy, FaultKind, FaultRecord } from '../../src/proxy/index.js';
import { openClient, within } from './server-helpers.js';

export {
  activeNetworkAndTimers,
  clientClosed,
  leftAfterSettling,
  leftSince,
  openClient,
  within,
} from './server-helpers.js';

/**
 * How much earlier than its delay a real Node timer may fire, measured with performance.now() from
 * just before it was set: Node starts a timer at the event loop's time in whole milliseconds, so it
 * can fall due up to 1 ms early (−0.95 ms seen). Lower bounds on real-time delays allow this much.
 */
export const TIMER_SLACK_MS = 2;

/** A message a ws client received, with its arrival time (performance.now). */
export interface Arrival {
  readonly data: string | Buffer;
  readonly at: number;
}

/** Records every message `ws` receives from now on. */
export function record(ws: WebSocket): Arrival[] {
  const got: Arrival[] = [];
  ws.on('message', (data: Buffer, binary: boolean) =>
    got.push({ data: binary ? data : data.toString('utf8'), at: performance.now() }),
  );
  return got;
}

/** Resolves once `predicate` holds after a message (or at once when it already does). */
export function until(
  ws: WebSocket,
  predicate: () => boolean,
  what = 'the expected messages',
): Promise<void> {
  if (predicate()) return Promise.resolve();
  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (!predicate()) return;
      ws.off('message', check);
      resolve();
    };
    ws.on('message', check);
  });
  return within(done, 5000, what);
}

/**
 * Echo round trips one at a time (the next is sent when the previous echo came back, so no queue
 * builds up in the proxy): `count` samples in ms, measured with performance.now.
 */
export async function echoRtts(ws: WebSocket, count: number, payload = 'rtt'): Promise<number[]> {
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) {
    const echoed = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    const t0 = performance.now();
    ws.send(`${payload}${i}`);
    await within(echoed, 5000, `echo ${i}`);
    rtts.push(performance.now() - t0);
  }
  return rtts;
}

/**
 * How many ms of `clock` a direction of a proxy running on that ManualClock needs to pass `bytes`
 * on: waits (for I/O, not for time) until the proxy has read `bytes` more than `before.bytesIn`,
 * then steps the clock 1 ms at a time until it has written `bytes` more than `before.bytesOut`.
 *
 * @returns the ms the clock was advanced: exact, since the proxy's timers fire inside `advance`
 */
export async function clockStepsUntilSent(
  proxy: ChaosProxy,
  clock: ManualClock,
  direction: 'toServer' | 'toClient',
  before: { bytesIn: number; bytesOut: number },
  bytes = 1,
): Promise<number> {
  await expect
    .poll(() => proxy.stats()[direction].bytesIn, { interval: 1, timeout: 5000 })
    .toBeGreaterThanOrEqual(before.bytesIn + bytes);
  const t0 = clock.now();
  while (proxy.stats()[direction].bytesOut < before.bytesOut + bytes) {
    if (clock.now() - t0 > 60_000) throw new Error(`${direction}: not written in 60 s of the proxy's clock`);
    clock.advance(1);
  }
  return clock.now() - t0;
}

/**
 * Opens a WebSocket through a proxy on a ManualClock whose link delays the handshake: steps the
 * clock 1 ms per event-loop turn until the upgrade completed (no real time is waited for).
 */
export async function openClientOnClock(url: string, clock: ManualClock): Promise<WebSocket> {
  let opened: WebSocket | undefined;
  const opening = openClient(url).then((ws) => {
    opened = ws;
    return ws;
  });
  for (let turn = 0; opened === undefined && turn < 100_000; turn++) {
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return opening;
}

/**
 * Round trips of echoed messages through a proxy on a ManualClock, in ms of that clock: each
 * direction's delay exactly, however busy the machine (no real time is waited for).
 */
export async function clockRtts(
  ws: WebSocket,
  proxy: ChaosProxy,
  clock: ManualClock,
  count: number,
  payload = 'rtt',
): Promise<number[]> {
  const rtts: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = proxy.stats();
    const echoed = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.send(`${payload}${i}`);
    const up = await clockStepsUntilSent(proxy, clock, 'toServer', before.toServer);
    const down = await clockStepsUntilSent(proxy, clock, 'toClient', before.toClient);
    await within(echoed, 5000, `echo ${i}`);
    rtts.push(up + down);
  }
  return rtts;
}

/** Mean of some numbers. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Median of some numbers: an upper bound on it survives one stalled sample in three (a busy
 * machine pausing the event loop), where a bound on every sample would not.
 */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A bare TCP server as upstream: it records each chunk it reads, per connection. */
export interface TcpUpstream {
  /** `ws://127.0.0.1:<port>` (the proxy needs a ws:// target; nothing here speaks WebSocket). */
  readonly url: string;
  /** Accepted sockets, in order. */
  readonly sockets: Socket[];
  /** The chunk sizes each socket read, by socket index. */
  readonly chunks: Uint8Array[][];
  /** Resolves with the next accepted socket (or one already accepted and not yet taken). */
  nextSocket(): Promise<Socket>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a bare TCP upstream on 127.0.0.1, port 0. */
export async function tcpUpstream(onSocket?: (socket: Socket) => void): Promise<TcpUpstream> {
  const sockets: Socket[] = [];
  const chunks: Uint8Array[][] = [];
  const waiting: ((s: Socket) => void)[] = [];
  let taken = 0;
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    const mine: Uint8Array[] = [];
    chunks.push(mine);
    socket.on('data', (chunk: Buffer) => mine.push(chunk));
    sockets.push(socket);
    onSocket?.(socket);
    const w = waiting.shift();
    if (w) {
      taken++;
      w(socket);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    sockets,
    chunks,
    nextSocket: () => {
      if (taken < sockets.length) return Promise.resolve(sockets[taken++]!);
      return within(new Promise<Socket>((resolve) => waiting.push(resolve)), 5000, 'an upstream connection');
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A raw TCP client of `url` (a proxy's ws:// URL), resolved once connected. */
export function tcpClient(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves once `socket` has read `bytes` bytes in all (counting from now). */
export function readBytes(socket: Socket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  return within(
    new Promise<Buffer>((resolve) => {
      const on = (chunk: Buffer) => {
        parts.push(chunk);
        got += chunk.byteLength;
        if (got < bytes) return;
        socket.off('data', on);
        resolve(Buffer.concat(parts));
      };
      socket.on('data', on);
    }),
    10_000,
    `${bytes} bytes`,
  );
}

/** The fault records of some kinds. */
export function faultsOf(proxy: ChaosProxy, ...kinds: FaultKind[]): FaultRecord[] {
  return proxy.faults.filter((f) => kinds.includes(f.kind));
}

/** Resolves with the next fault of `kind` the proxy logs. */
export function nextFault(proxy: ChaosProxy, kind: FaultKind): Promise<FaultRecord> {
  return within(
    new Promise<FaultRecord>((resolve) => {
      const on = (f: FaultRecord) => {
        if (f.kind !== kind) return;
        proxy.off('fault', on);
        resolve(f);
      };
      proxy.on('fault', on);
    }),
    5000,
    `a '${kind}' fault`,
  );
}

/** Resolves once a ws client has closed, with its code and the error it saw (if any). */
export function closedWith(ws: WebSocket): Promise<{ code: number; error: string | undefined; at: number }> {
  let error: string | undefined;
  ws.on('error', (e: NodeJS.ErrnoException) => {
    error ??= e.code ?? e.message;
  });
  return within(
    new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) resolve({ code: 1006, error, at: performance.now() });
      ws.once('close', (code: number) => resolve({ code, error, at: performance.now() }));
    }),
    5000,
    'the client close',
  );
}

/** Resolves with the error code a connection attempt to `url` fails with (rejects if it opens). */
export function refusedWith(url: string): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('the connection opened'));
      });
      ws.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    }),
    5000,
    'a refused connection',
  );
}

/** Resolves with the next connection the proxy pairs with an upstream. */
export function paired(proxy: ChaosProxy): Promise<{ id: number; upstream: number }> {
  return within(new Promise((resolve) => proxy.once('connection', resolve)), 5000, 'a proxy connection');
}
