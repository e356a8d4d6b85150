import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64, Float64Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, HistogramDecodeError } from './histogram-codec.js';
import { MeterHistogram } from './meter-histogram.js';

const HIGHEST = 3_600_000_000;

function histogramOf(values: readonly number[], digits = 3): MeterHistogram {
  const h = new MeterHistogram(HIGHEST, digits);
  for (const v of values) h.recordValue(v);
  return h;
}

/** The first index whose count differs, or -1 (cheaper than deep-equal on large arrays). */
function firstDifference(a: MeterHistogram, b: MeterHistogram): number {
  if (a.countsArrayLength !== b.countsArrayLength) return -2;
  for (let i = 0; i < a.countsArrayLength; i++) if (a.getCountAtIndex(i) !== b.getCountAtIndex(i)) return i;
  return -1;
}

function countsOf(h: { countsArrayLength: number; getCountAtIndex(i: number): number }): number[] {
  return Array.from({ length: h.countsArrayLength }, (_, i) => h.getCountAtIndex(i));
}

/** Re-wraps a zlib-deflated V2 compressed histogram (as hdr-histogram-js writes it) into stored blocks. */
function restored(text: string): string {
  const bytes = Buffer.from(text, 'base64');
  const inner = inflateSync(bytes.subarray(8));
  const zlib = deflateSync(inner, { level: 0 });
  const out = Buffer.alloc(8 + zlib.length);
  bytes.copy(out, 0, 0, 4);
  out.writeUInt32BE(zlib.length, 4);
  zlib.copy(out, 8);
  return out.toString('base64');
}

function decodeError(text: string, digits = 3): unknown {
  try {
    decodeHistogram(text, HIGHEST, digits);
  } catch (error) {
    return error;
  }
  throw new Error('expected decodeHistogram to throw');
}

describe('histogram codec', () => {
  it('writes histograms that hdr-histogram-js decodes to the same counts', () => {
    const h = histogramOf([0, 1, 1, 2047, 2048, 123_456, 99_999_999, 3_600_000_000]);
    const decoded = decodeFromCompressedBase64(encodeHistogram(h), 64);
    expect(decoded.totalCount).toBe(8);
    expect(countsOf(decoded as unknown as MeterHistogram)).toEqual(countsOf(h));
  });

  it('reads the V2 payload that hdr-histogram-js writes, once stored without compression', () => {
    const reference = new Float64Histogram(1, HIGHEST, 3);
    for (const v of [5, 5, 5, 70_000, 1_000_000_000]) reference.recordValue(v);
    reference.recordValueWithCount(777, 2 ** 40);
    const decoded = decodeHistogram(restored(encodeIntoCompressedBase64(reference)), HIGHEST, 3);
    expect(countsOf(decoded)).toEqual(countsOf(reference as unknown as MeterHistogram));
    expect(decoded.totalCount).toBe(2 ** 40 + 5);
  });

  it('round-trips any counts exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: HIGHEST }), fc.integer({ min: 1, max: 2 ** 45 })), { maxLength: 60 }),
        (pairs) => {
          const h = new MeterHistogram(HIGHEST, 2);
          for (const [value, count] of pairs) h.recordValueWithCount(value, count);
          expect(countsOf(decodeHistogram(encodeHistogram(h), HIGHEST, 2))).toEqual(countsOf(h));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips an empty histogram', () => {
    const decoded = decodeHistogram(encodeHistogram(histogramOf([])), HIGHEST, 3);
    expect(decoded.totalCount).toBe(0);
  });

  it('splits a payload longer than 65 535 bytes into several stored blocks', () => {
    const highest = 400_000;
    const h = new MeterHistogram(highest, 5);
    for (let v = 1; v < 200_000; v += 2) h.recordValue(v);
    const text = encodeHistogram(h);
    expect(text.length).toBeGreaterThan((3 * 4 * 65_535) / 3);
    expect(firstDifference(decodeHistogram(text, highest, 5), h)).toBe(-1);
    expect(decodeFromCompressedBase64(text, 64).totalCount).toBe(100_000);
  });

  it('starts with the HdrHistogram V2 compressed cookie', () => {
    expect(encodeHistogram(histogramOf([1]))).toMatch(/^HISTFAAA/);
  });

  it('refuses deflate-compressed histograms with a message saying so', () => {
    const error = decodeError(encodeIntoCompressedBase64(new Float64Histogram(1, HIGHEST, 3)));
    expect(error).toBeInstanceOf(HistogramDecodeError);
    expect(error).toMatchObject({
      message: 'deflate-compressed blocks are not supported (only level-0 histograms, as ws-kit writes)',
    });
  });

  it('refuses a histogram of another layout', () => {
    const error = decodeError(encodeHistogram(histogramOf([1])), 2);
    expect(error).toBeInstanceOf(HistogramDecodeError);
    expect(error).toMatchObject({ message: 'layout differs from the stated settings' });
  });

  it.each([
    ['not base64', '%%%'],
    ['too short', 'HIST'],
    ['not a V2 compressed HdrHistogram', btoa('abcdefghijkl')],
  ])('refuses input that is %s', (message, text) => {
    const error = decodeError(text);
    expect(error).toBeInstanceOf(HistogramDecodeError);
    expect(error).toMatchObject({ message });
  });

  it('detects a flipped payload byte through the Adler-32 checksum', () => {
    const bytes = Uint8Array.from(atob(encodeHistogram(histogramOf([1, 2, 3]))), (c) => c.charCodeAt(0));
    bytes[bytes.length - 6]! ^= 1;
    const error = decodeError(btoa(String.fromCharCode(...bytes)));
    expect(error).toBeInstanceOf(HistogramDecodeError);
    expect(error).toMatchObject({ message: 'Adler-32 mismatch' });
  });

  it('detects a truncated stream', () => {
    const bytes = Uint8Array.from(atob(encodeHistogram(histogramOf([1, 2, 3]))), (c) => c.charCodeAt(0));
    const error = decodeError(btoa(String.fromCharCode(...bytes.subarray(0, bytes.length - 3))));
    expect(error).toBeInstanceOf(HistogramDecodeError);
    expect(error).toMatchObject({ message: 'length does not match' });
  });
});
