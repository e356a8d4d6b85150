import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../clock/clock.js';
import { ManualClock } from '../../clock/manual-clock.js';
import { OptionsError } from '../../errors.js';
import { pace } from './pace.js';

/** A clock whose single pending timer fires only when the test says so, at whatever time it set: a stalled event loop. */
class StallClock implements Clock {
  t = 0;
  pending: (() => void) | undefined;
  now(): number {
    return this.t;
  }
  setTimeout(callback: () => void): TimerHandle {
    this.pending = callback;
    return 1;
  }
  clearTimeout(): void {
    this.pending = undefined;
  }
  fire(): void {
    const callback = this.pending;
    this.pending = undefined;
    callback?.();
  }
}

describe('pace', () => {
  it('makes exactly 50,000 sends at 5,000/s over 10 simulated seconds, each at start + i/rate', async () => {
    const clock = new ManualClock(1_000);
    const times: number[] = [];
    const run = pace(
      (i) => {
        if (i === 50_000) return false;
        times.push(clock.now());
      },
      { ratePerSecond: 5_000, clock },
    );
    clock.advance(10_000);
    const result = await run.done;
    expect(result).toEqual({
      sent: 50_000,
      startedAt: 1_000,
      endedAt: 11_000,
      achievedRate: 5_000,
      maxLagMs: 0,
      stopped: false,
    });
    expect(times.length).toBe(50_000);
    const worst = times.reduce((m, t, i) => Math.max(m, Math.abs(t - (1_000 + i * 0.2))), 0);
    expect(worst).toBeLessThan(1e-6);
  });

  it('does not drift over a long run: sends equal elapsed time × rate', () => {
    const clock = new ManualClock();
    const run = pace(() => undefined, { ratePerSecond: 30, clock });
    clock.advance(3_600_000);
    expect(run.sent).toBe(30 * 3_600 + 1); // slots 0 … 108,000 inclusive are due by the end
    run.stop();
  });

  it('catches up after a stall in bursts of at most maxBurst, yielding between them', async () => {
    const clock = new StallClock();
    const perTick: number[] = [];
    let count = 0;
    const run = pace(
      () => {
        count++;
      },
      { ratePerSecond: 1_000, maxBurst: 40, clock },
    );
    clock.fire(); // t = 0: slot 0
    clock.t = 100; // the event loop stalled for 100 ms: slots 1 … 100 are due
    for (let tick = 0; tick < 4; tick++) {
      const before = count;
      clock.fire();
      perTick.push(count - before);
    }
    expect(perTick).toEqual([40, 40, 20, 0]);
    expect(run.sent).toBe(101);
    run.stop();
    const result = await run.done;
    expect(result.maxLagMs).toBe(99);
    expect(result.stopped).toBe(true);
  });

  it('stops on stop(): no further produce call, done resolves with stopped', async () => {
    const clock = new ManualClock();
    const run = pace(() => undefined, { ratePerSecond: 10, clock });
    clock.advance(450);
    run.stop();
    run.stop();
    clock.advance(1_000);
    const result = await run.done;
    expect(result).toMatchObject({ sent: 5, endedAt: 450, stopped: true });
    expect(clock.pendingTimers).toBe(0);
  });

  it('never calls produce from inside pace itself', () => {
    const clock = new ManualClock();
    let calls = 0;
    const run = pace(
      () => {
        calls++;
      },
      { clock },
    );
    expect(calls).toBe(0);
    clock.advance(0);
    expect(calls).toBe(1);
    run.stop();
  });

  it('rejects done with the error produce threw, and stops', async () => {
    const clock = new ManualClock();
    const boom = new Error('boom');
    const run = pace(
      (i) => {
        if (i === 2) throw boom;
      },
      { ratePerSecond: 10, clock },
    );
    clock.advance(1_000);
    await expect(run.done).rejects.toBe(boom);
    expect(run.sent).toBe(2);
    expect(clock.pendingTimers).toBe(0);
    await run.close();
  });

  it('rejects options outside their range with coded errors', () => {
    const run = () => pace(() => undefined, { ratePerSecond: -1 });
    expect(run).toThrowError(OptionsError);
    expect(run).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: 'pace.ratePerSecond must be a finite number > 0, got -1',
      }),
    );
    expect(() => pace(() => undefined, { maxBurst: 0.5 })).toThrowError(
      'pace.maxBurst must be an integer >= 1, got 0.5',
    );
  });
});
