import type { Clock, TimerHandle } from '../clock/clock.js';

/**
 * Pings on an interval and reports a ping that went unanswered for `timeoutMs`: how a client
 * notices a half-open connection (a peer or link that went silent without closing). Internal.
 */
export class Heartbeat {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #next: TimerHandle | undefined;
  #deadline: TimerHandle | undefined;

  /**
   * @param clock - the timer source
   * @param intervalMs - time between pings
   * @param timeoutMs - how long a ping may go unanswered
   * @param ping - sends one ping
   * @param dead - called once when a ping went unanswered (the heartbeat has stopped then)
   */
  constructor(clock: Clock, intervalMs: number, timeoutMs: number, ping: () => void, dead: () => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#ping = ping;
    this.#dead = dead;
  }

  /** Starts pinging (the first ping after one interval). */
  start(): void {
    this.stop();
    this.#next = this.#clock.setTimeout(() => this.#tick(), this.#intervalMs);
  }

  /** An answer arrived: the peer is alive. */
  alive(): void {
    if (this.#deadline === undefined) return;
    this.#clock.clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  /** Stops every timer. */
  stop(): void {
    if (this.#next !== undefined) this.#clock.clearTimeout(this.#next);
    if (this.#deadline !== undefined) this.#clock.clearTimeout(this.#deadline);
    this.#next = undefined;
    this.#deadline = undefined;
  }

  #tick(): void {
    this.#next = this.#clock.setTimeout(() => this.#tick(), this.#intervalMs);
    // the earliest unanswered ping sets the deadline
    this.#deadline ??= this.#clock.setTimeout(() => {
      this.#deadline = undefined;
      this.stop();
      this.#dead();
    }, this.#timeoutMs);
    this.#ping();
  }
}
