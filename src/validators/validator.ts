/**
 * What every validator offers besides its own `observe`-style methods: a data report, and an
 * assertion that throws a `ValidationError` naming the first violations. Runner matchers and
 * helpers can accept any `Validator`.
 *
 * @typeParam Report - the validator's report type
 */
export interface Validator<Report> {
  /**
   * Summarises everything observed so far. Calling it changes nothing.
   *
   * @returns a fresh report object
   */
  report(): Report;
  /**
   * Throws a `ValidationError` (carrying {@link Validator.report}'s result in `.report`) when the
   * observations break the validator's rules; returns normally otherwise.
   */
  assert(): void;
}

/** An identifier of a message or a client: a string, or a finite number. */
export type ValidatorId = string | number;
