/**
 * HdrHistogram's standard "V2 compressed" base64 form, written and read without zlib or Buffer:
 * the V2 layout (a 40-byte big-endian header, then the counts as ZigZag LEB128 varints with runs of
 * zeros as negative numbers) inside a zlib stream of *stored* (level 0) deflate blocks. Any
 * HdrHistogram library (Java, hdr-histogram-js, Rust, Go…) decodes it; it is typically 1.2–2×
 * the size of a deflated one, and it keeps pako (~15 KB gzipped) out of browser bundles.
 * Reading accepts stored blocks only — what this module writes in every runtime.
 */
import { MeterHistogram } from './meter-histogram.js';

const V2_ENCODING_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
const MAX_STORED_BLOCK = 65_535;

/** Thrown for bytes that are not a histogram this module can read; the caller wraps it. */
export class HistogramDecodeError extends Error {}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(i + 3800, bytes.length); // keeps b below 2^32 between reductions
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65_521;
    b %= 65_521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Appends an unsigned ZigZag LEB128 varint of an integer |value| ≤ 2^53 (at most 9 bytes). */
function putVarint(out: number[], value: number): void {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  for (let i = 0; i < 8 && v >= 128; i++) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function encodePayload(h: MeterHistogram): number[] {
  const out: number[] = [];
  const length = h.totalCount === 0 ? 0 : h.countsArrayIndex(h.maxValue) + 1;
  for (let i = 0; i < length; ) {
    const count = h.getCountAtIndex(i++);
    let zeros = 0;
    if (count === 0) {
      zeros = 1;
      while (i < length && h.getCountAtIndex(i) === 0) {
        zeros++;
        i++;
      }
    }
    putVarint(out, zeros > 1 ? -zeros : count);
  }
  return out;
}

/**
 * Encodes a histogram in HdrHistogram's V2 compressed base64 form (stored deflate blocks).
 *
 * @param h - the histogram
 * @returns base64 text starting with `HISTFAAA`
 */
export function encodeHistogram(h: MeterHistogram): string {
  const payload = encodePayload(h);
  const v2 = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(v2.buffer);
  view.setUint32(0, V2_ENCODING_COOKIE);
  view.setUint32(4, payload.length);
  view.setUint32(8, 0); // normalizingIndexOffset
  view.setUint32(12, h.numberOfSignificantValueDigits);
  view.setBigUint64(16, BigInt(h.lowestDiscernibleValue));
  view.setBigUint64(24, BigInt(h.highestTrackableValue));
  view.setFloat64(32, 1); // integerToDoubleValueConversionRatio
  v2.set(payload, HEADER_BYTES);

  const blocks = Math.max(1, Math.ceil(v2.length / MAX_STORED_BLOCK));
  const zlibLength = 2 + blocks * 5 + v2.length + 4;
  const out = new Uint8Array(8 + zlibLength);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, V2_COMPRESSED_COOKIE);
  outView.setUint32(4, zlibLength);
  out[8] = 0x78; // deflate, 32 KiB window
  out[9] = 0x01; // no dictionary, fastest; (0x78 × 256 + 0x01) % 31 === 0
  let at = 10;
  for (let block = 0; block < blocks; block++) {
    const start = block * MAX_STORED_BLOCK;
    const size = Math.min(MAX_STORED_BLOCK, v2.length - start);
    out[at] = block === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00 (stored)
    outView.setUint16(at + 1, size, true);
    outView.setUint16(at + 3, ~size & 0xffff, true);
    out.set(v2.subarray(start, start + size), at + 5);
    at += 5 + size;
  }
  outView.setUint32(at, adler32(v2));
  let text = '';
  for (let i = 0; i < out.length; i += 8192) text += String.fromCharCode(...out.subarray(i, i + 8192));
  return btoa(text);
}

function inflateStored(zlib: Uint8Array): Uint8Array {
  if (
    zlib.length < 6 ||
    (zlib[0]! & 0x0f) !== 8 ||
    ((zlib[0]! << 8) | zlib[1]!) % 31 !== 0 ||
    zlib[1]! & 0x20
  ) {
    throw new HistogramDecodeError('not a zlib stream');
  }
  const view = new DataView(zlib.buffer, zlib.byteOffset, zlib.byteLength);
  const parts: Uint8Array[] = [];
  let at = 2;
  let final = false;
  while (!final) {
    if (at + 5 > zlib.length) throw new HistogramDecodeError('truncated deflate block');
    const header = zlib[at]!;
    if ((header >> 1) & 3) {
      throw new HistogramDecodeError(
        'deflate-compressed blocks are not supported (only level-0 histograms, as ws-kit writes)',
      );
    }
    final = (header & 1) === 1;
    const size = view.getUint16(at + 1, true);
    if (view.getUint16(at + 3, true) !== (~size & 0xffff))
      throw new HistogramDecodeError('corrupt stored block length');
    if (at + 5 + size > zlib.length) throw new HistogramDecodeError('truncated stored block');
    parts.push(zlib.subarray(at + 5, at + 5 + size));
    at += 5 + size;
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  if (at + 4 !== zlib.length || view.getUint32(at) !== adler32(data))
    throw new HistogramDecodeError('Adler-32 mismatch');
  return data;
}

/**
 * Decodes a histogram written by {@link encodeHistogram}, checking that its layout is the expected one
 * before allocating anything.
 *
 * @param text - base64 V2 compressed histogram text
 * @param highestTrackableValue - the layout the histogram must have
 * @param significantDigits - the layout the histogram must have
 * @returns a histogram of that layout holding the decoded counts
 * @throws {@link HistogramDecodeError} for anything else
 */
export function decodeHistogram(
  text: string,
  highestTrackableValue: number,
  significantDigits: number,
): MeterHistogram {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new HistogramDecodeError('not base64');
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (bytes.length < 8) throw new HistogramDecodeError('too short');
  const outer = new DataView(bytes.buffer);
  if ((outer.getUint32(0) & ~0xf0) >>> 0 !== (V2_COMPRESSED_COOKIE & ~0xf0) >>> 0) {
    throw new HistogramDecodeError('not a V2 compressed HdrHistogram');
  }
  if (outer.getUint32(4) !== bytes.length - 8) throw new HistogramDecodeError('length does not match');
  const v2 = inflateStored(bytes.subarray(8));
  if (v2.length < HEADER_BYTES) throw new HistogramDecodeError('truncated V2 header');
  const view = new DataView(v2.buffer, v2.byteOffset, v2.byteLength);
  if ((view.getUint32(0) & ~0xf0) >>> 0 !== (V2_ENCODING_COOKIE & ~0xf0) >>> 0) {
    throw new HistogramDecodeError('not a V2 HdrHistogram');
  }
  const payloadLength = view.getUint32(4);
  if (
    view.getUint32(12) !== significantDigits ||
    view.getBigUint64(16) !== 1n ||
    view.getBigUint64(24) !== BigInt(highestTrackableValue)
  ) {
    throw new HistogramDecodeError('layout differs from the stated settings');
  }
  if (HEADER_BYTES + payloadLength !== v2.length)
    throw new HistogramDecodeError('payload length does not match');
  const h = new MeterHistogram(highestTrackableValue, significantDigits);
  let index = 0;
  let at = HEADER_BYTES;
  while (at < v2.length) {
    let raw = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (at >= v2.length) throw new HistogramDecodeError('truncated varint');
      const byte = v2[at++]!;
      raw += (i === 8 ? byte : byte & 127) * scale;
      if (i === 8 || byte < 128) break;
      scale *= 128;
    }
    const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    if (value < 0) {
      index += -value;
    } else {
      if (index >= h.countsArrayLength) throw new HistogramDecodeError('counts beyond the histogram range');
      if (value > 0) h.recordValueWithCount(h.valueFromIndex(index), value);
      index++;
    }
  }
  return h;
}
