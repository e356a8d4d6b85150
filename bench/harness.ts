/**
 * A small benchmark harness: repeated timed runs, medians, targets, a table and a JSON file.
 * Benchmarks live here, never in `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One measured figure. */
export interface BenchRow {
  /** What was measured, e.g. `binary encode+decode 1 KiB`. */
  name: string;
  /** The unit of `median` and `runs`, e.g. `msgs/s`, `MB/s`, `ns/op`, `bytes`. */
  unit: string;
  /** The median over `runs`. */
  median: number;
  /** Every run's figure. */
  runs: number[];
  /** The target, if any. */
  target?: { op: '>=' | '<='; value: number };
  /** Whether the median meets the target. */
  met?: boolean;
  /** Anything a reader needs to interpret the figure. */
  note?: string;
}

/** @returns the median of a non-empty list */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (`p` in 0–100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The target "at least `value`", for {@link row}. */
export const atLeast = (value: number) => ({ op: '>=' as const, value });
/** The target "at most `value`", for {@link row}. */
export const atMost = (value: number) => ({ op: '<=' as const, value });
/** Per-run ratios `a[i] / b[i]` of two interleaved series. */
export const pairRatio = (a: number[], b: number[]): number[] => a.map((x, i) => x / b[i]!);

/**
 * Times `fn(ops)` `runs` times after one warm-up and returns nanoseconds per operation for each run.
 * `fn` must perform `ops` operations and return something (kept alive so the JIT cannot drop the work).
 */
export function nsPerOp(fn: (ops: number) => unknown, ops: number, runs = 7): number[] {
  let sink: unknown = fn(Math.max(1, Math.floor(ops / 4)));
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    sink = fn(ops);
    const t1 = process.hrtime.bigint();
    out.push(Number(t1 - t0) / ops);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return out;
}

/** Builds a row from per-run figures, computing the median and whether a target is met. */
export function row(
  name: string,
  unit: string,
  runs: number[],
  target?: { op: '>=' | '<='; value: number },
  note?: string,
): BenchRow {
  const m = median(runs);
  const r: BenchRow = { name, unit, median: m, runs };
  if (target) {
    r.target = target;
    r.met = target.op === '>=' ? m >= target.value : m <= target.value;
  }
  if (note) r.note = note;
  return r;
}

function fmt(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** Prints rows as a table and writes them with machine details to `bench/results/<file>.json`. */
export function report(file: string, title: string, rows: BenchRow[]): string {
  const header = ['figure', 'median', 'unit', 'target', 'met'];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.median),
    r.unit,
    r.target ? `${r.target.op} ${fmt(r.target.value)}` : '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const out = [header, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join(' | ')).join('\n');
  console.log(`\n## ${title}\n${out}`);
  for (const r of rows) if (r.note) console.log(`  - ${r.name}: ${r.note}`);
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${file}.json`);
  writeFileSync(
    target,
    `${JSON.stringify(
      {
        title,
        date: new Date().toISOString(),
        machine: {
          node: process.version,
          cpus: os.cpus().length,
          cpu: os.cpus()[0]?.model,
          memGiB: os.totalmem() / 2 ** 30,
        },
        rows,
      },
      null,
      2,
    )}\n`,
  );
  return target;
}
