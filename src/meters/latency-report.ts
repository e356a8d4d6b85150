/**
 * What a `LatencyMeter` measured. Every figure is in milliseconds (µs resolution) except the
 * counts. With `count` 0 every figure is 0.
 */
export interface LatencyReport {
  /** Values in the histogram, including those added by coordinated-omission correction. */
  readonly count: number;
  /** How many of `count` were added by coordinated-omission correction (0 when it is off). */
  readonly synthetic: number;
  /** The exact smallest value (µs resolution). */
  readonly min: number;
  /** The exact largest value (µs resolution). */
  readonly max: number;
  /** The mean, taking each value at the middle of its histogram bucket (exact below 2.048 ms at 3 digits). */
  readonly mean: number;
  /** The population standard deviation, computed from the histogram like `mean`. */
  readonly stddev: number;
  /** The median: the nearest-rank 50th percentile, see `LatencyMeter.percentile`. */
  readonly p50: number;
  /** The nearest-rank 90th percentile. */
  readonly p90: number;
  /** The nearest-rank 95th percentile. */
  readonly p95: number;
  /** The nearest-rank 99th percentile. */
  readonly p99: number;
  /** The nearest-rank 99.9th percentile. */
  readonly p999: number;
}

/** The smallest float64 step at `x` (x > 0). */
function ulp(x: number): number {
  return Number.EPSILON * 2 ** Math.floor(Math.log2(x));
}

/**
 * The nearest-rank position of percentile `p` among `count` values: `ceil(p / 100 × count)`, at
 * least 1, with float noise (one ulp) ignored so that e.g. p = 99.9 of 1000 is rank 999.
 * Internal (not exported from the package).
 *
 * @param p - the percentile, 0–100
 * @param count - how many values, ≥ 1
 * @returns the 1-based rank
 */
export function nearestRank(p: number, count: number): number {
  const exact = (p * count) / 100;
  return exact <= 0 ? 1 : Math.max(1, Math.ceil(exact - ulp(exact)));
}

/** The report of a meter that recorded nothing. */
export const EMPTY_LATENCY_REPORT: LatencyReport = Object.freeze({
  count: 0,
  synthetic: 0,
  min: 0,
  max: 0,
  mean: 0,
  stddev: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  p999: 0,
});
