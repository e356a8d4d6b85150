import type { Clock, TimerHandle } from '../clock/clock.js';
import { WsKitError } from '../errors.js';

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
}

/**
 * Promises that resolve when a condition holds (`opened()`, `drained()`), time out with an error
 * saying what the state was instead, and reject once the owner has ended. Internal.
 */
export class Waiters {
  readonly #clock: Clock;
  readonly #waiters = new Set<Waiter>();
  #ended: (() => WsKitError) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * @param label - what is awaited, for the timeout message
   * @param ready - the condition
   * @param timeoutMs - how long to wait
   * @param instead - describes the state when the wait times out
   * @param closed - the error once the owner ended
   */
  wait(
    label: string,
    ready: () => boolean,
    timeoutMs: number,
    instead: () => string,
    closed: () => WsKitError,
  ): Promise<void> {
    if (ready()) return Promise.resolve();
    if (this.#ended) return Promise.reject(closed());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve,
        reject,
        timer: this.#clock.setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new WsKitError('WS_KIT_ERR_TIMEOUT', `${label}() timed out after ${timeoutMs} ms; ${instead()}`, {
              expected: label,
              received: instead(),
            }),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves every waiter whose condition holds now. */
  check(): void {
    for (const waiter of this.#waiters) {
      if (!waiter.ready()) continue;
      this.#clock.clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Rejects every waiter, now and later, with `error()` (unless its condition holds now). */
  end(error: () => WsKitError): void {
    this.check();
    this.#ended = error;
    for (const waiter of this.#waiters) {
      this.#clock.clearTimeout(waiter.timer);
      waiter.reject(error());
    }
    this.#waiters.clear();
  }
}
