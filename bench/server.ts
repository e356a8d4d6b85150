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
import { pacedStream } from './server/broadcast.js';
import { broadcastRows } from './server/broadcast-rows.js';
import { mockServerCyclesPerSecond, mockSocketCyclesPerSecond } from './server/cycles.js';
import { type EchoFigures, echoRun } from './server/echo.js';
import { memoryRows } from './server/memory-rows.js';
import { Child } from './server/util.js';

const CYCLE_RUNS = 5;
const CYCLE_MS = 600;
const ECHO_RUNS = 7;
const ECHO = { bytes: 1024, window: 64, warmupMs: 300, durationMs: 1200 };
const CLIENTS = 5000;
const STREAM_RUNS = 5;
const STREAM_RATE = 5000;
const STREAM_COUNT = 10_000;

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

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, part] of [
    ['(a) cycles', cycles],
    ['(b) echo', echo],
    ['(c) broadcast', () => broadcastRows(CLIENTS, log)],
    ['(d) stream', stream],
    ['(e) memory', () => memoryRows(CLIENTS, log)],
  ] as const) {
    const t0 = performance.now();
    rows.push(...(await part()));
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return rows;
}
