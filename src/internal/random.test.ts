import { describe, expect, it } from 'vitest';
import { createRandom, randomInt } from './random.js';

function take(random: () => number, n: number): number[] {
  return Array.from({ length: n }, () => random());
}

describe('createRandom', () => {
  it('returns the same sequence for the same seed', () => {
    expect(take(createRandom(7), 20)).toEqual(take(createRandom(7), 20));
  });

  it('returns different sequences for different seeds', () => {
    expect(take(createRandom(7), 20)).not.toEqual(take(createRandom(8), 20));
  });

  it('returns the known mulberry32 sequence for seed 1', () => {
    // Values of the reference implementation (bryc's `mulberry32(1)`), times 2^32.
    expect(take(createRandom(1), 3).map((x) => x * 2 ** 32)).toEqual([2693262067, 11749833, 2265367787]);
  });

  it('returns floats in [0, 1) spread over the whole interval', () => {
    const values = take(createRandom(123), 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });
});

describe('randomInt', () => {
  it('returns every integer of an inclusive range and nothing outside it', () => {
    const random = createRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomInt(random, -2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });
});
