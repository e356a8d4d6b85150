/** A timer handle returned by {@link Clock.setTimeout}; opaque to callers. */
export type TimerHandle = unknown;

/**
 * The source of time and timers every time-aware primitive uses. Inject one through a primitive's
 * `clock` option to drive it deterministically in tests; the default is {@link systemClock}.
 */
export interface Clock {
  /** Milliseconds, with sub-millisecond precision, on a monotonic or wall-clock scale. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer made by {@link Clock.setTimeout}. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `performance.timeOrigin + performance.now()` (wall-clock milliseconds with
 * sub-millisecond precision, monotonic within a process) and the global timers, looked up at call
 * time so that fake timers installed later by Vitest or Jest are honoured.
 */
export const systemClock: Clock = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle): void =>
    globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
});
