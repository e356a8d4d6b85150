import type { Clock, TimerHandle } from '../../clock/clock.js';

/**
 * Batches cumulative acks per channel: a channel's ack is due after `every` newly delivered frames,
 * or `delayMs` after the first frame (or duplicate) it covers, whichever comes first. The caller's
 * `flush(channel)` sends the ack. One timer at most. Internal to {@link ServerProtocolEndpoint}.
 */
export class AckBatcher {
  readonly #clock: Clock;
  readonly #every: number;
  readonly #delayMs: number;
  readonly #flush: (channel: string) => void;
  /** Channel → frames delivered since its last ack (0 for a channel due only for a re-ack). */
  readonly #due = new Map<string, number>();
  #timer: TimerHandle | undefined;

  /**
   * @param clock - the timer source
   * @param every - frames per channel that trigger an immediate ack
   * @param delayMs - the longest an ack waits
   * @param flush - sends the cumulative ack of a channel
   */
  constructor(clock: Clock, every: number, delayMs: number, flush: (channel: string) => void) {
    this.#clock = clock;
    this.#every = every;
    this.#delayMs = delayMs;
    this.#flush = flush;
  }

  /** The number of channels with an ack pending. */
  get pending(): number {
    return this.#due.size;
  }

  /**
   * Records `count` frames delivered on `channel` (0: only a re-ack is needed, e.g. after a duplicate).
   *
   * @param channel - the channel
   * @param count - newly delivered frames
   */
  note(channel: string, count: number): void {
    const total = (this.#due.get(channel) ?? 0) + count;
    if (total >= this.#every) {
      this.#due.delete(channel);
      if (this.#due.size === 0) this.#cancel();
      this.#flush(channel);
      return;
    }
    this.#due.set(channel, total);
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.flushAll();
    }, this.#delayMs);
  }

  /** Sends every pending ack now. */
  flushAll(): void {
    this.#cancel();
    const channels = [...this.#due.keys()];
    this.#due.clear();
    for (const channel of channels) this.#flush(channel);
  }

  /** Forgets pending acks and cancels the timer (the connection is gone). */
  cancel(): void {
    this.#due.clear();
    this.#cancel();
  }

  #cancel(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
