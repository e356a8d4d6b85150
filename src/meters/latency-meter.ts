import { MeterError } from '../errors.js';
import { checkNumber, formatValue } from '../internal/options.js';
import { encodeHistogram } from './histogram-codec.js';
import {
  type LatencyMeterOptions,
  type ResolvedLatencyOptions,
  resolveLatencyOptions,
} from './latency-options.js';
import { EMPTY_LATENCY_REPORT, type LatencyReport, nearestRank } from './latency-report.js';
import {
  type DecodedLatencySnapshot,
  decodeLatencySnapshot,
  type LatencySnapshot,
} from './latency-snapshot.js';
import { MeterHistogram } from './meter-histogram.js';

let rankAccess: (meter: LatencyMeter, rank: number) => number;

/**
 * Records latencies into an HdrHistogram (hdr-histogram-js, pure JavaScript) with fixed memory and
 * reports count, min, max, mean, standard deviation and percentiles. Values are given in
 * milliseconds and kept as whole microseconds; percentiles are exact to `significantDigits`.
 * Meters merge, and export/import a compact snapshot, so results from several workers or
 * processes combine exactly.
 *
 * Pure: no timers, no sockets, no Node built-ins.
 *
 * @example
 * ```ts
 * const meter = new LatencyMeter();
 * for (const ms of [1.2, 0.8, 15, 2.5]) meter.record(ms);
 * const { p50, p99, max } = meter.report();
 *
 * // in each worker: postMessage(meter.toSnapshot())
 * // in the parent:  total.merge(snapshot)
 * ```
 */
export class LatencyMeter {
  static {
    rankAccess = (meter, rank) => meter.#valueAtRankUs(rank);
  }

  readonly #options: ResolvedLatencyOptions;
  readonly #histogram: MeterHistogram;
  readonly #highestUs: number;
  readonly #intervalUs: number;
  #minUs = Number.POSITIVE_INFINITY;
  #maxUs = 0;
  #synthetic = 0;

  /**
   * @param options - range, precision and coordinated-omission interval; see {@link LatencyMeterOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
   */
  constructor(options: LatencyMeterOptions = {}) {
    this.#options = resolveLatencyOptions('LatencyMeter', options);
    this.#highestUs = this.#options.highestTrackableUs;
    this.#intervalUs = this.#options.expectedIntervalUs;
    this.#histogram = new MeterHistogram(this.#highestUs, this.#options.significantDigits);
  }

  /**
   * Builds a meter from a snapshot taken by {@link LatencyMeter.toSnapshot}, with the snapshot's settings.
   *
   * @param snapshot - a {@link LatencySnapshot} or its JSON text
   * @returns a meter whose report equals the snapshotted meter's
   * @throws {@link MeterError} `WS_KIT_ERR_METER_SNAPSHOT` when the snapshot is malformed, of another
   *   version, or its histogram does not decode or match its settings
   */
  static fromSnapshot(snapshot: LatencySnapshot | string): LatencyMeter {
    const decoded = decodeLatencySnapshot(snapshot);
    const { highestTrackableMs, significantDigits, expectedIntervalMs } = decoded.options;
    const meter = new LatencyMeter({ highestTrackableMs, significantDigits, expectedIntervalMs });
    meter.#absorb(decoded);
    return meter;
  }

  /** The resolved options (defaults filled in). */
  get options(): Readonly<Required<LatencyMeterOptions>> {
    const { highestTrackableMs, significantDigits, expectedIntervalMs } = this.#options;
    return { highestTrackableMs, significantDigits, expectedIntervalMs };
  }

  /** Values recorded so far, including those added by coordinated-omission correction. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /**
   * The histogram's memory estimate in bytes (HdrHistogram's `estimatedFootprintInBytes`: the
   * counts array plus 1 KiB). Fixed by the options; it never grows with the number of samples.
   */
  get footprintBytes(): number {
    return this.#histogram.estimatedFootprintInBytes;
  }

  /**
   * Records one latency. With `expectedIntervalMs` set, a latency above twice the interval also
   * records the missed samples (see {@link LatencyMeterOptions.expectedIntervalMs}); that costs one
   * extra histogram update per histogram bucket those samples fall in (at most ~1 000 per doubling
   * of the latency at 3 digits).
   *
   * @param latencyMs - the latency in milliseconds, `0 ≤ latencyMs ≤ highestTrackableMs`; rounded to
   *   the nearest microsecond
   * @throws {@link MeterError} `WS_KIT_ERR_METER_VALUE` when `latencyMs` is not a number, is NaN,
   *   negative, or above `highestTrackableMs` (the meter is left unchanged)
   */
  record(latencyMs: number): void {
    if (typeof latencyMs !== 'number' || !(latencyMs >= 0)) this.#reject(latencyMs);
    const us = Math.round(latencyMs * 1000) + 0; // + 0 turns −0 into 0
    if (us > this.#highestUs) this.#reject(latencyMs);
    if (us < this.#minUs) this.#minUs = us;
    if (us > this.#maxUs) this.#maxUs = us;
    if (this.#intervalUs === 0) {
      this.#histogram.recordValue(us);
    } else {
      this.#recordCorrected(us);
    }
  }

  /**
   * Records `us` and the samples a stalled sender missed: `us − k·interval` for k = 1, 2, … while
   * the value stays ≥ interval — the same counts as HdrHistogram's `recordValueWithExpectedInterval`,
   * but one histogram update per bucket instead of one per missed sample (a 1-hour stall at a 1 ms
   * interval costs ~20 000 updates, not 3.6 million).
   */
  #recordCorrected(us: number): void {
    const h = this.#histogram;
    const interval = this.#intervalUs;
    h.recordValue(us);
    if (us < 2 * interval) return;
    let remaining = Math.floor(us / interval) - 1;
    this.#synthetic += remaining;
    const lowest = us - remaining * interval;
    if (lowest < this.#minUs) this.#minUs = lowest;
    let value = us - interval;
    while (remaining > 0) {
      // value, value − interval, … down to the bottom of value's bucket share one count.
      const inBucket = Math.min(
        remaining,
        Math.floor((value - h.lowestEquivalentValue(value)) / interval) + 1,
      );
      h.recordValueWithCount(value, inBucket);
      value -= inBucket * interval;
      remaining -= inBucket;
    }
  }

  #reject(latencyMs: unknown): never {
    const expected = `a number of milliseconds in [0, ${this.#options.highestTrackableMs}]`;
    throw new MeterError(
      'WS_KIT_ERR_METER_VALUE',
      `LatencyMeter.record: latencyMs must be ${expected}, got ${formatValue(latencyMs)}`,
      { expected, received: latencyMs },
    );
  }

  /**
   * The nearest-rank percentile: the smallest recorded value such that at least `p`% of all values
   * are less than or equal to it (rank `ceil(p/100 × count)`, at least 1). Within the histogram's
   * precision it is that recorded value; it is never below it, never above `max`, `percentile(0)`
   * is the exact `min` and `percentile(100)` the exact `max`.
   *
   * @param p - the percentile, `0 ≤ p ≤ 100`
   * @returns the value in milliseconds, or 0 when nothing was recorded
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `p` is outside [0, 100]
   */
  percentile(p: number): number {
    checkNumber('LatencyMeter.percentile p', p, { min: 0, max: 100 }, 'argument');
    const count = this.#histogram.totalCount;
    return count === 0 ? 0 : this.#valueAtRankUs(nearestRank(p, count)) / 1000;
  }

  /** @returns every figure of the meter at once; see {@link LatencyReport} */
  report(): LatencyReport {
    const h = this.#histogram;
    const count = h.totalCount;
    if (count === 0) return EMPTY_LATENCY_REPORT;
    const [p50, p90, p95, p99, p999] = this.#valuesAtRanksUs(
      [50, 90, 95, 99, 99.9].map((p) => nearestRank(p, count)),
    );
    return {
      count,
      synthetic: this.#synthetic,
      min: this.#minUs / 1000,
      max: this.#maxUs / 1000,
      mean: h.mean / 1000,
      stddev: h.stdDeviation / 1000,
      p50: p50! / 1000,
      p90: p90! / 1000,
      p95: p95! / 1000,
      p99: p99! / 1000,
      p999: p999! / 1000,
    };
  }

  #valueAtRankUs(rank: number): number {
    return this.#valuesAtRanksUs([rank])[0]!;
  }

  /** Values (µs) at ascending 1-based ranks, in one pass over the counts. */
  #valuesAtRanksUs(ranks: readonly number[]): number[] {
    const h = this.#histogram;
    const out: number[] = [];
    let next = 0;
    let seen = 0;
    for (let i = 0; i < h.countsArrayLength && next < ranks.length; i++) {
      seen += h.getCountAtIndex(i);
      while (next < ranks.length && seen >= ranks[next]!) {
        const rank = ranks[next]!;
        const bucketTop = h.highestEquivalentValue(h.valueFromIndex(i));
        out.push(rank <= 1 ? this.#minUs : Math.max(this.#minUs, Math.min(this.#maxUs, bucketTop)));
        next++;
      }
    }
    while (out.length < ranks.length) out.push(this.#maxUs);
    return out;
  }

  /**
   * Adds another meter's values, or a snapshot's, to this one, as if this meter had recorded them.
   * Merging is exact: counts, extremes and every percentile equal those of one meter fed everything.
   *
   * @param source - a meter, a {@link LatencySnapshot}, or a snapshot's JSON text, with the same
   *   `highestTrackableMs`, `significantDigits` and `expectedIntervalMs` as this meter
   * @returns this meter
   * @throws {@link MeterError} `WS_KIT_ERR_METER_SNAPSHOT` when the settings differ or the snapshot is
   *   invalid (this meter is left unchanged)
   */
  merge(source: LatencyMeter | LatencySnapshot | string): this {
    if (source instanceof LatencyMeter) {
      this.#checkSame(source.#options, 'meter');
      this.#addCounts(source.#histogram, source.#minUs, source.#maxUs, source.#synthetic);
    } else {
      const decoded = decodeLatencySnapshot(source);
      this.#checkSame(decoded.options, 'snapshot');
      this.#absorb(decoded);
    }
    return this;
  }

  #absorb(decoded: DecodedLatencySnapshot): void {
    if (decoded.count === 0) return;
    this.#addCounts(decoded.histogram, decoded.minUs, decoded.maxUs, decoded.synthetic);
  }

  #checkSame(other: ResolvedLatencyOptions, what: string): void {
    const mine = this.#options;
    const keys = ['highestTrackableMs', 'significantDigits', 'expectedIntervalMs'] as const;
    const differing = keys.filter((k) => other[k] !== mine[k]);
    if (differing.length > 0) {
      const list = differing.map((k) => `${k} ${other[k]} vs ${mine[k]}`).join(', ');
      throw new MeterError(
        'WS_KIT_ERR_METER_SNAPSHOT',
        `LatencyMeter.merge: the ${what} has other settings (${list})`,
        {
          expected: this.options,
          received: {
            highestTrackableMs: other.highestTrackableMs,
            significantDigits: other.significantDigits,
            expectedIntervalMs: other.expectedIntervalMs,
          },
        },
      );
    }
  }

  #addCounts(histogram: MeterHistogram, minUs: number, maxUs: number, synthetic: number): void {
    if (histogram.totalCount === 0) return;
    if (this.#histogram.totalCount + histogram.totalCount > Number.MAX_SAFE_INTEGER) {
      throw new MeterError(
        'WS_KIT_ERR_METER_VALUE',
        'LatencyMeter.merge: the merged count would pass 2^53 − 1',
        {
          received: histogram.totalCount,
        },
      );
    }
    this.#histogram.add(histogram);
    this.#synthetic += synthetic;
    if (minUs < this.#minUs) this.#minUs = minUs;
    if (maxUs > this.#maxUs) this.#maxUs = maxUs;
  }

  /**
   * Exports the meter as a compact JSON-safe snapshot: settings, exact extremes and the histogram in
   * HdrHistogram's V2 base64 form (about 0.3 KiB for 100 samples, 11 KiB for 100 000 samples
   * spread over 0.1–110 ms; bounded by the histogram's layout). `JSON.stringify` it freely.
   *
   * @returns a {@link LatencySnapshot}
   */
  toSnapshot(): LatencySnapshot {
    const count = this.#histogram.totalCount;
    return {
      format: 'ws-kit/latency-meter',
      version: 1,
      highestTrackableMs: this.#options.highestTrackableMs,
      significantDigits: this.#options.significantDigits,
      expectedIntervalMs: this.#options.expectedIntervalMs,
      count,
      synthetic: this.#synthetic,
      minUs: count === 0 ? 0 : this.#minUs,
      maxUs: count === 0 ? 0 : this.#maxUs,
      histogram: encodeHistogram(this.#histogram),
    };
  }

  /** Forgets every recorded value; the options and the memory stay. */
  reset(): void {
    this.#histogram.reset();
    this.#minUs = Number.POSITIVE_INFINITY;
    this.#maxUs = 0;
    this.#synthetic = 0;
  }
}

/**
 * The value, in microseconds, at a 1-based nearest rank of a meter (`1 ≤ rank ≤ count`). Not part of
 * the public API: `JitterMeter` uses it to combine two one-sided meters.
 *
 * @param meter - a non-empty meter
 * @param rank - the rank
 * @returns the value in µs, within the histogram's precision
 */
export function latencyValueAtRankUs(meter: LatencyMeter, rank: number): number {
  return rankAccess(meter, rank);
}
