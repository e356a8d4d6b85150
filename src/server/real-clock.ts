import { performance } from 'node:perf_hooks';
import { clearTimeout as nodeClearTimeout, setTimeout as nodeSetTimeout } from 'node:timers';
import type { Clock, TimerHandle } from '../clock/index.js';

// Captured at module load: @sinonjs/fake-timers (behind vi.useFakeTimers / jest.useFakeTimers)
// replaces globalThis.setTimeout, globalThis.performance and Date, but not the bindings exported
// by node:timers and node:perf_hooks, so these keep running on real time.
const timeOrigin = performance.timeOrigin;
const perfNow = performance.now.bind(performance);

/**
 * A {@link Clock} that keeps real time even when a test has installed fake timers
 * (`vi.useFakeTimers()`, `jest.useFakeTimers()`): it reads `node:perf_hooks` and schedules with
 * `node:timers`, whose bindings fake timers do not replace. `MockServer` uses it by default so that
 * its own timeouts (waits, handshake delays, pacing) keep working; pass `clock` to opt into fake
 * or manual time on purpose. Node-only.
 *
 * Its timers are ordinary (ref'ed) Node timers, so `process.getActiveResourcesInfo()` shows any
 * left pending — which is how the tests prove that `MockServer.close()` cancels them all.
 */
export const realClock: Clock = Object.freeze({
  now: (): number => timeOrigin + perfNow(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => nodeSetTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle): void => {
    nodeClearTimeout(handle as ReturnType<typeof nodeSetTimeout>);
  },
});
