import { OptionsError } from '../errors.js';
import type { MatcherContext, MatcherResult, ValidatorLike } from './matcher-types.js';

function nameOf(validator: object): string {
  const name = (validator as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'validator';
}

/**
 * `expect(validator).toPass()`: passes when the validator's `assert()` returns normally. Works with
 * every validator of this library and anything else with `report()` and `assert()`.
 *
 * Failure: exactly the message of the error `assert()` threw, which names the first violations
 * (`ordering violated: 1 violation(s); first: …`). With `.not`: `expected OrderingValidator not to
 * pass, but its assert() did not throw`.
 *
 * @param this - the runner's matcher state
 * @param received - the validator
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `received` has no `report()` and `assert()`
 */
export function toPass(this: MatcherContext | undefined, received: unknown): MatcherResult {
  const validator = received as Partial<ValidatorLike> | null;
  if (
    typeof validator !== 'object' ||
    validator === null ||
    typeof validator.assert !== 'function' ||
    typeof validator.report !== 'function'
  ) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `toPass() expects a validator with report() and assert(), got ${received === null ? 'null' : typeof received}`,
      { expected: 'Validator', received },
    );
  }
  try {
    validator.assert();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { pass: false, message: () => message };
  }
  return {
    pass: true,
    message: () => `expected ${nameOf(validator)} not to pass, but its assert() did not throw`,
  };
}
