/**
 * (c) of the server bench: one broadcast from one server to 5,000 clients, MockServer against bare
 * `ws`, with the raw `net.Socket.write` floor beside them. Part of bench/server.ts.
 */
import { atMost, type BenchRow, pairRatio, row } from '../harness.js';
import {
  type BroadcastBench,
  type BroadcastFigures,
  broadcastBench,
  broadcastBenchRemote,
} from './broadcast.js';
import { rawWriteLoops } from './raw-floor.js';

const BROADCAST_RUNS = 6; // even: each server goes first in half the rounds
const BROADCASTS_PER_RUN = 10;
const BROADCAST_BYTES = 100;

type Kind = 'mock' | 'ws';
type Placement = 'remote' | 'local';

/**
 * Runs (c) for both servers. Remote: both servers and their 2 × 5,000 clients (one child process
 * each) stay up together and the runs alternate, so each MockServer run has a bare ws run beside it
 * under the same machine load. Local (10,000 sockets in this process): one server after the other.
 */
async function broadcastRuns(
  placement: Placement,
  CLIENTS: number,
  log: (message: string) => void,
): Promise<Record<Kind, BroadcastFigures[]>> {
  const kinds: Kind[] = ['mock', 'ws'];
  const out: Record<Kind, BroadcastFigures[]> = { mock: [], ws: [] };
  const start = (kind: Kind) =>
    placement === 'remote'
      ? broadcastBenchRemote(kind, CLIENTS, BROADCAST_BYTES)
      : broadcastBench(kind, CLIENTS, BROADCAST_BYTES);
  const log1 = (kind: Kind, bench: BroadcastBench) =>
    log(
      `(c) ${placement} ${kind}: connect ${Math.round(bench.connectMs)} ms; p99 ${out[kind].map((x) => x.p99)} ms; call ${out[kind].map((x) => x.callMs.toFixed(1))} ms`,
    );
  if (placement === 'local') {
    for (const kind of kinds) {
      const bench = await start(kind);
      try {
        await bench.run(BROADCASTS_PER_RUN); // warm-up, not counted: the first run is the slowest
        for (let r = 0; r < 3; r++) out[kind].push(await bench.run(BROADCASTS_PER_RUN));
      } finally {
        await bench.close();
      }
      log1(kind, bench);
    }
    return out;
  }
  const benches: Partial<Record<Kind, BroadcastBench>> = {};
  let closing: PromiseSettledResult<void | undefined>[] = [];
  try {
    for (const kind of kinds) benches[kind] = await start(kind);
    for (const kind of kinds) await benches[kind]!.run(BROADCASTS_PER_RUN); // warm-up, not counted
    for (let r = 0; r < BROADCAST_RUNS; r++) {
      // which server goes first alternates, so neither always runs in the other's wake
      for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
        out[kind].push(await benches[kind]!.run(BROADCASTS_PER_RUN));
      }
    }
  } finally {
    // close both whatever happens; a failed close is reported below (a failed run already throws)
    closing = await Promise.allSettled(kinds.map((kind) => benches[kind]?.close()));
  }
  const failed = closing.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  for (const kind of kinds) log1(kind, benches[kind]!);
  return out;
}

/**
 * @param CLIENTS - clients per server
 * @param log - progress lines
 * @returns the rows of (c)
 */
export async function broadcastRows(CLIENTS: number, log: (message: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const n = CLIENTS.toLocaleString('en-US');
  for (const placement of ['remote', 'local'] as const) {
    const figures = await broadcastRuns(placement, CLIENTS, log);
    for (const kind of ['mock', 'ws'] as const) {
      const runs = figures[kind];
      const who = kind === 'mock' ? 'MockServer' : 'bare ws';
      const where = placement === 'remote' ? 'clients in another process' : 'clients in the server process';
      const what =
        placement === 'remote'
          ? `both servers in this process (nothing else), each with its ${n} ws clients in a child process of its own; the server not measured and its clients stay idle meanwhile; ${BROADCAST_BYTES} B text message carrying its send time, ${BROADCASTS_PER_RUN} broadcasts per run 20 ms apart, MockServer and bare ws runs alternating (which goes first swaps every round) after one uncounted warm-up run each; latency = child's receive time − send time (performance.timeOrigin + now(), one machine clock)`
          : `${n} ws clients and the server in this one process (both compete for one event loop), ${BROADCAST_BYTES} B, ${BROADCASTS_PER_RUN} broadcasts per run; for information`;
      const target = kind === 'mock' && placement === 'remote' ? atMost(100) : undefined;
      rows.push(
        row(
          `broadcast to ${n} clients, ${who}, ${where}: p99 delivery latency`,
          'ms',
          runs.map((x) => x.p99),
          target,
          what,
        ),
        row(
          `broadcast to ${n} clients, ${who}, ${where}: p50 delivery latency`,
          'ms',
          runs.map((x) => x.p50),
        ),
        row(
          `broadcast to ${n} clients, ${who}, ${where}: deliveries`,
          'msgs/s',
          runs.map((x) => x.deliveriesPerSecond),
          undefined,
          `${CLIENTS} / (last delivery − broadcast call), median over the run's broadcasts`,
        ),
        row(
          `broadcast to ${n} clients, ${who}, ${where}: send loop`,
          'ms',
          runs.map((x) => x.callMs),
          undefined,
          kind === 'mock'
            ? 'the synchronous broadcast call alone (the frame built once, then one socket.write, i.e. one write syscall, per client)'
            : 'the synchronous broadcast loop alone (one ws.send, i.e. one writev syscall, per client)',
        ),
      );
    }
    if (placement === 'remote') {
      rows.push(
        row(
          `broadcast to ${n} clients, clients in another process: p99 MockServer / bare ws`,
          '×',
          pairRatio(
            figures.mock.map((x) => x.p99),
            figures.ws.map((x) => x.p99),
          ),
          undefined,
          'per-run ratio of the two p99 rows above, runs alternating (lower is better)',
        ),
      );
    }
  }
  const floor = await rawWriteLoops(CLIENTS, BROADCASTS_PER_RUN, BROADCAST_BYTES + 2);
  log(`(c) raw write loop ${floor.map((x) => x.toFixed(1))} ms`);
  rows.push(
    row(
      `broadcast floor: ${n} net.Socket.write calls, no WebSocket code`,
      'ms',
      floor,
      undefined,
      `one ${BROADCAST_BYTES + 2} B buffer written to each of ${n} idle loopback TCP connections (receivers in a child process), after one warm-up loop: the least any Node server's send loop costs here, before a single client has read anything`,
    ),
  );
  return rows;
}
