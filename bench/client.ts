/**
 * ResilientClient (issue 4), measured side by side in one run:
 * (a) the 2 s half-open blackout then reset, 3,000 messages at 1 per ms client → server, for
 *     ResilientClient (semantest-v1) and reconnecting-websocket, partysocket and websocket-ts
 *     (protocol off): sent, received, lost, duplicated, time to detect the dead link and to recover;
 * (b) throughput of 1 KiB messages client → server: ResilientClient with acks, and in plain mode,
 *     against a bare `ws` client on the same MockServer (in a child process), rounds interleaved;
 * (c) server restarted 50 times in each mode: `restart()` resolved → `reconnected`, median and p99.
 * Everything on 127.0.0.1, ephemeral ports. Run alone: npm run bench -- client
 */
import {
  DEFAULT_BACKOFF_OPTIONS,
  DEFAULT_CLIENT_ACK_OPTIONS,
  DEFAULT_CLIENT_HEARTBEAT_OPTIONS,
} from '../src/client/index.js';
import { type BlackoutFigures, blackoutRun } from './client-blackout.js';
import {
  type Contestant,
  partySocket,
  reconnectingWebSocket,
  resilient,
  websocketTs,
} from './client-contestants.js';
import { reconnectRun } from './client-reconnect.js';
import {
  payloadOf,
  type ThroughputFigures,
  type ThroughputKind,
  throughputRound,
} from './client-throughput.js';
import { atLeast, atMost, type BenchRow, median, pairRatio, percentile, row } from './harness.js';
import { Child } from './server/util.js';

const BLACKOUT = {
  count: 3000,
  everyMs: 1,
  pauseAt: 1000,
  blackoutMs: 2000,
  settleMaxMs: 8000,
  quietMs: 500,
};
const THROUGHPUT = { n: 20_000, warmupN: 5000, rounds: 9, bytes: 1024 };
const RESTARTS = 100; // alternately immediate and graceful: 50 of each
const RECONNECT_BACKOFF = { initialMs: 50, stableMs: 100 };
const RESTART_PAUSE_MS = 120;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function log(message: string): void {
  console.error(`  [client] ${message}`);
}

const hb = DEFAULT_CLIENT_HEARTBEAT_OPTIONS;
const defaults = `defaults: heartbeat { intervalMs ${hb.intervalMs}, timeoutMs ${hb.timeoutMs} }, backoff { initialMs ${DEFAULT_BACKOFF_OPTIONS.initialMs}, factor ${DEFAULT_BACKOFF_OPTIONS.factor}, jitter '${DEFAULT_BACKOFF_OPTIONS.jitter}' }, ack { window ${DEFAULT_CLIENT_ACK_OPTIONS.window}, timeoutMs ${DEFAULT_CLIENT_ACK_OPTIONS.timeoutMs} }`;
const CONTESTANTS: readonly Contestant[] = [
  resilient('ResilientClient, default options', `semantest-v1, ${defaults}`, {}),
  resilient(
    'ResilientClient, heartbeat 500/500 ms',
    'semantest-v1, heartbeat { intervalMs 500, timeoutMs 500 }, everything else default: the default heartbeat (a ping after 10 s of connection, 5 s to answer) cannot notice a 2 s half-open link',
    { heartbeat: { intervalMs: 500, timeoutMs: 500 } },
  ),
  reconnectingWebSocket,
  partySocket,
  websocketTs,
];

async function blackout(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const b = BLACKOUT;
  const setup = `${b.count} text messages 'm:<id>' at 1 per ${b.everyMs} ms (absolute schedule); before message ${b.pauseAt} the server pauses the connection (MockServer pause(): stops reading and writing) for ${b.blackoutMs} ms, then drop(connection, 'abrupt') (TCP reset); one run`;
  for (const c of CONTESTANTS) {
    const f: BlackoutFigures = await blackoutRun(c, b);
    log(
      `(a) ${c.name}: received ${f.received}/${f.sent}, lost ${f.lost}, dup ${f.duplicated}, read-ahead ${f.readAhead}, detect ${f.detectMs.toFixed(0)} ms, recover ${f.recoverMs.toFixed(0)} ms; ${f.detail}`,
    );
    const rc = c.protocol;
    const name = (what: string) => `blackout, ${c.name}: ${what}`;
    const readAhead = `${f.readAhead} of them came from the paused connection's read-ahead: Node's socket.pause() keeps reading into the stream buffer up to its highWaterMark (16 KiB), and ws parses that buffer when the drop closes the socket${rc ? " (the server drops them as duplicates of the resent frames, or ignores them when the session has already moved to the new connection, as after the heartbeat's early reconnect)" : `; on a link that really went dark they would be lost too (lost would be ${f.lost + f.readAhead})`}`;
    rows.push(
      row(name('sent'), 'msgs', [f.sent], undefined, `${c.config}; ${setup}`),
      row(name('received (distinct ids at the server)'), 'msgs', [f.received], undefined, readAhead),
      row(name('lost'), 'msgs', [f.lost], rc ? atMost(0) : undefined, f.detail),
      row(
        name('duplicated'),
        'msgs',
        [f.duplicated],
        rc ? atMost(0) : undefined,
        "deliveries by the server's message event − distinct ids",
      ),
      row(
        name('detect the dead link'),
        'ms',
        [f.detectMs],
        undefined,
        `pause start → the library's first ${rc ? 'reconnecting' : 'close'} event; the reset came ${f.dropMs.toFixed(0)} ms after the pause start`,
      ),
      row(
        name('recover'),
        'ms',
        [f.recoverMs],
        undefined,
        `pause start → the library's ${rc ? 'reconnected' : 'next open'} event (NaN: not within ${b.settleMaxMs} ms)`,
      ),
    );
  }
  return rows;
}

async function throughput(): Promise<BenchRow[]> {
  const t = THROUGHPUT;
  const child = new Child('../client-server-child.ts');
  const kinds: ThroughputKind[] = ['ws', 'resilient-v1', 'resilient-plain'];
  const f: Record<ThroughputKind, ThroughputFigures[]> = {
    ws: [],
    'resilient-v1': [],
    'resilient-plain': [],
  };
  try {
    const url = await child.call<string>('start');
    const payload = payloadOf(t.bytes);
    for (const k of kinds) await throughputRound(child, url, k, t.warmupN, payload); // warm-up, not counted
    for (let r = 0; r < t.rounds; r++) {
      // rotate the order so that no contestant always runs first or last
      for (let i = 0; i < kinds.length; i++) {
        const k = kinds[(r + i) % kinds.length]!;
        f[k].push(await throughputRound(child, url, k, t.n, payload));
      }
    }
  } finally {
    await child.stop();
  }
  const rate = (k: ThroughputKind) => f[k].map((x) => x.msgsPerSecond);
  const cpu = (k: ThroughputKind) => {
    const busy = (x: ThroughputFigures, us: number) => (us * x.msgsPerSecond) / 1e4;
    const m = (g: (x: ThroughputFigures) => number) => median(f[k].map(g)).toFixed(1);
    return `CPU per message (median): client ${m((x) => x.clientCpuUs)} µs, server ${m((x) => x.serverCpuUs)} µs; busy share of the round: client process ${m((x) => busy(x, x.clientCpuUs))} %, server process ${m((x) => busy(x, x.serverCpuUs))} %`;
  };
  log(
    `(b) msgs/s ws ${rate('ws').map(Math.round)} v1 ${rate('resilient-v1').map(Math.round)} plain ${rate('resilient-plain').map(Math.round)}`,
  );
  const setup = `one MockServer({ protocols: ['semantest-v1'] }) in a child process for all three; per round a fresh client in this process, opened first, then ${fmt(t.n)} messages of ${t.bytes} B binary handed over in one synchronous loop, timed from the first send to the server's ${fmt(t.n)}th message event (IPC); ${t.rounds} rounds, order rotated per round, after one uncounted ${fmt(t.warmupN)}-message round each`;
  return [
    row(
      'throughput 1 KiB client → server, bare ws client',
      'msgs/s',
      rate('ws'),
      undefined,
      `ws WebSocket (perMessageDeflate off), ws.send() per message with no flow control of its own (ws queues in memory); ${setup}; ${cpu('ws')}`,
    ),
    row(
      'throughput 1 KiB client → server, ResilientClient semantest-v1',
      'msgs/s',
      rate('resilient-v1'),
      undefined,
      `client.send(bytes) per message (not awaited): each is framed at once (seq, timestamp, CRC32C), written while fewer than ack.window ${DEFAULT_CLIENT_ACK_OPTIONS.window} are unacked, the rest queued until the server's acks (every 32) free the window; the server checks CRC, dedupes and acks; buffer raised to { maxMessages ${fmt(t.n)}, maxBytes ${fmt(t.n * t.bytes)} } to hold the burst (defaults 10,000 / 16 MiB); ${cpu('resilient-v1')}`,
    ),
    row(
      'throughput 1 KiB client → server, ResilientClient plain',
      'msgs/s',
      rate('resilient-plain'),
      undefined,
      `protocol 'plain' (no subprotocol: a plain connection on the same server), client.send(bytes) per message, written to the socket at once like the bare client; same buffer bounds; ${cpu('resilient-plain')}`,
    ),
    row(
      'throughput ResilientClient semantest-v1 / bare ws',
      '×',
      pairRatio(rate('resilient-v1'), rate('ws')),
      atLeast(0.8),
      'per-round ratio, rounds interleaved; includes the server-side protocol work (the issue asks for the same server), which runs in the other process',
    ),
    row(
      'throughput ResilientClient plain / bare ws',
      '×',
      pairRatio(rate('resilient-plain'), rate('ws')),
      atLeast(0.95),
      'per-round ratio, rounds interleaved',
    ),
  ];
}

async function reconnect(): Promise<BenchRow[]> {
  const { samples, errors } = await reconnectRun(RESTARTS, RECONNECT_BACKOFF, RESTART_PAUSE_MS);
  const of = (mode: string) => samples.filter((s) => s.mode === mode);
  const retried = samples.filter((s) => s.attempts > 1).length;
  const share = samples.reduce((n, s) => n + s.backoffMs, 0) / samples.reduce((n, s) => n + s.totalMs, 0);
  log(
    `(c) total ms immediate ${of('immediate').map((s) => s.totalMs.toFixed(0))} graceful ${of('graceful').map((s) => s.totalMs.toFixed(0))}; ${errors.length} error events`,
  );
  const setup = `one ResilientClient (semantest-v1, backoff { initialMs ${RECONNECT_BACKOFF.initialMs}, stableMs ${RECONNECT_BACKOFF.stableMs} }, otherwise default: factor 2, full jitter, so the first attempt waits uniform 0–${RECONNECT_BACKOFF.initialMs} ms) and one MockServer({ protocols: ['semantest-v1'] }) in this process; ${RESTARTS} restarts alternating immediate / graceful after 2 uncounted, ${RESTART_PAUSE_MS} ms after each reconnect (> stableMs, so every restart starts the backoff from attempt 1); time from restart() resolved (listening again) to the reconnected event (open + hello/welcome); ${retried} of ${RESTARTS} restarts needed more than one attempt; ${errors.length} client error events${errors.length > 0 ? `: ${errors[0]}` : ''}`;
  const rows: BenchRow[] = [];
  for (const mode of ['immediate', 'graceful'] as const) {
    const total = of(mode).map((s) => s.totalMs);
    rows.push(
      row(
        `reconnect after ${mode} restart (${total.length}×): listening → reconnected, median`,
        'ms',
        total,
        undefined,
        mode === 'immediate' ? setup : 'close 1012 to the client, drain, listen again on the same port',
      ),
      row(`reconnect after ${mode} restart (${total.length}×): listening → reconnected, p99`, 'ms', [
        percentile(total, 99),
      ]),
    );
  }
  rows.push(
    row(
      `reconnect (${RESTARTS}×): backoff still pending when listening, median`,
      'ms',
      samples.map((s) => s.backoffMs),
      undefined,
      "max(0, last reconnecting event's time + its delayMs − listening time)",
    ),
    row(
      `reconnect (${RESTARTS}×): backoff share of listening → reconnected`,
      '%',
      [share * 100],
      undefined,
      'Σ pending backoff / Σ total over all restarts',
    ),
    row(
      `reconnect (${RESTARTS}×): time beyond the pending backoff, p99`,
      'ms',
      [
        percentile(
          samples.map((s) => s.beyondMs),
          99,
        ),
      ],
      atMost(50),
      `total − pending backoff (TCP connect, upgrade, hello/welcome, event loop); the issue's bound: within the backoff delay plus 50 ms; median ${median(samples.map((s) => s.beyondMs)).toFixed(1)} ms`,
    ),
  );
  return rows;
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, part] of [
    ['(a) blackout', blackout],
    ['(b) throughput', throughput],
    ['(c) reconnect', reconnect],
  ] as const) {
    const t0 = performance.now();
    rows.push(...(await part()));
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return rows;
}
