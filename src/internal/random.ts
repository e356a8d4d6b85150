/**
 * A small seeded pseudo-random number generator for deterministic test data.
 *
 * Not cryptographic. Internal to the library (never re-exported); the same seed yields the
 * same sequence on every platform, so generated test data is reproducible from its seed.
 */

/**
 * Creates a seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32).
 *
 * @param seed - any number; it is reduced to an unsigned 32-bit integer (`seed >>> 0`), so
 *   `1` and `2 ** 32 + 1` give the same sequence
 * @returns a function returning a float in `[0, 1)` on each call, a multiple of 2^-32
 * @example
 * ```ts
 * const random = createRandom(42);
 * const die = 1 + Math.floor(random() * 6);
 * ```
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws an integer in `[min, max]` (both inclusive) from a generator made by {@link createRandom}.
 *
 * @param random - the generator
 * @param min - the smallest integer to return
 * @param max - the largest integer to return; at most `min + 2 ** 32 - 1`
 * @returns an integer between `min` and `max`
 */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
