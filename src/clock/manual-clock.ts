import { checkNumber } from '../internal/options.js';
import type { Clock, TimerHandle } from './clock.js';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to, for deterministic tests of anything that takes a `clock`
 * option. Timers fire in due-time order (ties in creation order) as {@link ManualClock.advance}
 * passes them; a timer scheduled by a callback fires within the same `advance` if it falls due.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const meter = new ThroughputMeter({ clock });
 * meter.record(1024);
 * clock.advance(1000);
 * meter.record(1024);
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];

  /**
   * @param startMs - the initial reading of {@link ManualClock.now}
   * @default startMs 0
   */
  constructor(startMs = 0) {
    this.#now = checkNumber('ManualClock startMs', startMs, {}, 'argument');
  }

  /**
   * Reads the manual time.
   *
   * @returns the current manual time in milliseconds
   */
  now(): number {
    return this.#now;
  }

  /**
   * Schedules `callback` at `now() + ms` (negative delays count as 0).
   *
   * @param callback - what to call
   * @param ms - the delay in milliseconds
   * @returns a handle for {@link ManualClock.clearTimeout}
   */
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, Number.isFinite(ms) ? ms : 0), callback });
    return id;
  }

  /**
   * Cancels a pending timer.
   *
   * @param handle - a handle from {@link ManualClock.setTimeout}; unknown handles are ignored
   */
  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** The number of timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order.
   *
   * @param ms - milliseconds to advance, `>= 0`
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `ms` is negative or not finite
   */
  advance(ms: number): void {
    checkNumber('ManualClock.advance ms', ms, { min: 0 }, 'argument');
    const target = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers) {
        if (
          t.at <= target &&
          (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id))
        ) {
          next = t;
        }
      }
      if (next === undefined) break;
      const due = next;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = target;
  }

  /**
   * Sets the time to `ms` (which must not be in the past), firing due timers on the way.
   *
   * @param ms - the new time
   */
  setTime(ms: number): void {
    checkNumber('ManualClock.setTime ms', ms, { min: this.#now }, 'argument');
    this.advance(ms - this.#now);
  }
}
