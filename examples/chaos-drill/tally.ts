/**
 * The chaos drill's figures and verdict, and the report printed from them.
 */
import type {
  DeliveryValidator,
  FairnessValidator,
  JitterMeter,
  LatencyMeter,
  OrderingValidator,
} from '@semantest/ws-kit';
import type { DrillOptions } from './drill.js';

interface Side {
  readonly delivery: DeliveryValidator;
  readonly order: OrderingValidator;
}

/** What the drill measured (inputs of {@link tallyOf}). */
export interface DrillMeasurements {
  readonly o: DrillOptions;
  readonly up: Side;
  readonly down: Side;
  readonly latency: { readonly up: LatencyMeter; readonly down: LatencyMeter };
  readonly jitter: { readonly up: JitterMeter; readonly down: JitterMeter };
  readonly fairness: FairnessValidator;
  /** Frame decode failures other than checksums: server errors (up), client errors (down). */
  readonly detected: { readonly up: number; readonly down: number };
  /** Messages delivered that did not even parse (plain mode: corruption nobody caught). */
  readonly garbled: { readonly up: number; readonly down: number };
  readonly injected: { readonly up: number; readonly down: number };
  readonly dropped: number;
  readonly checksumFailures: number;
  readonly recoveries: readonly number[];
  readonly reconnects: number;
  readonly resends: number;
  readonly errors: readonly string[];
  readonly elapsedMs: number;
}

/** One direction's figures. */
export interface DirectionTally {
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly outOfOrder: number;
  readonly corruptionsInjected: number;
  readonly corruptionsDetected: number;
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly jitterMs: number;
}

/** Everything the report prints, and whether the guarantees held. */
export interface Tally {
  readonly up: DirectionTally;
  readonly down: DirectionTally;
  readonly framesDropped: number;
  readonly reconnects: number;
  readonly recoveryMs: { readonly median: number; readonly max: number };
  readonly resends: number;
  readonly fairness: number;
  readonly errors: readonly string[];
  readonly failures: readonly string[];
  readonly elapsedMs: number;
  readonly options: DrillOptions;
}

function direction(
  side: Side,
  latency: LatencyMeter,
  jitter: JitterMeter,
  injected: number,
  detected: number,
  garbled: number,
): DirectionTally {
  const d = side.delivery.report();
  const order = side.order.report();
  const l = latency.report();
  return {
    sent: d.sent,
    delivered: d.unique,
    lost: d.lost,
    duplicated: d.duplicated,
    unexpected: d.unexpected + garbled,
    outOfOrder: order.outOfOrderMessages + order.sequenceGaps,
    corruptionsInjected: injected,
    corruptionsDetected: detected,
    latency: { p50: l.p50, p95: l.p95, p99: l.p99 },
    jitterMs: jitter.report().jitter,
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Computes the figures and checks the guarantees. */
export function tallyOf(m: DrillMeasurements): Tally {
  const up = direction(
    m.up,
    m.latency.up,
    m.jitter.up,
    m.injected.up,
    m.checksumFailures + m.detected.up,
    m.garbled.up,
  );
  const down = direction(
    m.down,
    m.latency.down,
    m.jitter.down,
    m.injected.down,
    m.detected.down,
    m.garbled.down,
  );
  const failures: string[] = [];
  for (const [name, t] of [
    ['client → server', up],
    ['server → client', down],
  ] as const) {
    if (t.lost > 0) failures.push(`${name}: ${t.lost} messages lost`);
    if (t.duplicated > 0) failures.push(`${name}: ${t.duplicated} duplicates delivered`);
    if (t.unexpected > 0)
      failures.push(`${name}: ${t.unexpected} unexpected (corrupted?) messages delivered`);
    if (t.outOfOrder > 0) failures.push(`${name}: ${t.outOfOrder} out of order`);
    if (t.corruptionsDetected > t.corruptionsInjected)
      failures.push(
        `${name}: ${t.corruptionsDetected} corruptions detected but only ${t.corruptionsInjected} injected`,
      );
  }
  for (const e of m.errors) failures.push(e);
  return {
    up,
    down,
    framesDropped: m.dropped,
    reconnects: m.reconnects,
    recoveryMs: { median: median(m.recoveries), max: Math.max(0, ...m.recoveries) },
    resends: m.resends,
    fairness: m.fairness.report().jainIndex,
    errors: m.errors,
    failures,
    elapsedMs: m.elapsedMs,
    options: m.o,
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The report, as printed. */
export function formatReport(t: Tally): string {
  const o = t.options;
  const rows: [string, string, string][] = [
    ['sent', n(t.up.sent), n(t.down.sent)],
    ['delivered (distinct)', n(t.up.delivered), n(t.down.delivered)],
    ['lost', n(t.up.lost), n(t.down.lost)],
    ['duplicated', n(t.up.duplicated), n(t.down.duplicated)],
    ['out of order', n(t.up.outOfOrder), n(t.down.outOfOrder)],
    ['corrupted, delivered to the app', n(t.up.unexpected), n(t.down.unexpected)],
    [
      'corruptions detected / injected',
      `${t.up.corruptionsDetected} / ${t.up.corruptionsInjected}`,
      `${t.down.corruptionsDetected} / ${t.down.corruptionsInjected}`,
    ],
    ['latency p50', ms(t.up.latency.p50), ms(t.down.latency.p50)],
    ['latency p95', ms(t.up.latency.p95), ms(t.down.latency.p95)],
    ['latency p99', ms(t.up.latency.p99), ms(t.down.latency.p99)],
    ['jitter (RFC 3550)', ms(t.up.jitterMs), ms(t.down.jitterMs)],
  ];
  const w = [34, 18, 18];
  const line = (a: string, b: string, c: string) =>
    `  ${a.padEnd(w[0]!)}${b.padStart(w[1]!)}${c.padStart(w[2]!)}`;
  const out = [
    '',
    `Chaos drill — ${o.clients} clients × ${o.channels} channels, ${o.rate} msgs/s each way per client, ${o.durationMs / 1000} s, profile '${o.profile}', seed ${o.seed}`,
    `  clients in ${o.mode} mode; faults: ${o.blackoutMs / 1000} s blackout, ${o.corrupt * 100} % corrupted and ${o.drop * 100} % dropped frames each way, server restart: ${o.restart}`,
    '',
    line('', 'client → server', 'server → client'),
    ...rows.map((r) => line(...r)),
    '',
    `  frames dropped by the proxy: ${n(t.framesDropped)}; resent by the clients: ${n(t.resends)}`,
    `  reconnects: ${t.reconnects}; recovery (loss → ready) median ${ms(t.recoveryMs.median)}, max ${ms(t.recoveryMs.max)}`,
    `  fairness across clients (Jain index, 1 = equal): ${t.fairness.toFixed(4)}`,
    `  took ${(t.elapsedMs / 1000).toFixed(1)} s`,
    '',
    t.failures.length === 0
      ? '  PASS: every message delivered once, intact and in order, both ways.'
      : `  FAIL:\n${t.failures.map((f) => `    - ${f}`).join('\n')}`,
    '',
  ];
  return out.join('\n');
}
