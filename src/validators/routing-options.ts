import { checkKnownKeys, checkNumber } from '../internal/options.js';
import { checkBooleanOption, checkObject } from './validator-checks.js';

/** Options of `RoutingValidator`; every field is optional. */
export interface RoutingValidatorOptions {
  /**
   * How many entries each `first…` list of the report keeps (an integer 0..10,000); counts are always complete.
   * @default 20
   */
  readonly maxListed?: number;
  /**
   * Whether `assert()` accepts a second copy of a message to one of its addressees (at-least-once
   * delivery). Duplicates are counted either way.
   * @default false
   */
  readonly allowDuplicates?: boolean;
  /**
   * Whether `assert()` accepts deliveries of message ids never addressed (a receiver that also sees
   * traffic the test did not declare). They are counted either way.
   * @default false
   */
  readonly allowUnknown?: boolean;
}

/** The defaults of every {@link RoutingValidatorOptions} field. */
export const DEFAULT_ROUTING_VALIDATOR_OPTIONS: Readonly<Required<RoutingValidatorOptions>> = Object.freeze({
  maxListed: 20,
  allowDuplicates: false,
  allowUnknown: false,
});

/**
 * Validates `RoutingValidator` options (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied, frozen
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveRoutingOptions(
  options: RoutingValidatorOptions,
): Readonly<Required<RoutingValidatorOptions>> {
  checkObject('RoutingValidator options', options, false);
  checkKnownKeys('RoutingValidator', options, DEFAULT_ROUTING_VALIDATOR_OPTIONS);
  const o = { ...DEFAULT_ROUTING_VALIDATOR_OPTIONS, ...options };
  checkNumber('RoutingValidator.maxListed', o.maxListed, { min: 0, max: 10_000, integer: true });
  checkBooleanOption('RoutingValidator.allowDuplicates', o.allowDuplicates);
  checkBooleanOption('RoutingValidator.allowUnknown', o.allowUnknown);
  return Object.freeze(o);
}
