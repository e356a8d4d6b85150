/**
 * Argument and option checks shared by the validators (internal; not exported from the package).
 * Every failure is an `OptionsError` with `WS_KIT_ERR_INVALID_ARGUMENT` or `WS_KIT_ERR_INVALID_OPTION`.
 */
import { OptionsError } from '../errors.js';
import { formatValue } from '../internal/options.js';
import type { ValidatorId } from './validator.js';

/** Throws `WS_KIT_ERR_INVALID_ARGUMENT` (internal helper). */
export function invalidArgument(name: string, expected: string, value: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_ARGUMENT',
    `${name} must be ${expected}, got ${formatValue(value)}`,
    {
      expected,
      received: value,
    },
  );
}

/** Throws `WS_KIT_ERR_INVALID_OPTION` (internal helper). */
export function invalidOption(name: string, expected: string, value: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_OPTION',
    `${name} must be ${expected}, got ${formatValue(value)}`,
    {
      expected,
      received: value,
    },
  );
}

/** Checks that `value` is a plain object (or `undefined` when `optional`); internal helper. */
export function checkObject(name: string, value: unknown, optional: boolean): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidArgument(name, 'an object', value);
  }
}

/** Checks a {@link ValidatorId}; internal helper. */
export function checkId(name: string, value: unknown): ValidatorId {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return invalidArgument(name, 'a string or a finite number', value);
}

/** Checks an optional string field; internal helper. */
export function checkOptionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return invalidArgument(name, 'a string', value);
}

/** Checks an optional boolean option; internal helper. */
export function checkBooleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') invalidOption(name, 'a boolean', value);
  return value as boolean;
}

/** Renders an id for a message: strings quoted, numbers bare. */
export function formatId(id: ValidatorId): string {
  return typeof id === 'string' ? JSON.stringify(id) : String(id);
}

/** Checks an optional clock option (an object with `now`, `setTimeout`, `clearTimeout`); internal helper. */
export function checkClockOption(name: string, value: unknown): void {
  const clock = value as { now?: unknown; setTimeout?: unknown; clearTimeout?: unknown } | null;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    invalidOption(name, 'a Clock (now, setTimeout, clearTimeout)', value);
  }
}
