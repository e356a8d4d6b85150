import { type Clock, systemClock, type TimerHandle } from '../../clock/clock.js';
import { OptionsError } from '../../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../../internal/options.js';

/** Options of {@link pace}; every field is optional. */
export interface PaceOptions {
  /**
   * Sends per second (a finite number > 0). Send `i` is due at `startedAt + i × 1000 / ratePerSecond`.
   * @default 100
   */
  readonly ratePerSecond?: number;
  /**
   * The most sends made in one timer tick (an integer ≥ 1). When the event loop lagged and several
   * sends are overdue, one tick sends at most this many, then yields with a 0 ms timer and goes on,
   * so a stall is caught up in bursts of at most `maxBurst` without starving other work.
   * @default 100
   */
  readonly maxBurst?: number;
  /**
   * The clock the schedule runs on. Inject a `ManualClock` in tests; MockServer passes a clock that
   * fake timers do not affect.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** The defaults of every {@link PaceOptions} field. */
export const DEFAULT_PACE_OPTIONS: Readonly<Required<PaceOptions>> = Object.freeze({
  ratePerSecond: 100,
  maxBurst: 100,
  clock: systemClock,
});

/** How a paced run went, as {@link PacedRun.done} resolves it. */
export interface PacedResult {
  /** How many times `produce` was called and did not return `false`. */
  readonly sent: number;
  /** The clock time of slot 0 (when {@link pace} was called). */
  readonly startedAt: number;
  /** The clock time the run ended: when `produce` returned `false`, or `stop()` was called. */
  readonly endedAt: number;
  /** `sent / ((endedAt - startedAt) / 1000)`; 0 when no time passed. */
  readonly achievedRate: number;
  /** The largest delay between a send's due time and the time it was made, in ms. */
  readonly maxLagMs: number;
  /** `true` when the run ended by `stop()` rather than by `produce` returning `false`. */
  readonly stopped: boolean;
}

/** A running paced schedule, returned by {@link pace}. */
export interface PacedRun {
  /** How many sends were made so far. */
  readonly sent: number;
  /**
   * Resolves when the run ends (`produce` returned `false`, or `stop()`); rejects with the error when
   * `produce` threw (the run stops then).
   */
  readonly done: Promise<PacedResult>;
  /** Ends the run now: no further `produce` call; `done` resolves with `stopped: true`. Idempotent. */
  stop(): void;
  /** Stops the run and waits for `done` to settle (never rejects). */
  close(): Promise<void>;
  /** Same as {@link PacedRun.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const EPSILON_MS = 1e-6;

/**
 * Calls `produce(i)` at absolute times `startedAt + i × 1000 / ratePerSecond` (i = 0, 1, 2 …) on a
 * {@link Clock}, until `produce` returns `false` or the run is stopped. Each timer is set for the
 * next due time computed from the start, never as "interval after the previous send", so timer
 * lateness does not accumulate (no `setInterval` drift): over a long run the number of sends equals
 * the elapsed time × the rate, to the send. Overdue sends are caught up at most `maxBurst` per tick.
 *
 * `produce` makes one send (for example, sends the generator's next value) and returns `false` when
 * there is nothing left to send — that call counts as no send, and the run ends at that moment. It
 * is called synchronously from a timer; the first call comes from a 0 ms timer, never from inside
 * `pace` itself.
 *
 * @param produce - makes send `i`; returns `false` (exactly) to end the run — any other return value, `undefined` included, counts as a send
 * @param options - see {@link PaceOptions}
 * @returns the run: `sent`, `done`, `stop()`
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 *
 * @example
 * ```ts
 * const it = messages[Symbol.iterator]();
 * const run = pace(() => { const n = it.next(); if (n.done) return false; ws.send(n.value); },
 *   { ratePerSecond: 5_000 });
 * const { sent, achievedRate } = await run.done;
 * ```
 */
export function pace(produce: (i: number) => unknown, options: PaceOptions = {}): PacedRun {
  if (typeof produce !== 'function') {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `pace produce must be a function, got ${formatValue(produce)}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `pace options must be an object, got ${formatValue(options)}`,
    );
  }
  checkKnownKeys('pace', options, DEFAULT_PACE_OPTIONS);
  const o = { ...DEFAULT_PACE_OPTIONS, ...options };
  const rate = checkNumber('pace.ratePerSecond', o.ratePerSecond, { min: 0, exclusiveMin: true });
  const maxBurst = checkNumber('pace.maxBurst', o.maxBurst, { min: 1, integer: true });
  const clock = o.clock;
  if (typeof clock !== 'object' || clock === null || typeof clock.setTimeout !== 'function') {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `pace.clock must be a Clock, got ${formatValue(clock)}`,
    );
  }

  const startedAt = clock.now();
  const dueAt = (i: number) => startedAt + (i * 1000) / rate; // exact for integer i × 1000 divisible by rate
  let next = 0;
  let maxLagMs = 0;
  let timer: TimerHandle | undefined;
  let finished = false;
  let resolve!: (result: PacedResult) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<PacedResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A run nobody awaits must not crash the process with an unhandled rejection; awaiters still see it.
  done.catch(() => undefined);

  const finish = (stopped: boolean) => {
    if (finished) return;
    finished = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const endedAt = clock.now();
    const seconds = (endedAt - startedAt) / 1000;
    resolve(
      Object.freeze({
        sent: next,
        startedAt,
        endedAt,
        achievedRate: seconds > 0 ? next / seconds : 0,
        maxLagMs,
        stopped,
      }),
    );
  };

  const tick = () => {
    timer = undefined;
    const now = clock.now();
    let burst = 0;
    while (!finished && burst < maxBurst && dueAt(next) <= now + EPSILON_MS) {
      let result: unknown;
      try {
        result = produce(next);
      } catch (error) {
        finished = true;
        reject(error);
        return;
      }
      if (finished) return; // produce called stop()
      if (result === false) {
        finish(false);
        return;
      }
      maxLagMs = Math.max(maxLagMs, now - dueAt(next));
      next++;
      burst++;
    }
    if (finished) return;
    timer = clock.setTimeout(tick, Math.max(0, dueAt(next) - clock.now()));
  };
  timer = clock.setTimeout(tick, 0);

  const run: PacedRun = {
    get sent() {
      return next;
    },
    done,
    stop: () => finish(true),
    close: async () => {
      finish(true);
      await done.catch(() => undefined);
    },
    [Symbol.asyncDispose]: () => run.close(),
  };
  return run;
}
