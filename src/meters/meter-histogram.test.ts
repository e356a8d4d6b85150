import fc from 'fast-check';
import { Float64Histogram, JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { MeterHistogram } from './meter-histogram.js';

const HIGHEST = 2 ** 34;
const value = fc.oneof(fc.nat(5000), fc.nat(2 ** 24), fc.nat(HIGHEST));

describe('MeterHistogram', () => {
  it('holds exactly the counts, extremes and total of the library Float64Histogram for any values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(value, { maxLength: 200 }), (digits, values) => {
        const fast = new MeterHistogram(HIGHEST, digits);
        const reference = new Float64Histogram(1, HIGHEST, digits);
        for (const v of [...values, 0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, HIGHEST]) {
          fast.recordValue(v);
          reference.recordValue(v);
        }
        expect([fast.totalCount, fast.maxValue, fast.minNonZeroValue]).toEqual([
          reference.totalCount,
          reference.maxValue,
          reference.minNonZeroValue,
        ]);
        expect(fast.countsArrayLength).toBe(reference.countsArrayLength);
        let firstDifference = -1;
        for (let i = 0; i < fast.countsArrayLength && firstDifference < 0; i++) {
          if (fast.getCountAtIndex(i) !== reference.getCountAtIndex(i)) firstDifference = i;
        }
        expect(firstDifference).toBe(-1);
        for (const v of values) {
          expect(fast.lowestEquivalentValue(v)).toBe(reference.lowestEquivalentValue(v));
          expect(fast.highestEquivalentValue(v)).toBe(reference.highestEquivalentValue(v));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is a JsHistogram that the library can add to and from', () => {
    const fast = new MeterHistogram(HIGHEST, 3);
    const reference = new Float64Histogram(1, HIGHEST, 3);
    fast.recordValue(1234);
    reference.recordValue(99_999);
    fast.add(reference);
    reference.add(fast);
    expect(fast).toBeInstanceOf(JsHistogram);
    expect([fast.totalCount, reference.totalCount]).toEqual([2, 3]);
  });

  it('refuses a value beyond its range instead of resizing', () => {
    const h = new MeterHistogram(1000, 3);
    expect(() => h.recordValue(10_000_000)).toThrowError(
      'Value 10000000 is outside of histogram covered range',
    );
    expect(h.totalCount).toBe(0);
  });

  it('reports a fixed footprint: the float64 counts plus 1 KiB', () => {
    const h = new MeterHistogram(3_600_000_000, 3);
    expect(h.estimatedFootprintInBytes).toBe(1024 + 8 * h.countsArrayLength);
  });
});
