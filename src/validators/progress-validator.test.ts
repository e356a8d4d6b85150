import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { ManualClock } from '../clock/manual-clock.js';
import { OptionsError, ValidationError } from '../errors.js';
import { DEFAULT_PROGRESS_VALIDATOR_OPTIONS } from './progress-options.js';
import type { ProgressUpdate } from './progress-report.js';
import { ProgressValidator } from './progress-validator.js';

/** Feeds updates 100 ms apart, starting at 0. */
function feed(v: ProgressValidator, updates: ProgressUpdate[]): void {
  updates.forEach((u, i) => {
    v.observe(u, i * 100);
  });
}

const steps = (total: number, values: number[]): ProgressUpdate[] =>
  values.map((current) => ({ current, total }));

describe('ProgressValidator options', () => {
  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_PROGRESS_VALIDATOR_OPTIONS)).toBe(true);
    expect(DEFAULT_PROGRESS_VALIDATOR_OPTIONS).toMatchObject({
      minRatePerSecond: undefined,
      maxRatePerSecond: undefined,
      percentTolerance: 0.5,
      requireCompletion: true,
      allowTotalChange: false,
      maxViolations: 20,
    });
  });

  it.each([
    [{ minRatePerSecond: 0 }, 'ProgressValidator.minRatePerSecond must be a finite number > 0, got 0'],
    [
      { maxRatePerSecond: Number.POSITIVE_INFINITY },
      'ProgressValidator.maxRatePerSecond must be a finite number > 0, got Infinity',
    ],
    [
      { minRatePerSecond: 5, maxRatePerSecond: 2 },
      'ProgressValidator.maxRatePerSecond must be a finite number >= 5, got 2',
    ],
    [{ percentTolerance: -1 }, 'ProgressValidator.percentTolerance must be a finite number >= 0, got -1'],
    [{ requireCompletion: 1 }, 'ProgressValidator.requireCompletion must be a boolean, got 1'],
  ])('rejects the option %o with a coded error', (options, message) => {
    const error = thrown(() => new ProgressValidator(options as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION', message });
  });

  it('rejects an unknown option key', () => {
    expect(() => new ProgressValidator({ minRate: 1 } as never)).toThrowError(
      /^ProgressValidator: unknown option 'minRate'/,
    );
  });
});

describe('ProgressValidator rules', () => {
  it('accepts a monotonic stream that completes at 100 %', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 0, total: 4, percent: 0 },
      { current: 1, total: 4, percent: 25 },
      { current: 4, total: 4, percent: 100 },
    ]);
    expect(v.report()).toMatchObject({ violations: 0, completed: true, percent: 100, stages: 1, updates: 3 });
    expect(() => v.assert()).not.toThrow();
  });

  it('flags current going back within a stage', () => {
    const v = new ProgressValidator();
    feed(v, steps(10, [2, 5, 4, 10]));
    const r = v.report();
    expect(r.counts.nonMonotonic).toBe(1);
    expect(r.firstViolations[0]).toEqual({
      kind: 'non-monotonic',
      index: 3,
      stage: undefined,
      message: 'update #3: current went back from 5 to 4 (non-monotonic)',
    });
  });

  it('accepts a repeated current', () => {
    const v = new ProgressValidator();
    feed(v, steps(10, [5, 5, 10, 10]));
    expect(v.report().violations).toBe(0);
  });

  it.each([
    [-1, 'update #1: current -1 outside [0, 10] (out of bounds)'],
    [11, 'update #1: current 11 outside [0, 10] (out of bounds)'],
  ])('flags current %d outside [0, total]', (current, message) => {
    const v = new ProgressValidator({ requireCompletion: false });
    v.observe({ current, total: 10 }, 0);
    expect(v.report().counts.outOfBounds).toBe(1);
    expect(v.report().firstViolations[0]?.message).toBe(message);
  });

  it('flags a total that changes within a stage', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 1, total: 10 },
      { current: 12, total: 12 },
    ]);
    expect(v.report().counts.totalChanged).toBe(1);
    expect(v.report().firstViolations[0]?.message).toBe(
      'update #2: total changed from 10 to 12 (total changed)',
    );
  });

  it('accepts a changing total when allowTotalChange is set', () => {
    const v = new ProgressValidator({ allowTotalChange: true });
    feed(v, [
      { current: 1, total: 10 },
      { current: 12, total: 12 },
    ]);
    expect(v.report().violations).toBe(0);
  });

  it('flags a percent farther than the tolerance from current/total', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 1, total: 3, percent: 33.5 },
      { current: 2, total: 3, percent: 67.5 },
      { current: 3, total: 3, percent: 100 },
    ]);
    const r = v.report();
    expect(r.counts.percentMismatch).toBe(1);
    expect(r.firstViolations[0]?.message).toBe(
      'update #2: percent 67.5 but current/total is 66.667 % (2/3); tolerance 0.5 points (percent mismatch)',
    );
  });

  it('expects 100 % for an empty job (total 0)', () => {
    const v = new ProgressValidator();
    v.observe({ current: 0, total: 0, percent: 100 }, 0);
    expect(v.report()).toMatchObject({ violations: 0, completed: true, percent: 100 });
  });
});

describe('ProgressValidator update rate', () => {
  it('flags an interval shorter than 1 / maxRatePerSecond', () => {
    const v = new ProgressValidator({ maxRatePerSecond: 10 });
    v.observe({ current: 1, total: 3 }, 0);
    v.observe({ current: 2, total: 3 }, 100);
    v.observe({ current: 3, total: 3 }, 150);
    const r = v.report();
    expect(r.counts.rateTooHigh).toBe(1);
    expect(r.firstViolations[0]?.message).toBe(
      'update #3: 50 ms after the previous update, 20 updates/s > maxRatePerSecond 10 (rate too high)',
    );
    expect(r).toMatchObject({ minIntervalMs: 50, maxIntervalMs: 100 });
  });

  it('flags an interval longer than 1 / minRatePerSecond', () => {
    const v = new ProgressValidator({ minRatePerSecond: 1 });
    v.observe({ current: 1, total: 2 }, 0);
    v.observe({ current: 2, total: 2 }, 1500);
    expect(v.report().counts.rateTooLow).toBe(1);
    expect(v.report().firstViolations[0]?.message).toBe(
      'update #2: 1500 ms after the previous update, 0.667 updates/s < minRatePerSecond 1 (rate too low)',
    );
  });

  it('treats two updates at the same time as an infinite rate', () => {
    const v = new ProgressValidator({ maxRatePerSecond: 1000 });
    v.observe({ current: 1, total: 2 }, 5);
    v.observe({ current: 2, total: 2 }, 5);
    expect(v.report().counts.rateTooHigh).toBe(1);
  });

  it('reads the time from the injected clock', () => {
    const clock = new ManualClock();
    const v = new ProgressValidator({ clock, maxRatePerSecond: 10 });
    v.observe({ current: 1, total: 2 });
    clock.advance(50);
    v.observe({ current: 2, total: 2 });
    expect(v.report()).toMatchObject({ minIntervalMs: 50, counts: { rateTooHigh: 1 } });
  });
});

describe('ProgressValidator stages and completion', () => {
  it('lets current start again in a new stage', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 5, total: 5, stage: 'upload' },
      { current: 0, total: 3, stage: 'process' },
      { current: 3, total: 3, stage: 'process' },
    ]);
    expect(v.report()).toMatchObject({ violations: 0, stages: 2, stage: 'process', completed: true });
  });

  it('names the stage in a violation found within it', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 5, total: 10, stage: 'upload' },
      { current: 4, total: 10, stage: 'upload' },
    ]);
    expect(v.report().firstViolations[0]?.message).toBe(
      'update #2 (stage "upload"): current went back from 5 to 4 (non-monotonic)',
    );
  });

  it('flags a stage left before it completed', () => {
    const v = new ProgressValidator();
    feed(v, [
      { current: 4, total: 10, stage: 'upload' },
      { current: 3, total: 3, stage: 'process' },
    ]);
    expect(v.report().firstViolations).toEqual([
      {
        kind: 'incomplete',
        index: 2,
        stage: 'upload',
        message: 'update #2: stage "upload" left at 40 % (4/10) when stage "process" began (incomplete)',
      },
    ]);
  });

  it('counts an unfinished stream as incomplete at report time without recording it', () => {
    const v = new ProgressValidator();
    feed(v, steps(10, [1, 4]));
    expect(v.report().firstViolations).toEqual([
      {
        kind: 'incomplete',
        index: 2,
        stage: undefined,
        message: 'progress ended at 40 % (4/10) after 2 updates (incomplete)',
      },
    ]);
    v.observe({ current: 10, total: 10 }, 1000);
    expect(v.report()).toMatchObject({ violations: 0, completed: true });
  });

  it('counts a stream without any update as incomplete', () => {
    expect(new ProgressValidator().report()).toMatchObject({
      violations: 1,
      firstViolations: [
        { kind: 'incomplete', index: 0, message: 'no progress update observed (incomplete)' },
      ],
    });
  });

  it('accepts an unfinished stream when requireCompletion is off', () => {
    const v = new ProgressValidator({ requireCompletion: false });
    feed(v, steps(10, [1, 4]));
    expect(v.report()).toMatchObject({ violations: 0, completed: false });
  });
});

describe('ProgressValidator input validation', () => {
  it.each([
    [
      { current: Number.NaN, total: 1 },
      'ProgressValidator.observe update.current must be a finite number, got NaN',
    ],
    [{ current: 1, total: '2' }, 'ProgressValidator.observe update.total must be a finite number, got "2"'],
    [
      { current: 1, total: 2, percent: Number.POSITIVE_INFINITY },
      'ProgressValidator.observe update.percent must be a finite number, got Infinity',
    ],
    [{ current: 1, total: 2, stage: 3 }, 'ProgressValidator.observe update.stage must be a string, got 3'],
    [null, 'ProgressValidator.observe update must be an object, got null'],
  ])('rejects %o without recording anything', (update, message) => {
    const v = new ProgressValidator();
    const error = thrown(() => v.observe(update as never, 0));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_ARGUMENT', message });
    expect(v.report().updates).toBe(0);
  });

  it('rejects a time earlier than the previous update', () => {
    const v = new ProgressValidator();
    v.observe({ current: 1, total: 2 }, 100);
    expect(() => v.observe({ current: 2, total: 2 }, 99)).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'ProgressValidator.observe atMs must be a finite number >= 100, got 99',
      }),
    );
    expect(v.report().updates).toBe(1);
  });
});

describe('ProgressValidator assert', () => {
  it('throws a ValidationError naming the counts and the first violations', () => {
    const v = new ProgressValidator();
    feed(v, steps(10, [2, 1, 11]));
    const error = thrown(() => v.assert());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_PROGRESS_VIOLATION',
      message:
        'progress: 2 violations (1 non-monotonic, 1 out-of-bounds) in 3 updates; first: ' +
        'update #2: current went back from 2 to 1 (non-monotonic); update #3: current 11 outside [0, 10] (out of bounds)',
    });
    expect((error as ValidationError).report).toEqual(v.report());
  });
});
