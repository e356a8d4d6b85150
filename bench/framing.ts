/**
 * Framing: binary and JSON-envelope encode+decode throughput, and CRC32C throughput.
 * Run alone: node --expose-gc --import tsx -e "import('./bench/framing.ts').then(async m=>console.log(await m.bench()))"
 */
import fastCrc32c from 'fast-crc32c';
import jsCrc32c from 'fast-crc32c/impls/js_crc32c.js';
import {
  binaryOfBytes,
  crc32c,
  decodeFrame,
  decodeJsonFrame,
  encodeFrame,
  encodeJsonFrame,
  type FrameInit,
  type FramePayload,
  type JsonValue,
  mixedArray,
  textOfBytes,
} from '../src/framing/index.js';
import browserCrc32c from '../src/internal/browser-crc32c.js';
import { type BenchRow, nsPerOp, row } from './harness.js';

const RUNS = 7;
const KIB = 1024;
const MIB = 1024 * 1024;

/** The number of operations of `fn` that take about `targetMs`, measured on a short trial. */
function calibrate(fn: (ops: number) => unknown, targetMs = 120): number {
  for (let ops = 8; ; ops *= 4) {
    const t0 = performance.now();
    fn(ops);
    const elapsed = performance.now() - t0;
    if (elapsed > 15) return Math.max(3, Math.round((ops * targetMs) / elapsed));
  }
}

/** Nanoseconds per operation of `fn`, one figure per run (after a warm-up), each run about 120 ms. */
function measure(fn: (ops: number) => unknown): number[] {
  return nsPerOp(fn, calibrate(fn), RUNS);
}

const atLeast = (value: number | undefined) =>
  value === undefined ? undefined : { op: '>=' as const, value };

function frameOf(payload: FramePayload): FrameInit {
  return { channel: 'chat:room-1', priority: 1, seq: 123_456, timestamp: 1_700_000_000_000.25, payload };
}

function binaryRows(name: string, frame: FrameInit, bytes: number, target?: number): BenchRow[] {
  const msgs = measure((n) => {
    let seq = 0;
    for (let i = 0; i < n; i++) seq += decodeFrame(encodeFrame(frame)).seq;
    return seq;
  }).map((ns) => 1e9 / ns);
  return [
    row(`binary encode+decode ${name}`, 'msgs/s', msgs, atLeast(target)),
    row(
      `binary encode+decode ${name}`,
      'MB/s',
      msgs.map((m) => (m * bytes) / 1e6),
      undefined,
      'payload bytes, 10^6 B/s',
    ),
  ];
}

function envelopeRow(name: string, frame: FrameInit, target?: number, note?: string): BenchRow {
  const msgs = measure((n) => {
    let seq = 0;
    for (let i = 0; i < n; i++) seq += decodeJsonFrame(encodeJsonFrame(frame)).seq;
    return seq;
  }).map((ns) => 1e9 / ns);
  return row(`JSON envelope encode+decode ${name}`, 'msgs/s', msgs, atLeast(target), note);
}

/** A typical ~1 KiB application message: ids, a user, ASCII text, a few numbers, emoji keys. */
function chatMessage(): JsonValue {
  return {
    type: 'chat.message',
    id: 'msg-000123',
    room: 'room-1',
    user: { id: 42, name: 'alice', roles: ['member', 'moderator'] },
    text: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(
      5,
    ),
    sentAt: 1_700_000_000_000.25,
    seq: 123,
    tags: ['a', 'b', 'c'],
    reactions: { '👍': 3, '🎉': 1 },
    attachments: [{ kind: 'image', width: 640, height: 480, bytes: 52_311 }],
    edited: false,
    replyTo: null,
  };
}

/** The worst case for JSON speed: ~1 KiB of mixedArray (17-digit doubles, big integers, several scripts). */
function mixedJson(bytes: number): JsonValue {
  let n = 8;
  while (JSON.stringify(mixedArray(n + 8, 3)).length < bytes) n += 8;
  return mixedArray(n, 3);
}

function crcRow(
  name: string,
  calculate: (b: Uint8Array) => number,
  target?: number,
  note?: string,
): BenchRow {
  const data = binaryOfBytes(MIB, 5);
  const ns = measure((n) => {
    let x = 0;
    for (let i = 0; i < n; i++) x ^= calculate(data);
    return x;
  });
  return row(
    name,
    'MB/s',
    ns.map((t) => (MIB / t) * 1e3),
    atLeast(target),
    note,
  );
}

const utf8Length = (value: JsonValue) => new TextEncoder().encode(JSON.stringify(value)).length;

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [label, size, target] of [
    ['100 B binary payload', 100, undefined],
    ['1 KiB binary payload', KIB, 500_000],
    ['64 KiB binary payload', 64 * KIB, undefined],
    ['1 MiB binary payload', MIB, undefined],
  ] as const) {
    rows.push(...binaryRows(label, frameOf({ kind: 'binary', data: binaryOfBytes(size, 1) }), size, target));
  }
  rows.push(
    ...binaryRows('1 KiB text payload (ASCII)', frameOf({ kind: 'text', data: 'x'.repeat(KIB) }), KIB),
  );
  rows.push(
    ...binaryRows(
      '1 KiB text payload (mixed 1–4-byte UTF-8)',
      frameOf({ kind: 'text', data: textOfBytes(KIB, 2) }),
      KIB,
    ),
  );

  const chat = chatMessage();
  const mixed = mixedJson(KIB);
  rows.push(
    ...binaryRows(
      `JSON payload (chat message, ${utf8Length(chat)} B)`,
      frameOf({ kind: 'json', data: chat }),
      utf8Length(chat),
    ),
  );
  rows.push(
    envelopeRow(
      `JSON payload (chat message, ${utf8Length(chat)} B)`,
      frameOf({ kind: 'json', data: chat }),
      100_000,
      'includes the exactness walk that rejects NaN/-0/undefined/… before JSON.stringify',
    ),
  );
  rows.push(
    envelopeRow(
      `JSON payload (mixedArray, ${utf8Length(mixed)} B)`,
      frameOf({ kind: 'json', data: mixed }),
      undefined,
      'worst case: 17-digit doubles and big integers dominate JSON.stringify/parse time',
    ),
  );
  rows.push(
    envelopeRow('1 KiB binary payload (base64)', frameOf({ kind: 'binary', data: binaryOfBytes(KIB, 4) })),
  );

  const hardware = fastCrc32c.calculate !== jsCrc32c.calculate;
  rows.push(
    crcRow(
      'crc32c() 1 MiB',
      crc32c,
      4_000,
      hardware
        ? 'fast-crc32c SSE4.2 path (sse4_crc32 native module); target 4 GB/s = 4,000 MB/s (10^6 B)'
        : 'fast-crc32c fell back to its pure-JS table: no native module on this machine',
    ),
  );
  rows.push(
    crcRow(
      'pure-JS CRC32C 1 MiB (browser build)',
      (b) => browserCrc32c.calculate(b),
      undefined,
      "crc-32's CRC32C (slice-by-16), what the browser build bundles (src/internal/browser-crc32c.ts)",
    ),
  );
  rows.push(
    crcRow(
      "pure-JS CRC32C 1 MiB (fast-crc32c's JS fallback)",
      (b) => jsCrc32c.calculate(b),
      undefined,
      'fast-crc32c/impls/js_crc32c.js, the table-driven fallback the browser build used before 0.1; in Node it first copies a Uint8Array into a Buffer',
    ),
  );
  return rows;
}
