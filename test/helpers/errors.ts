/**
 * Error assertions shared by the unit tests: an error test asserts class, `code` and message together.
 */
import { expect } from 'vitest';
import type { WsKitError, WsKitErrorCode } from '../../src/errors.js';

/**
 * Calls `fn` and returns what it threw.
 *
 * @throws an Error when `fn` returns normally
 */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Asserts that `fn` throws an instance of `type` with exactly this `code` and `message`. */
export function expectError(
  fn: () => unknown,
  type: abstract new (...args: never[]) => WsKitError,
  code: WsKitErrorCode,
  message: string | RegExp,
): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ code, message });
}
