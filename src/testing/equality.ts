import type { MessageData } from '../server/index.js';
import type { MatcherContext } from './matcher-types.js';

type Equals = (a: unknown, b: unknown) => boolean;

function asymmetric(value: unknown): { asymmetricMatch(other: unknown): boolean } | undefined {
  return typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
    ? (value as { asymmetricMatch(other: unknown): boolean })
    : undefined;
}

/**
 * A deep equality for use outside a test runner: primitives by `Object.is`, bytes by content,
 * arrays and plain objects by their own enumerable keys, asymmetric matchers by `asymmetricMatch`.
 *
 * @param a - the received value
 * @param b - the expected value
 * @returns whether they are equal
 */
export function defaultEquals(a: unknown, b: unknown): boolean {
  const matcher = asymmetric(b) ?? asymmetric(a);
  if (matcher) return matcher.asymmetricMatch(matcher === b ? a : b);
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.byteLength !== b.byteLength) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (k) =>
      Object.hasOwn(b, k) &&
      defaultEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * The equality a matcher uses: the runner's `this.equals` (with its custom testers) when there is
 * one, {@link defaultEquals} otherwise.
 *
 * @param context - the matcher's `this`
 * @returns a two-argument equality
 */
export function equalityOf(context: MatcherContext | undefined): Equals {
  const equals = context?.equals;
  if (typeof equals !== 'function') return defaultEquals;
  const testers = (context?.customTesters ?? []) as never[];
  return (a, b) => equals.call(context, a, b, testers);
}

/**
 * Whether a received message's data matches what a test expects: equal data (or an asymmetric
 * matcher that accepts it); a `RegExp` that matches a text message; or, for a text message and a
 * non-string expectation, equal to the text parsed as JSON (so `{ type: 'hello' }` matches the text
 * `'{"type":"hello"}'`).
 *
 * @param equals - the equality to use
 * @param data - the received data
 * @param expected - the expectation
 * @returns whether it matches
 */
export function dataMatches(equals: Equals, data: MessageData, expected: unknown): boolean {
  if (expected instanceof RegExp)
    return typeof data === 'string' && new RegExp(expected.source, expected.flags).test(data);
  if (equals(data, expected)) return true;
  if (typeof data !== 'string' || typeof expected === 'string') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return false;
  }
  return equals(parsed, expected);
}
