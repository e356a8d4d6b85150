/**
 * Client → server throughput of 1 KiB binary messages: a bare `ws` client, ResilientClient with
 * `semantest-v1` (acks) and ResilientClient in plain mode, each against the same MockServer
 * (`protocols: ['semantest-v1']`) in a child process (bench/client-server-child.ts), so that client
 * and server do not share a CPU. A round opens a fresh client, waits until it is open, then hands
 * it `n` messages in one synchronous loop and stops the clock when the server has received all `n`.
 */
import { ResilientClient } from '../src/client/index.js';
import { binaryOfBytes } from '../src/framing/index.js';
import { type Child, closeClient, openClient } from './server/util.js';

/** The three contestants. */
export type ThroughputKind = 'ws' | 'resilient-v1' | 'resilient-plain';

/** What one round measured. */
export interface ThroughputFigures {
  /** Messages per second, from the first `send` to the server's n-th `message` event. */
  msgsPerSecond: number;
  /** CPU (user + system) of this process — the client alone — per message, µs. */
  clientCpuUs: number;
  /** CPU of the server's process per message, µs. */
  serverCpuUs: number;
}

/** The shared 1 KiB payload of a run. */
export function payloadOf(bytes: number): Uint8Array {
  return Buffer.from(binaryOfBytes(bytes, 7));
}

/** Sends `n` messages with `send`, returning the figures once the server has them all. */
async function timed(child: Child, n: number, send: () => void): Promise<ThroughputFigures> {
  await child.call('reset');
  const all = child.call<{ count: number; cpuUs: number }>('wait', { n, timeoutMs: 60_000 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) send();
  const server = await all;
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    msgsPerSecond: n / (elapsedMs / 1000),
    clientCpuUs: (cpu.user + cpu.system) / n,
    serverCpuUs: server.cpuUs / n,
  };
}

/** One round: `n` messages of `payload` through a fresh, already open client of `kind`. */
export async function throughputRound(
  child: Child,
  url: string,
  kind: ThroughputKind,
  n: number,
  payload: Uint8Array,
): Promise<ThroughputFigures> {
  if (kind === 'ws') {
    const ws = await openClient(url);
    try {
      return await timed(child, n, () => ws.send(payload));
    } finally {
      await closeClient(ws);
    }
  }
  const client = new ResilientClient(url, {
    protocol: kind === 'resilient-v1' ? 'semantest-v1' : 'plain',
    // room for the whole burst (the defaults, 10,000 messages / 16 MiB, would refuse part of it)
    buffer: { maxMessages: n, maxBytes: n * payload.byteLength },
  });
  try {
    await client.opened();
    return await timed(child, n, () => void client.send(payload));
  } finally {
    await client.close();
  }
}
