import { MeterError } from '../errors.js';
import { checkNumber, formatValue } from '../internal/options.js';
import { LatencyMeter, latencyValueAtRankUs } from './latency-meter.js';
import { resolveLatencyOptions } from './latency-options.js';
import { nearestRank } from './latency-report.js';

/** Options of {@link JitterMeter}; every field is optional. */
export interface JitterMeterOptions {
  /**
   * The largest transit time magnitude, in milliseconds, the meter accepts: transits must lie in
   * `[−highestTrackableMs, +highestTrackableMs]`, others throw `WS_KIT_ERR_METER_VALUE`.
   * @default 3_600_000 (one hour)
   */
  readonly highestTrackableMs?: number;
  /**
   * Decimal digits of precision of the histogram behind `p50`, `p99` and `spread` (1–5).
   * @default 3
   */
  readonly significantDigits?: number;
}

/** The defaults of every {@link JitterMeterOptions} field. */
export const DEFAULT_JITTER_METER_OPTIONS: Readonly<Required<JitterMeterOptions>> = Object.freeze({
  highestTrackableMs: 3_600_000,
  significantDigits: 3,
});

/** What a {@link JitterMeter} measured; every figure is in milliseconds except `count`. All 0 when empty. */
export interface JitterReport {
  /** Transit times observed. */
  readonly count: number;
  /**
   * The RFC 3550 interarrival jitter estimate J after the last observation: for each transit after
   * the first, with D the difference from the previous transit, `J += (|D| − J) / 16` (J starts at 0).
   */
  readonly jitter: number;
  /** The mean of |D| over the `count − 1` consecutive pairs (0 with fewer than 2 transits). */
  readonly meanAbsDelta: number;
  /** The nearest-rank median of the transit times (histogram precision). */
  readonly p50: number;
  /** The nearest-rank 99th percentile of the transit times (histogram precision). */
  readonly p99: number;
  /** `p99 − p50`: how far the slow tail sits above the typical transit. Independent of any clock offset. */
  readonly spread: number;
}

/**
 * Measures delay variation from transit times (receive time − send time), three ways: the RFC 3550
 * interarrival jitter (§6.4.1, code in §A.8), the mean absolute difference of consecutive transits,
 * and the p99 − p50 spread of the transit distribution.
 *
 * The sender's and receiver's clocks need not be synchronised: a constant offset shifts every
 * transit equally and cancels out of all three figures, so transits may be negative. Memory is
 * fixed (one histogram, a second one once a negative transit arrives). Pure: no timers or sockets.
 *
 * @see RFC 3550 §6.4.1 and §A.8
 * @example
 * ```ts
 * const jitter = new JitterMeter();
 * for (const m of messages) jitter.observe(receivedAt(m) - m.timestamp);
 * const { jitter: j, spread } = jitter.report();
 * ```
 */
export class JitterMeter {
  readonly #options: Readonly<Required<JitterMeterOptions>>;
  readonly #positive: LatencyMeter;
  #negative: LatencyMeter | undefined;
  #count = 0;
  #previous = 0;
  #jitter = 0;
  #sumAbsDelta = 0;

  /**
   * @param options - range and precision; see {@link JitterMeterOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
   */
  constructor(options: JitterMeterOptions = {}) {
    const resolved = resolveLatencyOptions('JitterMeter', options, DEFAULT_JITTER_METER_OPTIONS);
    this.#options = Object.freeze({
      highestTrackableMs: resolved.highestTrackableMs,
      significantDigits: resolved.significantDigits,
    });
    this.#positive = new LatencyMeter(this.#options);
  }

  /** The resolved options (defaults filled in). */
  get options(): Readonly<Required<JitterMeterOptions>> {
    return this.#options;
  }

  /** Transit times observed so far. */
  get count(): number {
    return this.#count;
  }

  /** The current RFC 3550 jitter estimate in milliseconds (0 before the second observation). */
  get jitter(): number {
    return this.#jitter;
  }

  /**
   * Observes one message's transit time.
   *
   * @param transitMs - receive time − send time in milliseconds (any finite value within
   *   ±`highestTrackableMs`; negative when the clocks are offset)
   * @throws {@link MeterError} `WS_KIT_ERR_METER_VALUE` when `transitMs` is not a finite number within
   *   range (the meter is left unchanged)
   */
  observe(transitMs: number): void {
    if (
      typeof transitMs !== 'number' ||
      !(transitMs >= -this.#options.highestTrackableMs && transitMs <= this.#options.highestTrackableMs)
    ) {
      const expected = `a finite number of milliseconds in [−${this.#options.highestTrackableMs}, ${this.#options.highestTrackableMs}]`;
      throw new MeterError(
        'WS_KIT_ERR_METER_VALUE',
        `JitterMeter.observe: transitMs must be ${expected}, got ${formatValue(transitMs)}`,
        { expected, received: transitMs },
      );
    }
    if (transitMs >= 0) {
      this.#positive.record(transitMs);
    } else {
      this.#negative ??= new LatencyMeter(this.#options);
      this.#negative.record(-transitMs);
    }
    if (this.#count > 0) {
      const d = Math.abs(transitMs - this.#previous);
      this.#jitter += (d - this.#jitter) / 16;
      this.#sumAbsDelta += d;
    }
    this.#previous = transitMs;
    this.#count++;
  }

  /**
   * The nearest-rank percentile of the transit times (see `LatencyMeter.percentile`).
   *
   * @param p - the percentile, `0 ≤ p ≤ 100`
   * @returns the transit in milliseconds (may be negative), or 0 when empty
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `p` is outside [0, 100]
   */
  percentile(p: number): number {
    checkNumber('JitterMeter.percentile p', p, { min: 0, max: 100 }, 'argument');
    return this.#count === 0 ? 0 : this.#transitAtRank(nearestRank(p, this.#count));
  }

  #transitAtRank(rank: number): number {
    const negatives = this.#negative?.count ?? 0;
    if (rank <= negatives) {
      // The rank-th smallest transit is the (negatives − rank + 1)-th smallest magnitude below zero.
      return -latencyValueAtRankUs(this.#negative!, negatives - rank + 1) / 1000;
    }
    return latencyValueAtRankUs(this.#positive, rank - negatives) / 1000;
  }

  /** @returns every figure at once; see {@link JitterReport} */
  report(): JitterReport {
    const count = this.#count;
    if (count === 0) return { count: 0, jitter: 0, meanAbsDelta: 0, p50: 0, p99: 0, spread: 0 };
    const p50 = this.#transitAtRank(nearestRank(50, count));
    const p99 = this.#transitAtRank(nearestRank(99, count));
    return {
      count,
      jitter: this.#jitter,
      meanAbsDelta: count > 1 ? this.#sumAbsDelta / (count - 1) : 0,
      p50,
      p99,
      spread: p99 - p50,
    };
  }

  /** Forgets every observation; the options stay. */
  reset(): void {
    this.#positive.reset();
    this.#negative?.reset();
    this.#count = 0;
    this.#previous = 0;
    this.#jitter = 0;
    this.#sumAbsDelta = 0;
  }
}
