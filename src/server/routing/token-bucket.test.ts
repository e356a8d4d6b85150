import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock.js';
import { OptionsError } from '../../errors.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of `burst` takes at once, then refuses', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock: new ManualClock() });
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('refills at ratePerSecond and never above burst', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock });
    bucket.take(3);
    clock.advance(99);
    expect(bucket.take()).toBe(false);
    clock.advance(1);
    expect(bucket.take()).toBe(true);
    clock.advance(60_000);
    expect(bucket.available).toBe(3);
  });

  it('sustains exactly the rate over a long run', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 50, burst: 1, clock });
    let allowed = 0;
    for (let t = 0; t < 10_000; t++) {
      if (bucket.take()) allowed++;
      clock.advance(1);
    }
    expect(allowed).toBe(500);
  });

  it('defaults burst to one second of tokens', () => {
    const bucket = new TokenBucket({ ratePerSecond: 7, clock: new ManualClock() });
    expect(bucket.burst).toBe(7);
    expect(bucket.available).toBe(7);
  });

  it('tells how long until n tokens are available', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 2, clock });
    expect(bucket.msUntil()).toBe(0);
    bucket.take(2);
    expect(bucket.msUntil(2)).toBe(500);
  });

  it('rejects a take larger than burst and options out of range with coded errors', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2, clock: new ManualClock() });
    expect(() => bucket.take(3)).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'TokenBucket.take n must be a finite number > 0 <= 2, got 3',
      }),
    );
    const bad = () => new TokenBucket({ ratePerSecond: 0 });
    expect(bad).toThrowError(OptionsError);
    expect(bad).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: 'TokenBucket.ratePerSecond must be a finite number > 0, got 0',
      }),
    );
    expect(() => new TokenBucket({ rate: 5 } as object)).toThrowError("unknown option 'rate'");
  });
});
