import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { OptionsError, ValidationError } from '../errors.js';
import { DEFAULT_ORDERING_VALIDATOR_OPTIONS } from './ordering-options.js';
import { OrderingValidator } from './ordering-validator.js';

function feed(v: OrderingValidator, seqs: number[], channel?: string) {
  return seqs.map((seq) => v.observe(channel === undefined ? { seq } : { channel, seq }));
}

describe('OrderingValidator options', () => {
  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_ORDERING_VALIDATOR_OPTIONS)).toBe(true);
    expect(DEFAULT_ORDERING_VALIDATOR_OPTIONS).toEqual({
      mode: 'per-channel',
      firstSeq: 1,
      reorderWindow: 1024,
      expectedChannels: undefined,
      maxViolations: 20,
      sendOrder: 'timestamp',
    });
  });

  it('rejects an unknown option key', () => {
    const error = thrown(() => new OrderingValidator({ reorderWindw: 8 } as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION' });
    expect((error as Error).message).toMatch(/^OrderingValidator: unknown option 'reorderWindw'/);
  });

  it.each([
    [
      { mode: 'fifo' },
      "OrderingValidator.mode must be one of 'strict', 'per-channel', 'priority', got \"fifo\"",
    ],
    [{ reorderWindow: 0 }, 'OrderingValidator.reorderWindow must be an integer >= 1 <= 16777216, got 0'],
    [{ firstSeq: -1 }, 'OrderingValidator.firstSeq must be an integer >= 0 <= 9007199254740991, got -1'],
    [{ maxViolations: 1.5 }, 'OrderingValidator.maxViolations must be an integer >= 0 <= 10000, got 1.5'],
    [
      { sendOrder: 'arrival' },
      "OrderingValidator.sendOrder must be one of 'timestamp', 'sentSeq', got \"arrival\"",
    ],
    [
      { expectedChannels: ['a', 1] },
      'OrderingValidator.expectedChannels must be an array of strings, got array(2)',
    ],
  ])('rejects the option %o with a coded error', (options, message) => {
    const error = thrown(() => new OrderingValidator(options as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION', message });
  });
});

describe('OrderingValidator sequence checks', () => {
  it('reports a clean in-order stream as fully accurate and passes assert', () => {
    const v = new OrderingValidator();
    expect(feed(v, [1, 2, 3, 4], 'a')).toEqual(['in-order', 'in-order', 'in-order', 'in-order']);
    const r = v.report();
    expect(r).toMatchObject({
      observed: 4,
      inOrderMessages: 4,
      orderingAccuracy: 1,
      violations: 0,
      missingMessages: 0,
    });
    expect(() => v.assert()).not.toThrow();
  });

  it('reports accuracy 1 before any message', () => {
    expect(new OrderingValidator().report().orderingAccuracy).toBe(1);
  });

  it('counts a jump past the next expected seq as one gap with its missing seqs', () => {
    const v = new OrderingValidator();
    expect(feed(v, [1, 2, 5], 'a')).toEqual(['in-order', 'in-order', 'in-order']);
    const r = v.report();
    expect(r).toMatchObject({ sequenceGaps: 1, missingMessages: 2, inOrderMessages: 3, violations: 1 });
    expect(r.firstViolations[0]).toEqual({
      kind: 'gap',
      index: 3,
      channel: 'a',
      seq: 5,
      message: 'channel "a" expected seq 3, got 5 at message #3 (gap of 2)',
    });
  });

  it('counts a late arrival into a gap as out of order and no longer missing', () => {
    const v = new OrderingValidator();
    expect(feed(v, [1, 3, 2], 'a')).toEqual(['in-order', 'in-order', 'out-of-order']);
    const r = v.report();
    expect(r).toMatchObject({
      sequenceGaps: 1,
      outOfOrderMessages: 1,
      missingMessages: 0,
      inOrderMessages: 2,
    });
    expect(r.orderingAccuracy).toBeCloseTo(2 / 3, 12);
    expect(r.firstViolations[1]?.message).toBe(
      'channel "a" seq 2 arrived after seq 3 at message #3 (out of order)',
    );
  });

  it('counts a seq delivered twice as a duplicate', () => {
    const v = new OrderingValidator();
    expect(feed(v, [1, 2, 2], 'a')).toEqual(['in-order', 'in-order', 'duplicate']);
    expect(v.report()).toMatchObject({ duplicateMessages: 1, violations: 1 });
    expect(v.report().firstViolations[0]?.message).toBe(
      'channel "a" seq 2 arrived again at message #3 (duplicate)',
    );
  });

  it('counts a seq below firstSeq as a duplicate', () => {
    const v = new OrderingValidator({ firstSeq: 10 });
    expect(feed(v, [10, 3], 'a')).toEqual(['in-order', 'duplicate']);
  });

  it('counts a stream that starts above firstSeq as a gap', () => {
    const v = new OrderingValidator({ firstSeq: 0 });
    feed(v, [2], 'a');
    expect(v.report()).toMatchObject({ sequenceGaps: 1, missingMessages: 2 });
  });

  it('keeps an independent sequence per channel in per-channel mode', () => {
    const v = new OrderingValidator({ mode: 'per-channel' });
    for (const m of [
      { channel: 'a', seq: 1 },
      { channel: 'b', seq: 1 },
      { channel: 'a', seq: 2 },
      { channel: 'b', seq: 2 },
    ]) {
      v.observe(m);
    }
    const r = v.report();
    expect(r.violations).toBe(0);
    expect(r.streams.map((s) => [s.channel, s.highestSeq])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('runs one sequence across every channel in strict mode', () => {
    const v = new OrderingValidator({ mode: 'strict' });
    expect(v.observe({ channel: 'a', seq: 1 })).toBe('in-order');
    expect(v.observe({ channel: 'b', seq: 1 })).toBe('duplicate');
    expect(v.observe({ channel: 'b', seq: 2 })).toBe('in-order');
    const r = v.report();
    expect(r.streams).toEqual([expect.objectContaining({ channel: null, highestSeq: 2, observed: 3 })]);
    expect(r.firstViolations[0]?.message).toBe('seq 1 arrived again at message #2 (duplicate)');
  });

  it('treats a message without a channel as channel ""', () => {
    const v = new OrderingValidator();
    feed(v, [1, 2]);
    expect(v.report().streams[0]?.channel).toBe('');
  });
});

describe('OrderingValidator reorder window', () => {
  it('classifies a seq at least reorderWindow below the highest, after a hole was forgotten, as beyond-window', () => {
    const v = new OrderingValidator({ reorderWindow: 4 });
    expect(feed(v, [1, 10, 3], 'a')).toEqual(['in-order', 'in-order', 'beyond-window']);
    const r = v.report();
    expect(r).toMatchObject({ beyondWindow: 1, missingMessages: 8, violations: 2 });
    expect(r.firstViolations[1]?.message).toBe(
      'channel "a" seq 3 arrived at message #3, at least reorderWindow (4) below seq 10 (beyond window: late or duplicate, cannot tell)',
    );
  });

  it('handles a jump of 2^50 seqs without iterating over them', () => {
    const v = new OrderingValidator();
    expect(feed(v, [1, 2 ** 50, 2, 2 ** 50 - 1], 'a')).toEqual([
      'in-order',
      'in-order',
      'beyond-window',
      'out-of-order',
    ]);
    expect(v.report()).toMatchObject({ sequenceGaps: 1, missingMessages: 2 ** 50 - 3, beyondWindow: 1 });
  });

  it('sequences up to Number.MAX_SAFE_INTEGER exactly', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const v = new OrderingValidator({ firstSeq: max - 2 });
    expect(feed(v, [max - 2, max, max - 1, max], 'a')).toEqual([
      'in-order',
      'in-order',
      'out-of-order',
      'duplicate',
    ]);
    expect(v.report()).toMatchObject({
      missingMessages: 0,
      streams: [expect.objectContaining({ highestSeq: max })],
    });
  });

  it('still detects a duplicate far below the highest when every seq up to it was delivered', () => {
    const v = new OrderingValidator({ reorderWindow: 4 });
    feed(v, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'a');
    expect(v.observe({ channel: 'a', seq: 2 })).toBe('duplicate');
  });

  it('classifies reordering within the window exactly across many window turns', () => {
    const v = new OrderingValidator({ reorderWindow: 8 });
    const seqs: number[] = [];
    for (let base = 0; base < 1000; base += 4) seqs.push(base + 2, base + 1, base + 4, base + 3);
    const verdicts = feed(v, seqs, 'a');
    expect(verdicts.filter((x) => x === 'out-of-order')).toHaveLength(500);
    expect(v.report()).toMatchObject({
      missingMessages: 0,
      duplicateMessages: 0,
      beyondWindow: 0,
      sequenceGaps: 500,
    });
  });
});

describe('OrderingValidator input validation', () => {
  it.each([
    [{ seq: -1 }, 'OrderingValidator.observe message.seq must be a non-negative safe integer, got -1'],
    [{ seq: 1.5 }, 'OrderingValidator.observe message.seq must be a non-negative safe integer, got 1.5'],
    [
      { seq: Number.NaN },
      'OrderingValidator.observe message.seq must be a non-negative safe integer, got NaN',
    ],
    [{ seq: '3' }, 'OrderingValidator.observe message.seq must be a non-negative safe integer, got "3"'],
    [
      { seq: 2 ** 53 },
      'OrderingValidator.observe message.seq must be a non-negative safe integer, got 9007199254740992',
    ],
    [{ seq: 1, channel: 5 }, 'OrderingValidator.observe message.channel must be a string, got 5'],
    [
      { seq: 1, priority: 256 },
      'OrderingValidator.observe message.priority must be an integer 0..255, got 256',
    ],
    [null, 'OrderingValidator.observe message must be an object, got null'],
  ])('rejects %o without recording anything', (message, text) => {
    const v = new OrderingValidator();
    const error = thrown(() => v.observe(message as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_ARGUMENT', message: text });
    expect(v.report()).toMatchObject({ observed: 0, streams: [] });
  });

  it('rejects a non-string receivedOn without recording anything', () => {
    const v = new OrderingValidator();
    const error = thrown(() => v.observe({ seq: 1 }, { receivedOn: 7 as never }));
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'OrderingValidator.observe receivedOn must be a string, got 7',
    });
    expect(v.report().observed).toBe(0);
  });
});

describe('OrderingValidator report and assert', () => {
  it('keeps at most maxViolations violations but complete counts', () => {
    const v = new OrderingValidator({ maxViolations: 2 });
    feed(v, [1, 1, 1, 1, 1], 'a');
    const r = v.report();
    expect(r.duplicateMessages).toBe(4);
    expect(r.firstViolations.map((x) => x.index)).toEqual([2, 3]);
  });

  it('returns a snapshot that later observations do not change', () => {
    const v = new OrderingValidator();
    feed(v, [1], 'a');
    const before = v.report();
    feed(v, [1], 'a');
    expect(before.duplicateMessages).toBe(0);
    expect(before.firstViolations).toHaveLength(0);
  });

  it('throws a ValidationError naming the counts and the first violations', () => {
    const v = new OrderingValidator();
    feed(v, [1, 2, 5, 3, 3], 'a');
    const error = thrown(() => v.assert());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_ORDERING_VIOLATION',
      message:
        'ordering: 3 violations (1 gap, 1 duplicate, 1 out of order) in 5 messages; first: ' +
        'channel "a" expected seq 3, got 5 at message #3 (gap of 2); ' +
        'channel "a" seq 3 arrived after seq 5 at message #4 (out of order); ' +
        'channel "a" seq 3 arrived again at message #5 (duplicate)',
    });
    expect((error as ValidationError).report).toEqual(v.report());
  });
});
