import fc from 'fast-check';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64, Float64Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyMeter } from './latency-meter.js';

/**
 * The exact nearest-rank percentile of a sorted array for p = milli / 1000 %: the value of rank
 * ceil(p/100 × n), at least 1, computed in exact integer arithmetic.
 */
function exactPercentile(sorted: readonly number[], milli: number): number {
  const rank = Math.max(1, Math.ceil((milli * sorted.length) / 100_000));
  return sorted[rank - 1]!;
}

const latencyMs = fc.double({ min: 0, max: 60_000, noNaN: true, noDefaultInfinity: true });
const latencies = fc.array(latencyMs, { minLength: 1, maxLength: 300 });

describe('LatencyMeter properties', () => {
  it('agrees with exact sorted nearest-rank percentiles within 10^-digits relative plus 1 µs', () => {
    fc.assert(
      fc.property(
        latencies,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 100_000 }),
        (values, significantDigits, milli) => {
          const meter = new LatencyMeter({ significantDigits, highestTrackableMs: 60_000 });
          for (const v of values) meter.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          const tolerance = (exact: number) => exact * 10 ** -significantDigits + 0.001;
          const report = meter.report();
          const checks: [number, number][] = [
            [report.p50, exactPercentile(sorted, 50_000)],
            [report.p90, exactPercentile(sorted, 90_000)],
            [report.p99, exactPercentile(sorted, 99_000)],
            [report.max, sorted.at(-1)!],
            [report.min, sorted[0]!],
            [meter.percentile(milli / 1000), exactPercentile(sorted, milli)],
          ];
          for (const [got, exact] of checks)
            expect(Math.abs(got - exact)).toBeLessThanOrEqual(tolerance(exact));
          expect(report.count).toBe(values.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('merging snapshots of any split equals one meter that recorded everything', () => {
    fc.assert(
      fc.property(
        latencies,
        fc.array(fc.nat(4), { minLength: 300, maxLength: 300 }),
        fc.constantFrom(0, 0.5, 25),
        (values, owners, expectedIntervalMs) => {
          const options = { expectedIntervalMs, highestTrackableMs: 60_000 };
          const all = new LatencyMeter(options);
          const parts = Array.from({ length: 5 }, () => new LatencyMeter(options));
          values.forEach((v, i) => {
            all.record(v);
            parts[owners[i]!]!.record(v);
          });
          const merged = LatencyMeter.fromSnapshot(JSON.stringify(parts[0]!.toSnapshot()));
          for (const part of parts.slice(1)) merged.merge(JSON.stringify(part.toSnapshot()));
          expect(merged.report()).toEqual(all.report());
          for (const p of [0, 12.5, 50, 99.99, 100]) expect(merged.percentile(p)).toBe(all.percentile(p));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('corrects coordinated omission with exactly the counts of HdrHistogram recordValueWithExpectedInterval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 5_000_000 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 100, max: 200_000 }),
        (valuesUs, intervalUs) => {
          const meter = new LatencyMeter({
            highestTrackableMs: 10_000,
            expectedIntervalMs: intervalUs / 1000,
          });
          const reference = new Float64Histogram(1, 10_000_000, 3);
          for (const us of valuesUs) {
            meter.record(us / 1000);
            reference.recordValueWithExpectedInterval(us, intervalUs);
          }
          const snapshot = meter.toSnapshot();
          const decoded = decodeFromCompressedBase64(snapshot.histogram, 64);
          expect(snapshot.count).toBe(reference.totalCount);
          expect(encodeIntoCompressedBase64(decoded)).toBe(encodeIntoCompressedBase64(reference));
          expect(snapshot.synthetic).toBe(reference.totalCount - valuesUs.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
