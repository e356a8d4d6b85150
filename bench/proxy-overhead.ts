/**
 * ChaosProxy pass-through overhead (no conditions, no faults), against the direct connection to the
 * same upstream, rounds interleaved with the order rotated: burst throughput client → server (1 KiB
 * and 64 KiB messages) and ping-pong round-trip time. Three paths to one bare `ws` server in a child
 * process (bench/proxy-server-child.ts): direct; through a ChaosProxy in this (the client's) process,
 * as the issue puts it — inside the test process; and through a ChaosProxy in a child process of its
 * own (bench/proxy-child.ts), as a Toxiproxy daemon would be.
 */
import os from 'node:os';
import { atLeast, atMost, type BenchRow, median, percentile, row } from './harness.js';
import { burst, pingPong } from './proxy-rounds.js';
import type { Child } from './server/util.js';

/** The three paths. */
export type Path = 'direct' | 'in-process' | 'child';
const PATHS: readonly Path[] = ['direct', 'in-process', 'child'];

const THROUGHPUT = [
  { bytes: 1024, n: 20_000, warmupN: 5000, rounds: 7 },
  { bytes: 64 * 1024, n: 400, warmupN: 100, rounds: 7 },
] as const;
const RTT = { n: 2000, warmup: 200, rounds: 7, bytes: 64 };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** What the overhead part needs: the urls of the three paths and the child processes. */
export interface OverheadSetup {
  urls: Record<Path, string>;
  server: Child;
  proxyChild: Child;
  log(message: string): void;
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

interface Round {
  rate: number;
  /** CPU per message, µs: this process (client, and the in-process proxy), the server, the proxy child. */
  cpu: [number, number, number];
}

async function throughputRound(s: OverheadSetup, p: Path, n: number, bytes: number): Promise<Round> {
  const c0 = [cpuNow(), await s.server.call<number>('cpu'), await s.proxyChild.call<number>('cpu')];
  const ms = await burst(s.urls[p], n, bytes);
  const c1 = [cpuNow(), await s.server.call<number>('cpu'), await s.proxyChild.call<number>('cpu')];
  const per = (i: number) => (c1[i]! - c0[i]!) / n;
  return { rate: n / (ms / 1000), cpu: [per(0), per(1), per(2)] };
}

function rotated<T>(items: readonly T[], r: number): T[] {
  return items.map((_, i) => items[(r + i) % items.length]!);
}

async function throughput(s: OverheadSetup): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const t of THROUGHPUT) {
    const f: Record<Path, Round[]> = { direct: [], 'in-process': [], child: [] };
    for (const p of PATHS) await burst(s.urls[p], t.warmupN, t.bytes); // warm-up, not counted
    for (let r = 0; r < t.rounds; r++) {
      for (const p of rotated(PATHS, r)) f[p].push(await throughputRound(s, p, t.n, t.bytes));
    }
    const size = t.bytes === 1024 ? '1 KiB' : `${t.bytes / 1024} KiB`;
    const rate = (p: Path) => f[p].map((x) => x.rate);
    const cpu = (p: Path) => {
      const m = (i: number) => median(f[p].map((x) => x.cpu[i]!)).toFixed(1);
      return `CPU per message (median): client process ${m(0)} µs${p === 'in-process' ? ' (client + proxy)' : ''}, server ${m(1)} µs${p === 'child' ? `, proxy process ${m(2)} µs` : ''}`;
    };
    s.log(
      `throughput ${size} msgs/s: ${PATHS.map((p) => `${p} ${rate(p).map(Math.round).join(' ')}`).join('; ')}`,
    );
    const setup = `per round a fresh ws client in this process, opened first, then ${fmt(t.n)} binary messages of ${fmt(t.bytes)} B handed to ws.send() in one synchronous loop, timed from the first send to the server's answer that it counted all ${fmt(t.n)} (the last message asks for it, the answer comes back the same way); ${t.rounds} rounds, order of the three paths rotated per round, after one uncounted ${fmt(t.warmupN)}-message round each`;
    const serverCpu = (p: Path) => median(f[p].map((x) => x.cpu[1])).toFixed(1);
    const ratio = (p: Path) => rate(p).map((x, i) => x / rate('direct')[i]!);
    rows.push(
      row(
        `pass-through throughput ${size} client → server, direct`,
        'msgs/s',
        rate('direct'),
        undefined,
        `bare ws server (perMessageDeflate off) in a child process; ${setup}; ${cpu('direct')}`,
      ),
      row(
        `pass-through throughput ${size} client → server, ChaosProxy in the client's process`,
        'msgs/s',
        rate('in-process'),
        undefined,
        `ChaosProxy.start({ target }) with no conditions or faults in this process, sharing its event loop with the client (the issue's "inside the test process"); ${cpu('in-process')}`,
      ),
      row(
        `pass-through throughput ${size} client → server, ChaosProxy in its own process`,
        'msgs/s',
        rate('child'),
        undefined,
        `the same proxy in a child process of its own (3 processes on ${os.cpus().length} CPUs); ${cpu('child')}`,
      ),
      row(
        `pass-through throughput ${size}: proxy in the client's process / direct`,
        '×',
        ratio('in-process'),
        t.bytes === 1024 ? atLeast(0.7) : undefined,
        `per-round ratio, rounds interleaved${t.bytes === 1024 ? "; the issue's target applies here: ChaosProxy is meant to run inside the test process" : '; no target (extra row)'}; server CPU per message ${serverCpu('direct')} µs direct vs ${serverCpu('in-process')} µs through this proxy${t.bytes === 1024 ? ": a burst is not a pure cost measure — the proxy forwards each read (up to 64 KiB, as it cannot read until the client's send loop yields) as one write, so the server parses fewer, larger chunks; the proxy's own cost shows in the client process's CPU above and in the proxy process's CPU (own-process row)" : ''}`,
      ),
      row(
        `pass-through throughput ${size}: proxy in its own process / direct`,
        '×',
        ratio('child'),
        undefined,
        'per-round ratio, rounds interleaved; for information',
      ),
    );
  }
  return rows;
}

async function latency(s: OverheadSetup): Promise<BenchRow[]> {
  const p50: Record<Path, number[]> = { direct: [], 'in-process': [], child: [] };
  const p99: Record<Path, number[]> = { direct: [], 'in-process': [], child: [] };
  for (let r = 0; r < RTT.rounds; r++) {
    for (const p of rotated(PATHS, r)) {
      const rtt = await pingPong(s.urls[p], RTT.n, RTT.warmup, RTT.bytes);
      p50[p].push(percentile(rtt, 50));
      p99[p].push(percentile(rtt, 99));
    }
  }
  const added = (q: Record<Path, number[]>, p: Path) => q[p].map((x, i) => x - q.direct[i]!);
  s.log(`RTT p50 ms: ${PATHS.map((p) => `${p} ${p50[p].map((x) => x.toFixed(3)).join(' ')}`).join('; ')}`);
  const setup = `ping-pong on a fresh connection per round: one ${RTT.bytes} B binary message in flight, echoed by the bare ws server in its child process, ${fmt(RTT.n)} round trips per round after ${RTT.warmup} uncounted; ${RTT.rounds} rounds, paths rotated; per round the percentile of the proxied path minus the same percentile of the direct path, median over rounds`;
  return [
    row('echo RTT p50, direct', 'ms', p50.direct, undefined, setup),
    row("echo RTT p50, ChaosProxy in the client's process", 'ms', p50['in-process']),
    row(
      "added latency p50, ChaosProxy in the client's process (RTT − direct RTT)",
      'ms',
      added(p50, 'in-process'),
      atMost(0.2),
      'a round trip crosses the proxy twice (two more loopback TCP hops each way), so this is the added round-trip time — an upper bound on the added one-way latency',
    ),
    row(
      "added latency p99, ChaosProxy in the client's process (RTT − direct RTT)",
      'ms',
      added(p99, 'in-process'),
      undefined,
      'extra row, no target',
    ),
    row(
      'added latency p50, ChaosProxy in its own process (RTT − direct RTT)',
      'ms',
      added(p50, 'child'),
      undefined,
      'for information: each crossing also wakes a third process',
    ),
    row('added latency p99, ChaosProxy in its own process (RTT − direct RTT)', 'ms', added(p99, 'child')),
  ];
}

/** The pass-through rows. */
export async function overhead(s: OverheadSetup): Promise<BenchRow[]> {
  return [...(await throughput(s)), ...(await latency(s))];
}
