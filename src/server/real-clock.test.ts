import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock } from './real-clock.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('realClock', () => {
  it('fires its timers while vi.useFakeTimers() is installed', async () => {
    vi.useFakeTimers();
    const fired = await new Promise<boolean>((resolve) => {
      realClock.setTimeout(() => resolve(true), 5);
    });
    expect(fired).toBe(true);
  });

  it('keeps reading real time while fake timers freeze Date and performance', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout'] });
    const before = realClock.now();
    await new Promise<void>((resolve) => realClock.setTimeout(resolve, 15));
    expect(realClock.now()).toBeGreaterThan(before);
  });

  it('does not fire a cleared timer', async () => {
    let fired = false;
    const handle = realClock.setTimeout(() => {
      fired = true;
    }, 1);
    realClock.clearTimeout(handle);
    await new Promise<void>((resolve) => realClock.setTimeout(resolve, 10));
    expect(fired).toBe(false);
  });
});
