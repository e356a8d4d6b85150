/**
 * Detects priority inversions for an `OrderingValidator` in `priority` mode (internal; not exported
 * from the package).
 *
 * For each priority level 0..255 it remembers the latest send key (`timestamp` or `sentSeq`) among
 * the messages delivered so far, in a Fenwick tree over prefix maxima, so that "the latest send key
 * among delivered messages of a lower priority than p" costs 8 steps, with fixed memory (3 KiB).
 */

const LEVELS = 256;

/** The delivered message that overtook a higher-priority one, as found by {@link PriorityTracker.check}. */
export interface Overtaker {
  /** Its 1-based message number in the validator. */
  index: number;
  /** Its priority. */
  priority: number;
  /** Its send key. */
  key: number;
}

/** Fenwick tree of (max send key, message number, priority) over priority levels. */
export class PriorityTracker {
  readonly #key = new Float64Array(LEVELS + 1).fill(Number.NEGATIVE_INFINITY);
  readonly #index = new Float64Array(LEVELS + 1);
  readonly #priority = new Uint8Array(LEVELS + 1);
  /** Written by {@link PriorityTracker.check} when it returns `true`; reused to avoid allocation. */
  readonly overtaker: Overtaker = { index: 0, priority: 0, key: 0 };

  /**
   * Tells whether a message of `priority` sent at `key` is delivered after a lower-priority message
   * sent later (a strictly greater key). On `true`, {@link PriorityTracker.overtaker} names the
   * lower-priority message with the greatest key.
   *
   * @param priority - an integer 0..255
   * @param key - the message's send key
   * @returns whether this delivery is a priority violation
   */
  check(priority: number, key: number): boolean {
    let best = Number.NEGATIVE_INFINITY;
    let at = 0;
    for (let i = priority; i > 0; i -= i & -i) {
      if (this.#key[i]! > best) {
        best = this.#key[i]!;
        at = i;
      }
    }
    if (best <= key) return false;
    this.overtaker.index = this.#index[at]!;
    this.overtaker.priority = this.#priority[at]!;
    this.overtaker.key = best;
    return true;
  }

  /**
   * Records a delivered message.
   *
   * @param priority - an integer 0..255
   * @param key - its send key
   * @param index - its 1-based message number
   */
  add(priority: number, key: number, index: number): void {
    for (let i = priority + 1; i <= LEVELS; i += i & -i) {
      if (key > this.#key[i]!) {
        this.#key[i] = key;
        this.#index[i] = index;
        this.#priority[i] = priority;
      }
    }
  }
}
