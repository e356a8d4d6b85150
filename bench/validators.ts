/**
 * Validators: the cost of each validator's observe-style call, and OrderingValidator's state memory
 * after 1e5 vs 1e7 observations (it must not grow with the stream's length).
 * Run alone: node --expose-gc --import tsx -e "import('./bench/validators.ts').then(async m=>console.log(await m.bench()))"
 */
import { createRandom } from '../src/internal/random.js';
import {
  DeliveryValidator,
  FairnessValidator,
  type OrderedMessage,
  type OrderingMode,
  OrderingValidator,
  ProgressValidator,
} from '../src/validators/index.js';
import { type BenchRow, median, nsPerOp, row } from './harness.js';

const RUNS = 7;
const OPS = 1_000_000;
const BLOCK = 1 << 20; // the pregenerated stream; runs longer than this continue with shifted seqs

interface Stream {
  channel: Uint8Array;
  seq: Float64Array;
  sentAt: Float64Array;
  /** Seqs added per channel per block (the block's highest seq of that channel), to continue past a block. */
  perBlock: Float64Array;
}

/**
 * A seeded stream: message i goes to channel i % channels with the next seq of its stream (one
 * global sequence in strict mode); with `reorder`, each message swaps with the previous message of
 * its stream with probability `reorder` (a local, 1-step reorder); with `drop`, a seq is skipped
 * with that probability. `sentAt` is the send position (for priority mode).
 */
function stream(channels: number, strict: boolean, reorder: number, drop = 0, seed = 7): Stream {
  const random = createRandom(seed);
  const channel = new Uint8Array(BLOCK);
  const seq = new Float64Array(BLOCK);
  const sentAt = new Float64Array(BLOCK);
  const next = new Float64Array(strict ? 1 : channels);
  const lastOf = new Int32Array(channels).fill(-1);
  for (let i = 0; i < BLOCK; i++) {
    const c = i % channels;
    const s = strict ? 0 : c;
    if (drop > 0 && random() < drop) next[s]!++;
    channel[i] = c;
    seq[i] = ++next[s]!;
    sentAt[i] = i;
    const prev = strict ? i - 1 : lastOf[c]!;
    if (reorder > 0 && prev >= 0 && random() < reorder) {
      [seq[i], seq[prev]] = [seq[prev]!, seq[i]!];
      [sentAt[i], sentAt[prev]] = [sentAt[prev]!, sentAt[i]!];
      [channel[i], channel[prev]] = [channel[prev]!, channel[i]!];
    }
    lastOf[c] = i;
  }
  const perBlock = new Float64Array(channels);
  for (let c = 0; c < channels; c++) perBlock[c] = next[strict ? 0 : c]!;
  return { channel, seq, sentAt, perBlock };
}

/** Feeds `n` messages of `s` into `v`, reusing one mutable message object (the validator keeps none). */
function feed(
  v: OrderingValidator,
  s: Stream,
  names: readonly string[],
  strict: boolean,
  n: number,
  from = 0,
): number {
  const m = { channel: '', seq: 0, priority: 0, timestamp: 0 } satisfies OrderedMessage & { channel: string };
  for (let k = from; k < from + n; k++) {
    const i = k % BLOCK;
    const turn = Math.floor(k / BLOCK);
    const c = s.channel[i]!;
    m.channel = names[c]!;
    m.seq = s.seq[i]! + turn * s.perBlock[strict ? 0 : c]!;
    m.priority = c & 3;
    m.timestamp = s.sentAt[i]! + turn * BLOCK;
    v.observe(m);
  }
  return n;
}

function retainedBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function orderingRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  // Warm the JIT on every mode first, so that the first row does not pay for compilation.
  const warm = stream(100, false, 0.01);
  const warmNames = Array.from({ length: 100 }, (_, c) => `chat:room-${c}`);
  for (let round = 0; round < 3; round++) {
    for (const mode of ['strict', 'per-channel', 'priority'] as OrderingMode[]) {
      feed(new OrderingValidator({ mode }), warm, warmNames, mode === 'strict', OPS / 2);
    }
  }
  for (const mode of ['strict', 'per-channel', 'priority'] as OrderingMode[]) {
    for (const channels of [1, 100]) {
      const names = Array.from({ length: channels }, (_, c) => `chat:room-${c}`);
      for (const [label, reorder] of [
        ['in order', 0],
        ['1 % local reorder', 0.01],
      ] as const) {
        const s = stream(channels, mode === 'strict', reorder);
        const runs = nsPerOp(
          (n) => feed(new OrderingValidator({ mode }), s, names, mode === 'strict', n),
          OPS,
          RUNS,
        );
        rows.push(
          row(
            `OrderingValidator.observe ${mode}, ${channels} ch, ${label}`,
            'ns/op',
            runs,
            { op: '<=', value: 200 },
            'fresh validator per run (default options); one reused message object',
          ),
        );
      }
    }
  }
  return rows;
}

function memoryRows(): BenchRow[] {
  const channels = 100;
  const names = Array.from({ length: channels }, (_, c) => `chat:room-${c}`);
  const s = stream(channels, false, 0.01, 0.001, 11);
  const measure = (observations: number) => {
    const before = retainedBytes();
    const v = new OrderingValidator({ mode: 'per-channel' });
    feed(v, s, names, false, observations);
    const bytes = retainedBytes() - before;
    if (v.report().observed !== observations) throw new Error('lost observations');
    return bytes;
  };
  const small: number[] = [];
  const large: number[] = [];
  measure(1e5); // warm-up: compiles the code and settles the heap before the first figure
  for (let r = 0; r < 5; r++) {
    small.push(measure(1e5));
    large.push(measure(1e7));
  }
  const growth = large.map((b, i) => b - small[i]!);
  const note = `per-channel, ${channels} channels, reorderWindow 1024, 1 % local reorder + 0.1 % drops; heapUsed + arrayBuffers after gc`;
  return [
    row('OrderingValidator state after 1e5 observations', 'bytes', small, undefined, note),
    row('OrderingValidator state after 1e7 observations', 'bytes', large, undefined, note),
    row(
      'OrderingValidator state growth 1e5 → 1e7 observations',
      'bytes',
      growth,
      { op: '<=', value: 64 * 1024 },
      `must not grow with stream length (1e5 median ${Math.round(median(small))} B); target allows GC noise`,
    ),
  ];
}

function otherRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  const ids = 200_000;
  rows.push(
    row(
      'DeliveryValidator.sent + received (checksum)',
      'ns/msg',
      nsPerOp(
        (n) => {
          const v = new DeliveryValidator();
          for (let i = 0; i < n; i++) v.sent(i, { channel: 'a', checksum: i * 31 });
          for (let i = 0; i < n; i++) v.received(i, { channel: 'a', checksum: i * 31 });
          return v.report().intact;
        },
        ids,
        RUNS,
      ),
      undefined,
      `${ids} numeric ids; O(messages) memory by design`,
    ),
  );
  const text = 'x'.repeat(100);
  rows.push(
    row(
      'DeliveryValidator.sent + received (100 B string content)',
      'ns/msg',
      nsPerOp(
        (n) => {
          const v = new DeliveryValidator();
          for (let i = 0; i < n; i++) v.sent(i, { content: text });
          for (let i = 0; i < n; i++) v.received(i, { content: text });
          return v.report().intact;
        },
        ids,
        RUNS,
      ),
      undefined,
      'content fingerprinted (CRC32C + length over UTF-8) on both sides',
    ),
  );
  const clients = Array.from({ length: 100 }, (_, i) => `client-${i}`);
  rows.push(
    row(
      'FairnessValidator.serve, 100 clients round-robin',
      'ns/op',
      nsPerOp(
        (n) => {
          const v = new FairnessValidator();
          for (let i = 0; i < n; i++) v.serve(clients[i % 100]!, 1, i);
          return v.report().jainIndex;
        },
        OPS,
        RUNS,
      ),
    ),
  );
  rows.push(
    row(
      'ProgressValidator.observe, with percent and rate bounds',
      'ns/op',
      nsPerOp(
        (n) => {
          const v = new ProgressValidator({ minRatePerSecond: 1, maxRatePerSecond: 1000 });
          for (let i = 0; i < n; i++) v.observe({ current: i, total: n, percent: (i / n) * 100 }, i * 10);
          return v.report().violations;
        },
        OPS,
        RUNS,
      ),
    ),
  );
  return rows;
}

/** @returns every validators figure (ns/op medians of 7 runs; memory medians of 5) */
export async function bench(): Promise<BenchRow[]> {
  return [...orderingRows(), ...memoryRows(), ...otherRows()];
}
