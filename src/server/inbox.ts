import type { Clock, TimerHandle } from '../clock/index.js';
import { WsKitError, type WsKitErrorCode } from '../errors.js';

interface Waiter<T> {
  readonly match: (item: T) => boolean;
  readonly consume: boolean;
  readonly resolve: (item: T) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
}

/** How an {@link Inbox} describes an item in a timeout message. */
export type Describe<T> = (item: T) => string;

/**
 * An awaitable log of items (connections, messages): everything that arrived since the last
 * {@link Inbox.flush}, a read cursor for `next()`, and `waitFor(predicate)`. Every wait has a
 * timeout whose {@link WsKitError} (`WS_KIT_ERR_TIMEOUT`) lists what arrived instead. Internal.
 */
export class Inbox<T> {
  readonly #clock: Clock;
  readonly #what: string;
  readonly #describe: Describe<T>;
  /** What arrived; the first `#start` entries are forgotten (dropped lazily, a slice now and then). */
  #items: T[] = [];
  #start = 0;
  /** The next item `next()` hands out, as an index into `#items`. */
  #cursor = 0;
  readonly #capacity: number;
  readonly #onForget: ((item: T, unread: boolean) => void) | undefined;
  /** Created on the first wait. */
  #waiters: Set<Waiter<T>> | undefined;
  /**
   * Makes the error every wait after `end()` rejects with. A factory, not an error: an error made at
   * close time would keep its stack's call sites — and through them the closed socket — alive.
   */
  #ended: (() => WsKitError) | undefined;

  /**
   * @param capacity - the most items kept; beyond it the oldest is forgotten (`Infinity`: no bound)
   * @param onForget - told about every forgotten item, and whether `next()` had not handed it out yet
   */
  constructor(
    clock: Clock,
    what: string,
    describe: Describe<T>,
    capacity = Number.POSITIVE_INFINITY,
    onForget?: (item: T, unread: boolean) => void,
  ) {
    this.#clock = clock;
    this.#what = what;
    this.#describe = describe;
    this.#capacity = capacity;
    this.#onForget = onForget;
  }

  /** Everything received since the last flush (at most `capacity`, the latest), oldest first. */
  get items(): readonly T[] {
    this.#compact();
    return this.#items;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length - this.#start > this.#capacity) this.#forgetOldest();
    if (this.#waiters === undefined || this.#waiters.size === 0) return;
    let taken = false;
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(item)) continue;
      // one consuming waiter (`next`) takes the item, later ones wait for the next; every
      // matching `waitFor` sees it
      if (waiter.consume) {
        if (taken) continue;
        taken = true;
        this.#cursor = this.#items.length;
      }
      this.#settle(waiter);
      waiter.resolve(item);
    }
  }

  next(timeoutMs: number, label: string): Promise<T> {
    const available = this.#items[this.#cursor];
    if (available !== undefined) {
      this.#cursor += 1;
      return Promise.resolve(available);
    }
    return this.#wait(() => true, true, timeoutMs, label);
  }

  waitFor(match: (item: T) => boolean, timeoutMs: number, label: string): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return this.#wait(match, false, timeoutMs, label);
  }

  /** Discards everything received so far; pending waits keep waiting for new items. */
  flush(): number {
    const count = this.#items.length - this.#start;
    this.#items = [];
    this.#start = 0;
    this.#cursor = 0;
    return count;
  }

  /**
   * Rejects every pending wait and every later one with an error from `makeError`.
   *
   * @param makeError - makes the rejection (called once per rejected wait)
   */
  end(makeError: () => WsKitError): void {
    this.#ended ??= makeError;
    for (const waiter of [...(this.#waiters ?? [])]) {
      this.#settle(waiter);
      waiter.reject(makeError());
    }
  }

  /**
   * Forgets every item `predicate` accepts, wherever it stands (handed out or not).
   *
   * @param predicate - which items to forget
   * @returns how many were forgotten
   */
  prune(predicate: (item: T) => boolean): number {
    this.#compact();
    const before = this.#items.length;
    const handedOut = this.#items.slice(0, this.#cursor).filter((item) => !predicate(item)).length;
    this.#items = this.#items.filter((item) => !predicate(item));
    this.#cursor = handedOut;
    return before - this.#items.length;
  }

  /**
   * Forgets `item` if `next()` has already handed it out (a closed connection nobody will ask for
   * again); an item still ahead of the cursor stays, so `next()` can return it.
   *
   * @param item - the item to forget
   */
  release(item: T): void {
    this.#compact();
    const index = this.#items.lastIndexOf(item);
    if (index < 0 || index >= this.#cursor) return;
    this.#items.splice(index, 1);
    this.#cursor -= 1;
  }

  #forgetOldest(): void {
    const item = this.#items[this.#start] as T;
    const unread = this.#cursor <= this.#start;
    this.#start += 1;
    if (unread) this.#cursor = this.#start;
    // drop the forgotten prefix once it is as long as what is kept (amortised O(1) per push)
    if (this.#start >= 1024 && this.#start * 2 >= this.#items.length) this.#compact();
    this.#onForget?.(item, unread);
  }

  /** Drops the forgotten prefix. */
  #compact(): void {
    if (this.#start === 0) return;
    this.#items = this.#items.slice(this.#start);
    this.#cursor -= this.#start;
    this.#start = 0;
  }

  #wait(match: (item: T) => boolean, consume: boolean, timeoutMs: number, label: string): Promise<T> {
    if (this.#ended) return Promise.reject(this.#ended());
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#settle(waiter);
        reject(this.#timeoutError(label, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter<T> = { match, consume, resolve, reject, timer };
      this.#waiters ??= new Set();
      this.#waiters.add(waiter);
    });
  }

  #settle(waiter: Waiter<T>): void {
    this.#clock.clearTimeout(waiter.timer);
    this.#waiters?.delete(waiter);
  }

  #timeoutError(label: string, timeoutMs: number): WsKitError {
    this.#compact();
    const received = this.#items.map(this.#describe);
    const shown = received.slice(-5).join(', ');
    const instead =
      received.length === 0
        ? `no ${this.#what} arrived`
        : `received instead ${received.length} ${this.#what}${received.length > 5 ? ' (last 5)' : ''}: ${shown}`;
    const code: WsKitErrorCode = 'WS_KIT_ERR_TIMEOUT';
    return new WsKitError(code, `${label} timed out after ${timeoutMs} ms; ${instead}`, {
      expected: label,
      received: [...this.#items],
    });
  }
}
