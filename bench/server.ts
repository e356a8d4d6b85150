/**
 * MockServer (issue 3), measured side by side in one run:
 * (a) connect-send-receive-close cycles/s, MockServer vs mock-socket (jest-websocket-mock's engine);
 * (b) echo throughput, 1 KiB messages, MockServer vs a bare `ws` server, protocol off and semantest-v1;
 * (c) one broadcast from one server process to 5,000 clients (in a second process; in the same
 *     process for information): p99 delivery latency, deliveries/s;
 * (d) paced stream at 5,000 msgs/s: achieved rate, p99 inter-message gap;
 * (e) server RSS per idle connection at 5,000 connections, and RSS after they all closed.
 * Everything on 127.0.0.1, ephemeral ports; child processes in bench/server/ (stopped at the end).
 * Run alone: npm run bench -- server
 */
import { atLeast, atMost, type BenchRow, median, pairRatio, row } from './harness.js';
import {
  type BroadcastBench,
  type BroadcastFigures,
  broadcastBench,
  broadcastBenchRemote,
  pacedStream,
} from './server/broadcast.js';
import { mockServerCyclesPerSecond, mockSocketCyclesPerSecond } from './server/cycles.js';
import { type EchoFigures, echoRun } from './server/echo.js';
import { IDLE_MS, type MemoryFigures, memoryRun, SETTLE_RATIO } from './server/memory.js';
import { rawWriteLoops } from './server/raw-floor.js';
import { Child } from './server/util.js';

const CYCLE_RUNS = 5;
const CYCLE_MS = 600;
const ECHO_RUNS = 7;
const ECHO = { bytes: 1024, window: 64, warmupMs: 300, durationMs: 1200 };
const CLIENTS = 5000;
const BROADCAST_RUNS = 6; // even: each server goes first in half the rounds
const BROADCASTS_PER_RUN = 10;
const BROADCAST_BYTES = 100;
const STREAM_RUNS = 5;
const STREAM_RATE = 5000;
const STREAM_COUNT = 10_000;
const MEMORY_RUNS = 3;

function log(message: string): void {
  console.error(`  [server] ${message}`);
}

async function cycles(): Promise<BenchRow[]> {
  const mock: number[] = [];
  const socket: number[] = [];
  await mockServerCyclesPerSecond(CYCLE_MS); // JIT warm-up of ws, http and MockServer (not counted)
  for (let r = 0; r < CYCLE_RUNS; r++) {
    socket.push(await mockSocketCyclesPerSecond(CYCLE_MS));
    mock.push(await mockServerCyclesPerSecond(CYCLE_MS));
  }
  log(`(a) cycles/s mock-socket ${socket.map(Math.round)} MockServer ${mock.map(Math.round)}`);
  return [
    row(
      'connect-send-receive-close MockServer',
      'cycles/s',
      mock,
      undefined,
      `one cycle at a time: a real ws client opens a TCP connection to 127.0.0.1 (HTTP upgrade), sends 'ping', awaits the echo (echo: true), closes with a full close handshake and awaits 'close'; ${CYCLE_MS} ms per run after one uncounted ${CYCLE_MS} ms warm-up run and 50 warm-up cycles per run`,
    ),
    row(
      'connect-send-receive-close mock-socket 9.3.1',
      'cycles/s',
      socket,
      undefined,
      "the same cycle in memory (no socket): mock-socket defers the client's open, the client's send and the client's close each with setTimeout(fn, 4) (its `delay()` helper; the server's socket.send is synchronous), so a cycle is 3 timers ≥ 4 ms ≈ 12.6 ms of mostly idle waiting, not CPU: it is a latency floor per cycle, and concurrent cycles would overlap",
    ),
    row(
      'cycles MockServer / mock-socket',
      '×',
      pairRatio(mock, socket),
      atLeast(10),
      'per-run ratio of the two rows above, runs interleaved',
    ),
  ];
}

async function echo(): Promise<BenchRow[]> {
  const client = new Child('echo-client-child.ts');
  const f: Record<'wsRaw' | 'mock' | 'wsFrames' | 'mockV1', EchoFigures[]> = {
    wsRaw: [],
    mock: [],
    wsFrames: [],
    mockV1: [],
  };
  try {
    for (let r = 0; r < ECHO_RUNS; r++) {
      f.wsRaw.push(await echoRun(client, 'ws', 'raw', ECHO));
      f.mock.push(await echoRun(client, 'mock', 'raw', ECHO));
      f.wsFrames.push(await echoRun(client, 'ws', 'frames', ECHO));
      f.mockV1.push(await echoRun(client, 'mock-v1', 'frames', ECHO));
    }
  } finally {
    await client.stop();
  }
  const rate = (k: keyof typeof f) => f[k].map((x) => x.msgsPerSecond);
  const cpu = (k: keyof typeof f) => f[k].map((x) => x.cpuUsPerMsg);
  log(
    `(b) msgs/s ws ${rate('wsRaw').map(Math.round)} mock ${rate('mock').map(Math.round)} ws-frames ${rate('wsFrames').map(Math.round)} mock-v1 ${rate('mockV1').map(Math.round)}`,
  );
  const setup = `client in a child process, one connection, ${ECHO.window} messages in flight, ${ECHO.durationMs} ms measured after ${ECHO.warmupMs} ms warm-up`;
  return [
    row(
      'echo bare ws, 1 KiB binary',
      'msgs/s',
      rate('wsRaw'),
      undefined,
      `a WebSocketServer whose 'message' handler sends the data back; ${setup}`,
    ),
    row(
      'echo MockServer (protocol off), 1 KiB binary',
      'msgs/s',
      rate('mock'),
      undefined,
      `MockServer.start({ echo: true }) out of the box: every message is logged for inspection (maxMessages 100,000); ${setup}`,
    ),
    row(
      'echo MockServer / bare ws (protocol off)',
      '×',
      pairRatio(rate('mock'), rate('wsRaw')),
      atLeast(0.9),
      'per-run ratio, runs interleaved',
    ),
    row(
      'echo bare ws, semantest-v1 frames echoed unchanged',
      'msgs/s',
      rate('wsFrames'),
      undefined,
      `the client encodes a data frame per message (seq, timestamp, CRC32C over 25 + 5 + 1024 bytes) and decodes (CRC-checks) every echo; the bare server echoes the bytes; ${setup}`,
    ),
    row(
      'echo MockServer semantest-v1, 1 KiB binary payload',
      'msgs/s',
      rate('mockV1'),
      undefined,
      `MockServer.start({ echo: true, protocols: ['semantest-v1'] }); the client offers semantest-v1, sends hello, awaits welcome, then the same frames as the row above; the server checks CRC, dedupes, acks every 32 (ackEvery default), re-sends each payload as its own sequenced, replay-buffered data frame; the client decodes everything and acks the server's frames every 32 (≈ ${Math.round(median(f.mockV1.map((x) => x.acksOut)))} acks each way per run); ${setup}`,
    ),
    row(
      'echo MockServer semantest-v1 / bare ws (same frames)',
      '×',
      pairRatio(rate('mockV1'), rate('wsFrames')),
      atLeast(0.7),
      'per-run ratio against the bare ws server echoing the same frames, so the client does the same encode/CRC/decode work in both; only the server differs',
    ),
    row(
      'echo MockServer semantest-v1 / bare ws (raw 1 KiB)',
      '×',
      pairRatio(rate('mockV1'), rate('wsRaw')),
      undefined,
      'the stricter reading: against the bare ws raw-bytes echo; includes the client-side protocol cost',
    ),
    row('echo server CPU per message, bare ws', 'µs/msg', cpu('wsRaw'), undefined, cpuNote),
    row('echo server CPU per message, MockServer (protocol off)', 'µs/msg', cpu('mock'), undefined, cpuNote),
    row('echo server CPU per message, bare ws (frames)', 'µs/msg', cpu('wsFrames'), undefined, cpuNote),
    row('echo server CPU per message, MockServer semantest-v1', 'µs/msg', cpu('mockV1'), undefined, cpuNote),
  ];
}

const cpuNote =
  'user + system CPU of the process holding only the server (process.cpuUsage around the whole run, warm-up, start and close included) / every echo of the run';

type Kind = 'mock' | 'ws';
type Placement = 'remote' | 'local';

/**
 * Runs (c) for both servers. Remote: both servers and their 2 × 5,000 clients (one child process
 * each) stay up together and the runs alternate, so each MockServer run has a bare ws run beside it
 * under the same machine load. Local (10,000 sockets in this process): one server after the other.
 */
async function broadcastRuns(placement: Placement): Promise<Record<Kind, BroadcastFigures[]>> {
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

async function broadcast(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const n = CLIENTS.toLocaleString('en-US');
  for (const placement of ['remote', 'local'] as const) {
    const figures = await broadcastRuns(placement);
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

async function stream(): Promise<BenchRow[]> {
  const runs = [];
  for (let r = 0; r < STREAM_RUNS; r++) runs.push(await pacedStream(STREAM_RATE, STREAM_COUNT));
  log(`(d) client rate ${runs.map((x) => x.clientRate.toFixed(1))}; p99 gap ${runs.map((x) => x.gapP99)}`);
  const err = (x: number) => (Math.abs(x - STREAM_RATE) / STREAM_RATE) * 100;
  const what = `server.stream({}, generator of ${STREAM_COUNT.toLocaleString('en-US')} short text messages, { ratePerSecond: ${STREAM_RATE} }) to one ws client in this process`;
  return [
    row(
      `paced stream ${STREAM_RATE.toLocaleString('en-US')} msgs/s: rate error at the client`,
      '%',
      runs.map((x) => err(x.clientRate)),
      atMost(1),
      `${what}; |(received − 1) / (last − first arrival) − ${STREAM_RATE}| / ${STREAM_RATE}`,
    ),
    row(
      `paced stream ${STREAM_RATE.toLocaleString('en-US')} msgs/s: rate error, server's achievedRate`,
      '%',
      runs.map((x) => err(x.serverRate)),
      atMost(1),
      'from run.done.achievedRate (sent / elapsed on the server clock)',
    ),
    row(
      `paced stream ${STREAM_RATE.toLocaleString('en-US')} msgs/s: p99 inter-message gap`,
      'ms',
      runs.map((x) => x.gapP99),
      undefined,
      `ideal gap 0.2 ms; Node timers have 1 ms resolution, so pace() sends the ~5 messages due per timer tick together: gaps are ~0 within a tick and ~1 ms between ticks (p50 ${median(runs.map((x) => x.gapP50))} ms); the p99 shows the late ticks`,
    ),
    row(
      `paced stream ${STREAM_RATE.toLocaleString('en-US')} msgs/s: max lag behind schedule`,
      'ms',
      runs.map((x) => x.maxLagMs),
      undefined,
      'run.done.maxLagMs (largest send delay behind its due time; caught up in bursts ≤ maxBurst 100, so the rate holds)',
    ),
  ];
}

async function memory(): Promise<BenchRow[]> {
  const mock: MemoryFigures[] = [];
  const ws: MemoryFigures[] = [];
  for (let r = 0; r < MEMORY_RUNS; r++) {
    mock.push(await memoryRun('mock', CLIENTS));
    if (r === 0) ws.push(await memoryRun('ws', CLIENTS));
  }
  const kb = (b: number) => b / 1000;
  log(
    `(e) mock per conn ${mock.map((x) => kb(x.perConnection).toFixed(1))} KB; rss MB ${mock.map((x) => [x.rssStart, x.rssOpen, x.rssClosed].map((v) => (v / 1e6).toFixed(0)).join('/'))}; heap MB ${mock.map((x) => [x.heapStart, x.heapOpen, x.heapClosed].map((v) => (v / 1e6).toFixed(0)).join('/'))}`,
  );
  const where = `server in a child process holding only the server, ${CLIENTS.toLocaleString('en-US')} ws clients in another child; RSS after 3 × gc()`;
  return [
    row(
      `RSS per idle connection at ${CLIENTS.toLocaleString('en-US')}, MockServer`,
      'KB',
      mock.map((x) => kb(x.perConnection)),
      atMost(30),
      `(RSS with ${CLIENTS} open − RSS at start) / ${CLIENTS}, KB = 1000 B; protocol off; ${where}; start RSS ≈ ${(median(mock.map((x) => x.rssStart)) / 1e6).toFixed(0)} MB (node + tsx loader)`,
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssSettled / x.rssStart),
      atMost(SETTLE_RATIO),
      `after every client closed with a close handshake and the server counted 0 open connections, and then ${IDLE_MS / 1000} s idle, closed connections still kept for inspection (no flush()); like every reading here, taken after 3 × gc(), and sampled once a second, so forced GCs run while it waits (with no GC at all an idle process keeps everything: 1.68× 12 s after close, measured once): V8 keeps the young generation it grew under load until its memory reducer runs, seconds after the process goes idle`,
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed: time to come within ${SETTLE_RATIO}× of the start, MockServer`,
      's',
      mock.map((x) => x.settleMs / 1000),
      undefined,
      'from the first reading after close (below); negative: never within the idle time',
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssClosed / x.rssStart),
      undefined,
      'before V8 shrank its young generation (heapTotal still ≈ 45 MB against ≈ 12 MB after): for information',
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed and flush() / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssFlushedSettled / x.rssStart),
      undefined,
      `server.flush() forgets the closed connections kept for inspection; after another ${IDLE_MS / 1000} s idle`,
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed, MockServer / bare ws`,
      '×',
      [median(mock.map((x) => x.rssClosed)) / median(ws.map((x) => x.rssClosed))],
      undefined,
      'the same moment for both servers: what MockServer keeps beyond what Node, V8 and the allocator keep for any ws server',
    ),
    row(
      `RSS after a second wave of ${CLIENTS.toLocaleString('en-US')} opened and closed / after the first, MockServer`,
      '×',
      mock.map((x) => x.rssSecondWave / x.rssClosed),
      undefined,
      'no growth from wave to wave: the memory the first wave left with the allocator is reused, not leaked (server.flush() after each wave)',
    ),
    row(
      'heap retained per closed connection, MockServer',
      'bytes',
      mock.map((x) => (x.heapClosed - x.heapStart) / CLIENTS),
      undefined,
      '(heapUsed after close − heapUsed at start) / connections: closed connections stay inspectable (server.connections, nextConnection) until flush()',
    ),
    row(
      'heap retained per closed connection after server.flush(), MockServer',
      'bytes',
      mock.map((x) => (x.heapFlushed - x.heapStart) / CLIENTS),
      undefined,
      '(heapUsed after close and flush() − heapUsed at start) / connections',
    ),
    row(
      `RSS per idle connection at ${CLIENTS.toLocaleString('en-US')}, bare ws`,
      'KB',
      ws.map((x) => kb(x.perConnection)),
      undefined,
      'the same with a bare WebSocketServer, 1 run, for comparison',
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, bare ws`,
      '×',
      ws.map((x) => x.rssSettled / x.rssStart),
      undefined,
      "sampled the same way as MockServer's",
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, bare ws`,
      '×',
      ws.map((x) => x.rssClosed / x.rssStart),
    ),
    row(
      'heap retained per closed connection, bare ws',
      'bytes',
      ws.map((x) => (x.heapClosed - x.heapStart) / CLIENTS),
    ),
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, part] of [
    ['(a) cycles', cycles],
    ['(b) echo', echo],
    ['(c) broadcast', broadcast],
    ['(d) stream', stream],
    ['(e) memory', memory],
  ] as const) {
    const t0 = performance.now();
    rows.push(...(await part()));
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return rows;
}
