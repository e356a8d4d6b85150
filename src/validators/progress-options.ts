import { type Clock, systemClock } from '../clock/clock.js';
import { checkKnownKeys, checkNumber } from '../internal/options.js';
import { checkBooleanOption, checkClockOption, checkObject } from './validator-checks.js';

/** Options of `ProgressValidator`; every field is optional. */
export interface ProgressValidatorOptions {
  /**
   * The lowest update rate accepted, per second, checked on every interval between consecutive
   * updates (`1000 / Δt`); `undefined` sets no lower bound. A finite number > 0.
   * @default undefined
   */
  readonly minRatePerSecond?: number | undefined;
  /**
   * The highest update rate accepted, per second, checked on every interval between consecutive
   * updates (`1000 / Δt`; two updates at the same time are an infinite rate); `undefined` sets no
   * upper bound. A finite number > 0.
   * @default undefined
   */
  readonly maxRatePerSecond?: number | undefined;
  /**
   * How far a reported `percent` may be from `current / total × 100`, in percentage points (≥ 0).
   * @default 0.5
   */
  readonly percentTolerance?: number;
  /**
   * Whether every stage must reach `current = total` before the next stage begins, and the last
   * stage by the time of the report.
   * @default true
   */
  readonly requireCompletion?: boolean;
  /**
   * Whether `total` may change within a stage (e.g. a download whose size becomes known later).
   * @default false
   */
  readonly allowTotalChange?: boolean;
  /**
   * How many violations `report().firstViolations` keeps (an integer 0..10,000); counts are always complete.
   * @default 20
   */
  readonly maxViolations?: number;
  /**
   * Where `observe()` reads the time when not given `atMs`. Inject a `ManualClock` in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The defaults of every {@link ProgressValidatorOptions} field. */
export const DEFAULT_PROGRESS_VALIDATOR_OPTIONS: Readonly<Required<ProgressValidatorOptions>> = Object.freeze(
  {
    minRatePerSecond: undefined,
    maxRatePerSecond: undefined,
    percentTolerance: 0.5,
    requireCompletion: true,
    allowTotalChange: false,
    maxViolations: 20,
    clock: systemClock,
  },
);

/**
 * Validates `ProgressValidator` options (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied, frozen
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveProgressOptions(
  options: ProgressValidatorOptions,
): Readonly<Required<ProgressValidatorOptions>> {
  checkObject('ProgressValidator options', options, false);
  checkKnownKeys('ProgressValidator', options, DEFAULT_PROGRESS_VALIDATOR_OPTIONS);
  const o = { ...DEFAULT_PROGRESS_VALIDATOR_OPTIONS, ...options };
  const positive = { min: 0, exclusiveMin: true };
  if (o.minRatePerSecond !== undefined)
    checkNumber('ProgressValidator.minRatePerSecond', o.minRatePerSecond, positive);
  if (o.maxRatePerSecond !== undefined)
    checkNumber('ProgressValidator.maxRatePerSecond', o.maxRatePerSecond, positive);
  if (o.minRatePerSecond !== undefined && o.maxRatePerSecond !== undefined) {
    checkNumber('ProgressValidator.maxRatePerSecond', o.maxRatePerSecond, { min: o.minRatePerSecond });
  }
  checkNumber('ProgressValidator.percentTolerance', o.percentTolerance, { min: 0 });
  checkBooleanOption('ProgressValidator.requireCompletion', o.requireCompletion);
  checkBooleanOption('ProgressValidator.allowTotalChange', o.allowTotalChange);
  checkNumber('ProgressValidator.maxViolations', o.maxViolations, { min: 0, max: 10_000, integer: true });
  checkClockOption('ProgressValidator.clock', o.clock);
  return Object.freeze(o);
}
