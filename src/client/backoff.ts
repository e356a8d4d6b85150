import { checkKnownKeys, checkNumber, checkOneOf } from '../internal/options.js';

/**
 * How a reconnect delay is randomised, drawn afresh for every attempt:
 * - `'full'`: uniform in `[0, d]` (AWS "full jitter": spreads a fleet the most);
 * - `'equal'`: uniform in `[d/2, d]` (never sooner than half the delay);
 * - `'none'`: exactly `d` (deterministic; a fleet reconnects in lockstep).
 *
 * `d` is `min(maxMs, initialMs × factor^attempt)`.
 */
export type JitterMode = 'full' | 'equal' | 'none';

/** Options of {@link Backoff} (the `backoff` option of `ResilientClient`). */
export interface BackoffOptions {
  /** The delay before the first reconnect attempt, before jitter, ms ≥ 0. @default 250 */
  readonly initialMs?: number;
  /** The largest delay, before jitter, ms ≥ `initialMs`. @default 30000 */
  readonly maxMs?: number;
  /** The growth per attempt, ≥ 1. @default 2 */
  readonly factor?: number;
  /** The randomisation, drawn for every attempt. @default 'full' */
  readonly jitter?: JitterMode;
  /** Attempts before giving up (the client then closes); `Infinity` never gives up. @default Infinity */
  readonly maxAttempts?: number;
  /** How long a connection must stay open before the attempt count resets to 0, ms ≥ 0. @default 5000 */
  readonly stableMs?: number;
}

/** The defaults of every {@link BackoffOptions} field. */
export const DEFAULT_BACKOFF_OPTIONS: Readonly<Required<BackoffOptions>> = Object.freeze({
  initialMs: 250,
  maxMs: 30_000,
  factor: 2,
  jitter: 'full',
  maxAttempts: Number.POSITIVE_INFINITY,
  stableMs: 5000,
});

/**
 * Exponential backoff with jitter: the delay schedule of `ResilientClient`'s reconnects, usable on
 * its own. Randomness is injected, so a test can make every delay exact.
 *
 * @example
 * ```ts
 * const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 'none' });
 * backoff.next(); // 100
 * backoff.next(); // 200
 * backoff.reset();
 * ```
 */
export class Backoff {
  /** The resolved options. */
  readonly options: Readonly<Required<BackoffOptions>>;
  readonly #random: () => number;
  #attempt = 0;

  /**
   * @param options - the schedule
   * @param random - a source of floats in `[0, 1)` (default `Math.random`)
   * @throws `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
   */
  constructor(options: BackoffOptions = {}, random: () => number = Math.random) {
    this.options = resolveBackoffOptions(options);
    this.#random = random;
  }

  /** Attempts made since the last {@link Backoff.reset}. */
  get attempt(): number {
    return this.#attempt;
  }

  /** Whether `maxAttempts` attempts have been made. */
  get exhausted(): boolean {
    return this.#attempt >= this.options.maxAttempts;
  }

  /** The delay before the next attempt without jitter, ms. */
  get baseDelayMs(): number {
    const { initialMs, maxMs, factor } = this.options;
    return Math.min(maxMs, initialMs * factor ** this.#attempt);
  }

  /**
   * Draws the delay before the next attempt and counts the attempt.
   *
   * @returns the delay, ms
   */
  next(): number {
    const d = this.baseDelayMs;
    this.#attempt += 1;
    switch (this.options.jitter) {
      case 'full':
        return this.#random() * d;
      case 'equal':
        return d / 2 + this.#random() * (d / 2);
      default:
        return d;
    }
  }

  /** Starts the schedule over (after a stable connection). */
  reset(): void {
    this.#attempt = 0;
  }
}

/**
 * Checks backoff options and fills in the defaults.
 *
 * @param options - what the user passed
 * @returns every field
 * @throws `WS_KIT_ERR_INVALID_OPTION`
 */
export function resolveBackoffOptions(options: BackoffOptions): Required<BackoffOptions> {
  checkKnownKeys('backoff', options, DEFAULT_BACKOFF_OPTIONS);
  const o = { ...DEFAULT_BACKOFF_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  checkNumber('backoff.initialMs', o.initialMs, { min: 0 });
  checkNumber('backoff.maxMs', o.maxMs, { min: o.initialMs });
  checkNumber('backoff.factor', o.factor, { min: 1 });
  checkOneOf('backoff.jitter', o.jitter, ['full', 'equal', 'none']);
  if (o.maxAttempts !== Number.POSITIVE_INFINITY) {
    checkNumber('backoff.maxAttempts', o.maxAttempts, { integer: true, min: 0 });
  }
  checkNumber('backoff.stableMs', o.stableMs, { min: 0 });
  return o;
}
