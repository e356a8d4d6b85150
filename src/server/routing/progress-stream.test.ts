import { describe, expect, it } from 'vitest';
import { ProgressValidator } from '../../validators/progress-validator.js';
import { progressStream } from './progress-stream.js';

describe('progressStream', () => {
  it('goes from 0 to total by step, clamping the last event to total', () => {
    expect([...progressStream({ total: 25, step: 10 })]).toEqual([
      { current: 0, total: 25, percent: 0, stage: undefined },
      { current: 10, total: 25, percent: 40, stage: undefined },
      { current: 20, total: 25, percent: 80, stage: undefined },
      { current: 25, total: 25, percent: 100, stage: undefined },
    ]);
  });

  it('runs every stage from 0 to total in order', () => {
    const events = [...progressStream({ total: 2, step: 1, stages: ['upload', 'scan'] })];
    expect(events.map((e) => `${e.stage}:${e.current}`)).toEqual([
      'upload:0',
      'upload:1',
      'upload:2',
      'scan:0',
      'scan:1',
      'scan:2',
    ]);
  });

  it('passes ProgressValidator, with stages and with a total not divisible by step', () => {
    for (const options of [{}, { total: 1_000, step: 7, stages: ['a', 'b', 'c'] }, { total: 3, step: 1 }]) {
      const validator = new ProgressValidator({ percentTolerance: 0.01 });
      let at = 0;
      for (const event of progressStream(options)) {
        at += 10;
        validator.observe(event, at);
      }
      expect(validator.report().violations).toBe(0);
      expect(() => validator.assert()).not.toThrow();
    }
  });

  it('yields one complete event for a total of 0', () => {
    expect([...progressStream({ total: 0 })]).toEqual([
      { current: 0, total: 0, percent: 100, stage: undefined },
    ]);
  });

  it('rejects a step of 0 when called, with a coded error', () => {
    expect(() => progressStream({ step: 0 })).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: 'progressStream.step must be a finite number > 0, got 0',
      }),
    );
  });
});
