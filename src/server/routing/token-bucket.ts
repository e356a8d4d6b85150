import { type Clock, systemClock } from '../../clock/clock.js';
import { OptionsError } from '../../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../../internal/options.js';

/** Options of {@link TokenBucket}; every field is optional. */
export interface TokenBucketOptions {
  /**
   * How many tokens flow back per second (a finite number > 0): the sustained rate.
   * @default 100
   */
  readonly ratePerSecond?: number;
  /**
   * The bucket's capacity (a finite number ≥ 1): how many takes may happen at once after a quiet
   * period. `undefined` means one second's worth, `ratePerSecond`.
   * @default undefined
   */
  readonly burst?: number | undefined;
  /**
   * Where the bucket reads the time. Inject a `ManualClock` in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The defaults of every {@link TokenBucketOptions} field. */
export const DEFAULT_TOKEN_BUCKET_OPTIONS: Readonly<Required<TokenBucketOptions>> = Object.freeze({
  ratePerSecond: 100,
  burst: undefined,
  clock: systemClock,
});

/**
 * A token bucket rate limiter, as MockServer uses per connection: it starts full (`burst` tokens),
 * refills continuously at `ratePerSecond` up to `burst`, and {@link TokenBucket.take} succeeds only
 * while enough tokens remain. Refill is computed lazily from the clock on each call — no timers.
 *
 * It is written here (about twenty lines of logic) rather than taken from a package because the
 * maintained limiters read `Date.now()` or own timers; this one takes an injected {@link Clock} so
 * tests drive it with a `ManualClock`.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ ratePerSecond: 10, burst: 20 });
 * if (!bucket.take()) connection.close(1008, 'rate limit');
 * ```
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #at: number;

  /**
   * @param options - see {@link TokenBucketOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
   */
  constructor(options: TokenBucketOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        `TokenBucket options must be an object, got ${formatValue(options)}`,
      );
    }
    checkKnownKeys('TokenBucket', options, DEFAULT_TOKEN_BUCKET_OPTIONS);
    const o = { ...DEFAULT_TOKEN_BUCKET_OPTIONS, ...options };
    this.#rate = checkNumber('TokenBucket.ratePerSecond', o.ratePerSecond, { min: 0, exclusiveMin: true });
    this.#burst = checkNumber('TokenBucket.burst', o.burst ?? this.#rate, { min: 1 });
    const clock = o.clock as Partial<Clock> | null;
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        `TokenBucket.clock must be a Clock, got ${formatValue(clock)}`,
      );
    }
    this.#clock = o.clock;
    this.#tokens = this.#burst;
    this.#at = this.#clock.now();
  }

  /** The tokens available now (fractional while refilling), between 0 and `burst`. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** The capacity of the bucket. */
  get burst(): number {
    return this.#burst;
  }

  /**
   * Takes `n` tokens if that many are available; takes nothing otherwise.
   *
   * @param n - how many tokens (a finite number > 0, at most `burst`)
   * @default n 1
   * @returns `true` when the tokens were taken (the action is allowed), `false` when rate-limited
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `n` is not a finite number in `(0, burst]`
   */
  take(n = 1): boolean {
    checkNumber('TokenBucket.take n', n, { min: 0, exclusiveMin: true, max: this.#burst }, 'argument');
    this.#refill();
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /**
   * How long until `n` tokens are available (for a `Retry-After` or a back-off hint).
   *
   * @param n - how many tokens (a finite number > 0, at most `burst`)
   * @default n 1
   * @returns milliseconds, 0 when they are available now
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `n` is not a finite number in `(0, burst]`
   */
  msUntil(n = 1): number {
    checkNumber('TokenBucket.msUntil n', n, { min: 0, exclusiveMin: true, max: this.#burst }, 'argument');
    this.#refill();
    return this.#tokens >= n ? 0 : ((n - this.#tokens) / this.#rate) * 1000;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#at;
    if (elapsed > 0) this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#rate) / 1000);
    this.#at = Math.max(this.#at, now);
  }
}
