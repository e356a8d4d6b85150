import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { FrameError, OptionsError } from '../errors.js';
import { DEFAULT_SEQUENCER_OPTIONS, Sequencer, type SequencerSnapshot } from './sequencer.js';

describe('Sequencer', () => {
  it('issues 1, 2, 3 on a channel', () => {
    const seq = new Sequencer();
    expect([seq.next('a'), seq.next('a'), seq.next('a')]).toEqual([1, 2, 3]);
  });

  it('numbers each channel independently', () => {
    const seq = new Sequencer();
    seq.next('a');
    seq.next('a');
    expect(seq.next('b')).toBe(1);
    expect(seq.next('a')).toBe(3);
  });

  it("uses the default channel '' when none is given", () => {
    const seq = new Sequencer();
    seq.next();
    expect(seq.next('')).toBe(2);
    expect(seq.peek()).toBe(2);
  });

  it('peeks the last issued number without issuing, and 0 for a new channel', () => {
    const seq = new Sequencer();
    expect(seq.peek('a')).toBe(0);
    seq.next('a');
    expect(seq.peek('a')).toBe(1);
    expect(seq.peek('a')).toBe(1);
    expect(seq.channels()).toEqual(['a']);
  });

  it('lists channels in first-use order', () => {
    const seq = new Sequencer();
    for (const c of ['z', 'a', 'z', 'm']) seq.next(c);
    expect(seq.channels()).toEqual(['z', 'a', 'm']);
  });

  it('counts exactly across 2^32', () => {
    const seq = new Sequencer({ start: 2 ** 32 - 1 });
    expect([seq.next('a'), seq.next('a'), seq.next('a')]).toEqual([2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1]);
  });

  it('issues Number.MAX_SAFE_INTEGER, then throws SEQUENCE_EXHAUSTED without changing state', () => {
    const seq = new Sequencer({ start: Number.MAX_SAFE_INTEGER - 1 });
    seq.next('a');
    expect(seq.next('a')).toBe(Number.MAX_SAFE_INTEGER);
    const message =
      'Sequencer.next: channel "a" has issued 9007199254740991, the largest exact sequence number';
    expectError(() => seq.next('a'), FrameError, 'WS_KIT_ERR_SEQUENCE_EXHAUSTED', message);
    expect(seq.peek('a')).toBe(Number.MAX_SAFE_INTEGER);
    expect(seq.next('b')).toBe(Number.MAX_SAFE_INTEGER - 1);
  });

  it('is strictly increasing by one per channel for any interleaving', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', '')),
        fc.integer({ min: 1, max: 2 ** 52 }),
        (calls, start) => {
          const seq = new Sequencer({ start });
          const last = new Map<string, number>();
          for (const channel of calls) {
            const n = seq.next(channel);
            expect(n).toBe((last.get(channel) ?? start - 1) + 1);
            last.set(channel, n);
          }
        },
      ),
    );
  });

  it('restores from a JSON snapshot and continues where it stopped', () => {
    const seq = new Sequencer({ start: 10 });
    seq.next('a');
    seq.next('a');
    seq.next('__proto__');
    const snapshot = JSON.parse(JSON.stringify(seq)) as SequencerSnapshot;
    expect(snapshot).toEqual(JSON.parse('{"start":10,"last":{"a":11,"__proto__":10}}'));
    const restored = Sequencer.from(snapshot);
    expect(restored.next('a')).toBe(12);
    expect(restored.next('__proto__')).toBe(11);
    expect(restored.next('new')).toBe(10);
    expect(restored.channels()).toEqual(['a', '__proto__', 'new']);
  });

  it('treats a snapshot entry of 0 as nothing issued', () => {
    const restored = Sequencer.from({ start: 1, last: { a: 0 } });
    expect(restored.channels()).toEqual([]);
    expect(restored.next('a')).toBe(1);
  });

  it('rejects an invalid start', () => {
    expectError(
      () => new Sequencer({ start: 0 }),
      OptionsError,
      'WS_KIT_ERR_INVALID_OPTION',
      'Sequencer.start must be an integer >= 1 <= 9007199254740991, got 0',
    );
  });

  it('rejects an unknown option', () => {
    expectError(
      () => new Sequencer({ first: 1 } as never),
      OptionsError,
      'WS_KIT_ERR_INVALID_OPTION',
      "Sequencer: unknown option 'first' (known: start)",
    );
  });

  it('rejects a channel no frame can carry', () => {
    expectError(
      () => new Sequencer().next('x'.repeat(256)),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `Sequencer.next: channel must be a string of at most 255 UTF-8 bytes without lone surrogates, got "${'x'.repeat(57)}..."`,
    );
  });

  it('rejects a snapshot with a value out of range', () => {
    expectError(
      () => Sequencer.from({ start: 1, last: { a: -1 } }),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      'Sequencer.from: snapshot.last["a"] must be an integer >= 0 <= 9007199254740991, got -1',
    );
  });

  it('rejects a snapshot that is not { start, last }', () => {
    expectError(
      () => Sequencer.from(null as never),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      'Sequencer.from: snapshot must be { start, last }, got null',
    );
  });

  it('exposes frozen defaults', () => {
    expect(DEFAULT_SEQUENCER_OPTIONS).toEqual({ start: 1 });
    expect(Object.isFrozen(DEFAULT_SEQUENCER_OPTIONS)).toBe(true);
  });
});
