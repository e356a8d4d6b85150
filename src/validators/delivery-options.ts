import { checkKnownKeys, checkNumber } from '../internal/options.js';
import { checkBooleanOption, checkObject } from './validator-checks.js';

/** Options of `DeliveryValidator`; every field is optional. */
export interface DeliveryValidatorOptions {
  /**
   * How many ids each `first…` list of the report keeps (an integer 0..10,000); counts are always complete.
   * @default 20
   */
  readonly maxListed?: number;
  /**
   * Whether `assert()` accepts duplicated deliveries (at-least-once delivery). They are counted either way.
   * @default false
   */
  readonly allowDuplicates?: boolean;
  /**
   * Whether `assert()` accepts deliveries of ids never declared (a receiver that also sees other
   * senders' traffic). They are counted either way.
   * @default false
   */
  readonly allowUnexpected?: boolean;
}

/** The defaults of every {@link DeliveryValidatorOptions} field. */
export const DEFAULT_DELIVERY_VALIDATOR_OPTIONS: Readonly<Required<DeliveryValidatorOptions>> = Object.freeze(
  {
    maxListed: 20,
    allowDuplicates: false,
    allowUnexpected: false,
  },
);

/**
 * Validates `DeliveryValidator` options (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied, frozen
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveDeliveryOptions(
  options: DeliveryValidatorOptions,
): Readonly<Required<DeliveryValidatorOptions>> {
  checkObject('DeliveryValidator options', options, false);
  checkKnownKeys('DeliveryValidator', options, DEFAULT_DELIVERY_VALIDATOR_OPTIONS);
  const o = { ...DEFAULT_DELIVERY_VALIDATOR_OPTIONS, ...options };
  checkNumber('DeliveryValidator.maxListed', o.maxListed, { min: 0, max: 10_000, integer: true });
  checkBooleanOption('DeliveryValidator.allowDuplicates', o.allowDuplicates);
  checkBooleanOption('DeliveryValidator.allowUnexpected', o.allowUnexpected);
  return Object.freeze(o);
}
