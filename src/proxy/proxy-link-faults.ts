import type { Clock, TimerHandle } from '../clock/clock.js';
import type { LogFault } from './fault-log.js';
import type { ProxyConnection } from './proxy-connection.js';

/**
 * The link-wide faults of a `ChaosProxy` (internal): the blackout in force and how it ends, whether
 * new connections are refused, and the slow-close delay. New connections read these when paired.
 */
export class LinkFaults {
  /** A blackout is in force. */
  blackedOut = false;
  /** New connections are accepted, then reset at once. */
  refusing = false;
  /** A FIN from either peer is passed on only after this long (0: at once). */
  slowCloseMs = 0;
  readonly #clock: Clock;
  readonly #connections: () => Iterable<ProxyConnection>;
  readonly #log: LogFault;
  #timer: TimerHandle | undefined;
  #ended: (() => void) | undefined;

  /**
   * @param clock - for the blackout's end
   * @param connections - the connections open now
   * @param log - where blackout and restore are logged
   */
  constructor(clock: Clock, connections: () => Iterable<ProxyConnection>, log: LogFault) {
    this.#clock = clock;
    this.#connections = connections;
    this.#log = log;
  }

  /**
   * Starts (or extends) a blackout; see `ChaosProxy.blackout`.
   *
   * @param ms - call `restore` after this long; omit to hold until it is called
   * @param restore - ends the blackout (the proxy's `restore()`)
   * @returns resolves when the blackout ends
   */
  blackout(ms: number | undefined, restore: () => void): Promise<void> {
    this.#clock.clearTimeout(this.#timer);
    if (!this.blackedOut) {
      this.blackedOut = true;
      for (const c of this.#connections()) c.hold(true);
    }
    this.#log({ kind: 'blackout', connection: 0, ...(ms === undefined ? {} : { detail: { ms } }) });
    const ended = new Promise<void>((resolve) => {
      const previous = this.#ended;
      this.#ended = () => {
        previous?.();
        resolve();
      };
    });
    if (ms !== undefined) this.#timer = this.#clock.setTimeout(restore, ms);
    return ended;
  }

  /** Ends a blackout, if one is in force: held bytes flow again, in order. */
  restore(): void {
    this.#clock.clearTimeout(this.#timer);
    if (!this.blackedOut) return;
    this.blackedOut = false;
    this.#log({ kind: 'restore', connection: 0 });
    for (const c of this.#connections()) c.hold(false);
    const ended = this.#ended;
    this.#ended = undefined;
    ended?.();
  }

  /**
   * Sets the slow-close delay, for open connections and new ones.
   *
   * @param ms - the delay (0 turns it off)
   */
  slowClose(ms: number): void {
    this.slowCloseMs = ms;
    for (const c of this.#connections()) c.slowCloseMs = ms;
  }
}
