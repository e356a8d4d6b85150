import { type Clock, systemClock } from '../clock/clock.js';
import { checkKnownKeys, checkNumber } from '../internal/options.js';
import { checkClockOption, checkObject } from './validator-checks.js';

/** Options of `FairnessValidator`; every field is optional. */
export interface FairnessValidatorOptions {
  /**
   * A client is starved when, between two of its services (or its registration and first service, or
   * its last service and the report), other clients were served over a span longer than this many
   * milliseconds, from the first such service to the last (a finite number > 0). Idle time, when
   * nobody is served, does not count.
   * @default 1000
   */
  readonly starvationWindowMs?: number;
  /**
   * The relative slack of `priorityRespected`: a client with a higher weight must get at least
   * `(1 − tolerance)` times the normalised service of every lower-weighted client (0 ≤ tolerance < 1).
   * @default 0.05
   */
  readonly tolerance?: number;
  /**
   * The lowest Jain index `assert()` accepts (0..1). Use 0 for a strict-priority scheduler, whose
   * normalised service is unequal by design.
   * @default 0.9
   */
  readonly minJainIndex?: number;
  /**
   * How many events each `first…` list of the report keeps (an integer 0..10,000); counts are always complete.
   * @default 20
   */
  readonly maxListed?: number;
  /**
   * Where `serve()` and `register()` read the time when not given `atMs`. Inject a `ManualClock` in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The defaults of every {@link FairnessValidatorOptions} field. */
export const DEFAULT_FAIRNESS_VALIDATOR_OPTIONS: Readonly<Required<FairnessValidatorOptions>> = Object.freeze(
  {
    starvationWindowMs: 1000,
    tolerance: 0.05,
    minJainIndex: 0.9,
    maxListed: 20,
    clock: systemClock,
  },
);

/**
 * Validates `FairnessValidator` options (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied, frozen
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveFairnessOptions(
  options: FairnessValidatorOptions,
): Readonly<Required<FairnessValidatorOptions>> {
  checkObject('FairnessValidator options', options, false);
  checkKnownKeys('FairnessValidator', options, DEFAULT_FAIRNESS_VALIDATOR_OPTIONS);
  const o = { ...DEFAULT_FAIRNESS_VALIDATOR_OPTIONS, ...options };
  checkNumber('FairnessValidator.starvationWindowMs', o.starvationWindowMs, { min: 0, exclusiveMin: true });
  checkNumber('FairnessValidator.tolerance', o.tolerance, { min: 0, max: 0.999_999 });
  checkNumber('FairnessValidator.minJainIndex', o.minJainIndex, { min: 0, max: 1 });
  checkNumber('FairnessValidator.maxListed', o.maxListed, { min: 0, max: 10_000, integer: true });
  checkClockOption('FairnessValidator.clock', o.clock);
  return Object.freeze(o);
}
