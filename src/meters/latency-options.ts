import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../internal/options.js';

/** Options of `LatencyMeter` (and the histogram part of `JitterMeter`); every field is optional. */
export interface LatencyMeterOptions {
  /**
   * The largest latency, in milliseconds, the meter can record. A larger value throws
   * `WS_KIT_ERR_METER_VALUE`; nothing is clamped or dropped. The range only changes memory
   * logarithmically (about 8 KiB more per doubling at 3 digits).
   * @default 3_600_000 (one hour)
   */
  readonly highestTrackableMs?: number;
  /**
   * Decimal digits of precision the histogram keeps, 1–5: a reported value is within a relative
   * 10^−d of the recorded one (plus the 1 µs resolution). Memory grows about 10× per extra digit.
   * @default 3
   */
  readonly significantDigits?: number;
  /**
   * The interval, in milliseconds, at which samples are expected (e.g. one request every 10 ms).
   * When greater than 0, each recorded latency `L > 2 × interval` also records the samples that a
   * stalled sender would have missed: `L − interval`, `L − 2 × interval`, … down to `interval`
   * (HdrHistogram's coordinated-omission correction). 0 turns the correction off.
   * @default 0
   */
  readonly expectedIntervalMs?: number;
}

/** The defaults of every {@link LatencyMeterOptions} field, used by the code and the docs. */
export const DEFAULT_LATENCY_METER_OPTIONS: Readonly<Required<LatencyMeterOptions>> = Object.freeze({
  highestTrackableMs: 3_600_000,
  significantDigits: 3,
  expectedIntervalMs: 0,
});

/** The largest `highestTrackableMs`: 2^53 µs, so every recorded microsecond count is a safe integer. */
export const MAX_HIGHEST_TRACKABLE_MS = 9_007_199_254_740;

/** Resolved, validated settings of a latency meter, with the microsecond forms it records with. */
export interface ResolvedLatencyOptions extends Readonly<Required<LatencyMeterOptions>> {
  /** `highestTrackableMs` in whole microseconds (rounded). */
  readonly highestTrackableUs: number;
  /** `expectedIntervalMs` in whole microseconds (rounded); 0 when the correction is off. */
  readonly expectedIntervalUs: number;
}

/**
 * Validates latency-meter options and fills in defaults.
 *
 * @param name - the primitive's name, for messages (`'LatencyMeter'`, `'JitterMeter'`)
 * @param options - what the user passed
 * @param defaults - the defaults and the set of known keys
 * @returns the resolved options with their microsecond forms
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
 */
export function resolveLatencyOptions(
  name: string,
  options: LatencyMeterOptions,
  defaults: object = DEFAULT_LATENCY_METER_OPTIONS,
): ResolvedLatencyOptions {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name}: options must be an object, got ${formatValue(options)}`,
      {
        expected: 'object',
        received: options,
      },
    );
  }
  checkKnownKeys(name, options, defaults);
  const merged = { ...DEFAULT_LATENCY_METER_OPTIONS, ...options };
  const highestTrackableMs = checkNumber(`${name}.highestTrackableMs`, merged.highestTrackableMs, {
    min: 0.002,
    max: MAX_HIGHEST_TRACKABLE_MS,
  });
  const significantDigits = checkNumber(`${name}.significantDigits`, merged.significantDigits, {
    min: 1,
    max: 5,
    integer: true,
  });
  const expectedIntervalMs = checkNumber(`${name}.expectedIntervalMs`, merged.expectedIntervalMs, {
    min: 0,
    max: highestTrackableMs,
  });
  const expectedIntervalUs = Math.round(expectedIntervalMs * 1000);
  if (expectedIntervalMs > 0 && expectedIntervalUs === 0) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name}.expectedIntervalMs must be 0 (off) or >= 0.001 (1 µs), got ${formatValue(expectedIntervalMs)}`,
      { expected: '0 or >= 0.001', received: expectedIntervalMs },
    );
  }
  return Object.freeze({
    highestTrackableMs,
    significantDigits,
    expectedIntervalMs,
    highestTrackableUs: Math.round(highestTrackableMs * 1000),
    expectedIntervalUs,
  });
}
