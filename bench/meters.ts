/**
 * Meters: LatencyMeter.record cost and fixed memory, plus the per-call cost of the other meters.
 * Run alone: node --expose-gc --import tsx -e "import('./bench/meters.ts').then(async m=>console.log(await m.bench()))"
 */
import { build, initWebAssemblySync } from 'hdr-histogram-js';
import { ClockSync, JitterMeter, LatencyMeter, ThroughputMeter } from '../src/meters/index.js';
import { type BenchRow, nsPerOp, row } from './harness.js';

const RUNS = 7;
const OPS = 2_000_000;
const MASK = (1 << 16) - 1;

/** 65 536 latencies, log-uniform between 0.1 ms and ~110 ms (a realistic WebSocket spread), seeded. */
function latencies(): Float64Array {
  const values = new Float64Array(MASK + 1);
  let x = 1;
  for (let i = 0; i < values.length; i++) {
    x = (x * 48_271) % 2_147_483_647;
    values[i] = Math.exp((x / 2_147_483_647) * 7) / 10;
  }
  return values;
}

function retainedBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

export async function bench(): Promise<BenchRow[]> {
  const values = latencies();
  const rows: BenchRow[] = [];

  const meter = new LatencyMeter();
  rows.push(
    row(
      'LatencyMeter.record',
      'ns/op',
      nsPerOp(
        (n) => {
          for (let i = 0; i < n; i++) meter.record(values[i & MASK]!);
          return meter.count;
        },
        OPS,
        RUNS,
      ),
      { op: '<=', value: 150 },
      'values 0.1–110 ms log-uniform, precomputed; default options (1 h range, 3 digits)',
    ),
  );

  const footprints = (samples: number) =>
    Array.from({ length: 5 }, () => {
      const m = new LatencyMeter();
      for (let i = 0; i < samples; i++) m.record(values[i & MASK]!);
      return m.footprintBytes;
    });
  const small = footprints(1_000);
  rows.push(
    row('LatencyMeter footprint after 1e3 samples', 'bytes', small, undefined, 'estimatedFootprintInBytes'),
  );
  rows.push(
    row(
      'LatencyMeter footprint after 1e7 samples',
      'bytes',
      footprints(10_000_000),
      { op: '<=', value: small[0]! },
      'must equal the 1e3 figure: memory is fixed by the options',
    ),
  );

  const retained = Array.from({ length: 5 }, () => {
    const before = retainedBytes();
    const alive = Array.from({ length: 20 }, () => new LatencyMeter());
    for (const m of alive) for (let i = 0; i < 100_000; i++) m.record(values[i & MASK]!);
    const after = retainedBytes();
    return alive.length > 0 ? (after - before) / alive.length : 0;
  });
  rows.push(
    row(
      'LatencyMeter retained heap+arrayBuffers per meter',
      'bytes',
      retained,
      undefined,
      'info: 20 live meters × 1e5 samples, measured with gc()',
    ),
  );

  const corrected = new LatencyMeter({ expectedIntervalMs: 10 });
  rows.push(
    row(
      'LatencyMeter.record with expectedIntervalMs 10',
      'ns/op',
      nsPerOp(
        (n) => {
          for (let i = 0; i < n; i++) corrected.record(values[i & MASK]!);
          return corrected.count;
        },
        OPS / 4,
        RUNS,
      ),
      undefined,
      'info: ~40% of the values exceed 20 ms and add corrected samples',
    ),
  );

  const snapshotMeter = new LatencyMeter();
  for (let i = 0; i < 100_000; i++) snapshotMeter.record(values[i & MASK]!);
  rows.push(
    row(
      'LatencyMeter snapshot size (1e5 samples)',
      'bytes',
      [JSON.stringify(snapshotMeter.toSnapshot()).length],
      undefined,
      'JSON text of toSnapshot(); info',
    ),
  );

  initWebAssemblySync();
  const wasm = build({
    useWebAssembly: true,
    bitBucketSize: 64,
    highestTrackableValue: 3_600_000_000,
    autoResize: false,
  });
  const wasmRuns = nsPerOp(
    (n) => {
      for (let i = 0; i < n; i++) wasm.recordValue(Math.round(values[i & MASK]! * 1000));
      return wasm.totalCount;
    },
    OPS,
    RUNS,
  );
  wasm.destroy();
  rows.push(
    row(
      'hdr-histogram-js WASM recordValue (not used)',
      'ns/op',
      wasmRuns,
      undefined,
      'info: faster, but needs destroy()',
    ),
  );

  const jitter = new JitterMeter();
  rows.push(
    row(
      'JitterMeter.observe',
      'ns/op',
      nsPerOp(
        (n) => {
          for (let i = 0; i < n; i++) jitter.observe(values[i & MASK]!);
          return jitter.count;
        },
        OPS,
        RUNS,
      ),
    ),
  );

  rows.push(
    row(
      'ThroughputMeter.record',
      'ns/op',
      nsPerOp(
        (n) => {
          const throughput = new ThroughputMeter();
          for (let i = 0; i < n; i++) throughput.record(512, i * 0.01);
          return throughput.report().messages;
        },
        OPS,
        RUNS,
      ),
      undefined,
      'explicit timestamps, 100 000 records per second',
    ),
  );

  rows.push(
    row(
      'ClockSync.addSample',
      'ns/op',
      nsPerOp(
        (n) => {
          const sync = new ClockSync();
          for (let i = 0; i < n; i++) {
            const t0 = i * 10;
            const up = values[i & MASK]!;
            sync.addSample(t0, t0 + up + 40, t0 + up + 41, t0 + 2 * up + 1);
          }
          return sync.sampleCount;
        },
        OPS / 4,
        RUNS,
      ),
      undefined,
      'best of 8',
    ),
  );
  return rows;
}
