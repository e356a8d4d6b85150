import { OptionsError } from '../errors.js';

/** Range constraints for {@link checkNumber}. */
export interface NumberRule {
  min?: number;
  max?: number;
  /** Require an integer. */
  integer?: boolean;
  /** Exclude `min` itself (for "greater than zero"). */
  exclusiveMin?: boolean;
}

function describe(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? 'an integer' : 'a finite number'];
  if (rule.min !== undefined) parts.push(`${rule.exclusiveMin ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' ');
}

/**
 * Throws an {@link OptionsError} unless `value` is a finite number within `rule`.
 *
 * @param name - the option or argument name, used in the message (e.g. `'LatencyMeter.significantDigits'`)
 * @param value - the value to check
 * @param rule - the range
 * @param kind - whether this is an option (`WS_KIT_ERR_INVALID_OPTION`) or an argument
 * @returns the value, typed as a number
 */
export function checkNumber(
  name: string,
  value: unknown,
  rule: NumberRule = {},
  kind: 'option' | 'argument' = 'option',
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.exclusiveMin ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const expected = describe(rule);
    throw new OptionsError(
      kind === 'option' ? 'WS_KIT_ERR_INVALID_OPTION' : 'WS_KIT_ERR_INVALID_ARGUMENT',
      `${name} must be ${expected}, got ${formatValue(value)}`,
      { expected, received: value },
    );
  }
  return value as number;
}

/**
 * Throws an {@link OptionsError} unless `value` is one of `allowed`.
 *
 * @param name - the option name
 * @param value - the value to check
 * @param allowed - the permitted literals
 * @returns the value, narrowed
 */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${formatValue(value)}`,
      { expected: allowed, received: value },
    );
  }
  return value as T;
}

/**
 * Throws an {@link OptionsError} when `options` has a key that `defaults` does not (a typo such as
 * `{ sigificantDigits: 3 }` would otherwise be ignored silently).
 *
 * @param name - the primitive's name, for the message
 * @param options - what the user passed
 * @param defaults - the full set of known keys
 */
export function checkKnownKeys(name: string, options: object, defaults: object): void {
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        `${name}: unknown option '${key}' (known: ${Object.keys(defaults).join(', ')})`,
        { expected: Object.keys(defaults), received: key },
      );
    }
  }
}

/**
 * Throws an {@link OptionsError} (`WS_KIT_ERR_INVALID_OPTION`) unless `value` is an object (not
 * `null`, not an array).
 *
 * @param name - what the value is, for the message (`"<name> must be an object, got …"`)
 * @param value - what the user passed
 */
export function checkObject(name: string, value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name} must be an object, got ${formatValue(value)}`,
      {
        expected: 'an object',
        received: value,
      },
    );
  }
}

/**
 * Renders a value for an error message, short and unambiguous.
 *
 * @param value - anything
 * @returns a one-line description
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.byteLength})`;
  return typeof value;
}
