import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { ManualClock } from '../clock/manual-clock.js';
import { OptionsError, ValidationError } from '../errors.js';
import { DEFAULT_FAIRNESS_VALIDATOR_OPTIONS } from './fairness-options.js';
import { FairnessValidator } from './fairness-validator.js';

describe('FairnessValidator options', () => {
  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_FAIRNESS_VALIDATOR_OPTIONS)).toBe(true);
    expect(DEFAULT_FAIRNESS_VALIDATOR_OPTIONS).toMatchObject({
      starvationWindowMs: 1000,
      tolerance: 0.05,
      minJainIndex: 0.9,
      maxListed: 20,
    });
  });

  it.each([
    [{ starvationWindowMs: 0 }, 'FairnessValidator.starvationWindowMs must be a finite number > 0, got 0'],
    [{ tolerance: 1 }, 'FairnessValidator.tolerance must be a finite number >= 0 <= 0.999999, got 1'],
    [{ minJainIndex: 1.5 }, 'FairnessValidator.minJainIndex must be a finite number >= 0 <= 1, got 1.5'],
    [{ clock: {} }, 'FairnessValidator.clock must be a Clock (now, setTimeout, clearTimeout), got object'],
  ])('rejects the option %o with a coded error', (options, message) => {
    const error = thrown(() => new FairnessValidator(options as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION', message });
  });

  it('rejects an unknown option key', () => {
    expect(() => new FairnessValidator({ window: 5 } as never)).toThrowError(
      /^FairnessValidator: unknown option 'window'/,
    );
  });
});

describe('FairnessValidator Jain index', () => {
  it('is 1 when every client gets the same service', () => {
    const v = new FairnessValidator();
    for (const id of ['a', 'b', 'c']) v.serve(id, 10, 0);
    expect(v.report().jainIndex).toBe(1);
  });

  it('is 1/n when one of n registered clients gets everything', () => {
    const v = new FairnessValidator();
    v.register('a', { atMs: 0 });
    v.register('b', { atMs: 0 });
    v.register('c', { atMs: 0 });
    v.register('d', { atMs: 0 });
    v.serve('a', 10, 0);
    expect(v.report().jainIndex).toBeCloseTo(0.25, 12);
  });

  it('normalises service by weight', () => {
    const v = new FairnessValidator();
    v.register('free', { weight: 1, atMs: 0 });
    v.register('pro', { weight: 3, atMs: 0 });
    v.serve('free', 10, 0);
    v.serve('pro', 30, 0);
    const r = v.report();
    expect(r.jainIndex).toBe(1);
    expect(r.clients.map((c) => [c.id, c.normalised, c.share])).toEqual([
      ['free', 10, 0.25],
      ['pro', 10, 0.75],
    ]);
  });

  it('is 1 with no clients or no service at all', () => {
    expect(new FairnessValidator().report().jainIndex).toBe(1);
    const v = new FairnessValidator();
    v.register('a', { atMs: 0 });
    expect(v.report()).toMatchObject({ jainIndex: 1, totalService: 0 });
  });
});

describe('FairnessValidator starvation', () => {
  it('counts a client unserved while others are served over more than the window', () => {
    const v = new FairnessValidator({ starvationWindowMs: 100 });
    v.serve('a', 1, 0);
    v.serve('b', 1, 0);
    v.serve('a', 1, 50);
    v.serve('a', 1, 200); // others served from 50 to 200 while b waited
    v.serve('b', 1, 210);
    const r = v.report();
    expect(r.starvationEvents).toBe(1);
    expect(r.firstStarvations).toEqual([
      {
        client: 'b',
        sinceMs: 0,
        othersFromMs: 50,
        othersUntilMs: 200,
        otherClient: 'a',
        starvedMs: 150,
        ongoing: false,
      },
    ]);
    expect(r.clients.find((c) => c.id === 'b')?.starvationEvents).toBe(1);
  });

  it('does not count an idle period in which nobody was served', () => {
    const v = new FairnessValidator({ starvationWindowMs: 100 });
    v.serve('a', 1, 0);
    v.serve('b', 1, 50);
    v.serve('a', 1, 500);
    v.serve('b', 1, 510);
    expect(v.report().starvationEvents).toBe(0);
  });

  it('does not count others served over exactly the window', () => {
    const v = new FairnessValidator({ starvationWindowMs: 100 });
    v.serve('b', 1, 0);
    v.serve('a', 1, 10);
    v.serve('a', 1, 110);
    v.serve('b', 1, 120);
    expect(v.report().starvationEvents).toBe(0);
  });

  it('reports an ongoing starvation at report time and counts it once when it ends', () => {
    const v = new FairnessValidator({ starvationWindowMs: 100 });
    v.register('b', { atMs: 0 });
    v.serve('a', 1, 500);
    v.serve('a', 1, 700);
    const r = v.report();
    expect(r.starvationEvents).toBe(1);
    expect(r.firstStarvations[0]).toEqual({
      client: 'b',
      sinceMs: 0,
      othersFromMs: 500,
      othersUntilMs: 700,
      otherClient: 'a',
      starvedMs: 200,
      ongoing: true,
    });
    v.serve('b', 1, 800);
    expect(v.report().starvationEvents).toBe(1);
    expect(v.report().firstStarvations[0]?.ongoing).toBe(false);
  });

  it('reads the time from the injected clock', () => {
    const clock = new ManualClock(1000);
    const v = new FairnessValidator({ clock, starvationWindowMs: 100 });
    v.register('b');
    clock.advance(200);
    v.serve('a');
    clock.advance(200);
    v.serve('a');
    expect(v.report().firstStarvations[0]).toMatchObject({
      client: 'b',
      sinceMs: 1000,
      othersFromMs: 1200,
      othersUntilMs: 1400,
    });
  });
});

describe('FairnessValidator priority', () => {
  it('respects priority when a higher weight gets at least the normalised service of a lower one', () => {
    const v = new FairnessValidator();
    v.register('free', { weight: 1, atMs: 0 });
    v.register('pro', { weight: 2, atMs: 0 });
    v.serve('free', 10, 0);
    v.serve('pro', 19.5, 0); // 9.75 per weight ≥ 0.95 × 10
    expect(v.report().priorityRespected).toBe(true);
  });

  it('finds a higher weight served less per unit of weight beyond the tolerance', () => {
    const v = new FairnessValidator({ tolerance: 0.05 });
    v.register('free', { weight: 1, atMs: 0 });
    v.register('pro', { weight: 2, atMs: 0 });
    v.serve('free', 10, 0);
    v.serve('pro', 18, 0); // 9 per weight < 9.5
    const r = v.report();
    expect(r).toMatchObject({ priorityRespected: false, priorityInversions: 1 });
    expect(r.firstPriorityInversions).toEqual([
      {
        client: 'pro',
        weight: 2,
        normalised: 9,
        overtakenBy: 'free',
        overtakenByWeight: 1,
        overtakenByNormalised: 10,
      },
    ]);
  });

  it('does not compare clients of equal weight', () => {
    const v = new FairnessValidator({ minJainIndex: 0 });
    v.serve('a', 1, 0);
    v.serve('b', 100, 0);
    expect(v.report().priorityRespected).toBe(true);
  });
});

describe('FairnessValidator input validation', () => {
  it.each([
    [
      (v: FairnessValidator) => v.serve('a', 0, 0),
      'FairnessValidator.serve units must be a finite number > 0, got 0',
    ],
    [
      (v: FairnessValidator) => v.serve(null as never),
      'FairnessValidator.serve clientId must be a string or a finite number, got null',
    ],
    [
      (v: FairnessValidator) => v.register('a', { weight: -1 }),
      'FairnessValidator.register weight must be a finite number > 0, got -1',
    ],
    [
      (v: FairnessValidator) => v.serve('a', 1, Number.NaN),
      'FairnessValidator.serve atMs must be a finite number, got NaN',
    ],
  ])('rejects bad input with WS_KIT_ERR_INVALID_ARGUMENT (%#)', (call, message) => {
    const v = new FairnessValidator();
    const error = thrown(() => call(v));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_ARGUMENT', message });
    expect(v.report().clients).toHaveLength(0);
  });

  it('rejects a time earlier than the previous event', () => {
    const v = new FairnessValidator();
    v.serve('a', 1, 100);
    expect(() => v.serve('a', 1, 50)).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'FairnessValidator.serve atMs must be a finite number >= 100, got 50',
      }),
    );
    expect(v.report().totalService).toBe(1);
  });
});

describe('FairnessValidator assert', () => {
  it('passes a fair, starvation-free schedule', () => {
    const v = new FairnessValidator();
    for (let t = 0; t < 10; t++) for (const id of ['a', 'b']) v.serve(id, 1, t);
    expect(() => v.assert()).not.toThrow();
  });

  it('throws a ValidationError naming every failed check', () => {
    const v = new FairnessValidator({ starvationWindowMs: 100 });
    v.register('free', { weight: 1, atMs: 0 });
    v.register('pro', { weight: 2, atMs: 0 });
    v.serve('free', 10, 200);
    v.serve('free', 10, 400);
    const error = thrown(() => v.assert());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_FAIRNESS_VIOLATION',
      message:
        'fairness: Jain index 0.500 < 0.9 over 2 clients; ' +
        '1 starvation event; first: client "pro" unserved since 0 ms while others were served from 200 to 400 ms (200 ms > 100 ms, still unserved); ' +
        'priority not respected for 1 client; first: client "pro" (weight 2) got 0 per unit of weight, less than "free" (weight 1) with 20',
    });
    expect((error as ValidationError).report).toEqual(v.report());
  });
});
