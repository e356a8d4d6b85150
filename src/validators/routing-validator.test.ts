import { describe, expect, it } from 'vitest';
import { OptionsError, ValidationError } from '../errors.js';
import type { RoutingReport } from './routing-report.js';
import { RoutingValidator } from './routing-validator.js';

describe('RoutingValidator', () => {
  it('reports no violation when every addressee got exactly its messages', () => {
    const v = new RoutingValidator();
    v.addressed('m1', ['a', 'b']);
    v.addressed('m2', ['c']);
    v.delivered('m1', 'a');
    v.delivered('m1', 'b');
    v.delivered('m2', 'c');
    const r = v.report();
    expect(r).toMatchObject({ messages: 2, addressed: 3, delivered: 3, received: 3, violations: 0 });
    expect(() => v.assert()).not.toThrow();
  });

  it('counts a delivery to a non-addressee as leaked', () => {
    const v = new RoutingValidator();
    v.addressed('m1', ['a']);
    v.delivered('m1', 'a');
    v.delivered('m1', 'b');
    v.delivered('m1', 'b');
    const r = v.report();
    expect(r.leaked).toBe(2);
    expect(r.firstLeaked).toEqual([{ messageId: 'm1', recipientId: 'b' }]);
    expect(r.recipients.find((c) => c.recipientId === 'b')).toEqual({
      recipientId: 'b',
      addressed: 0,
      delivered: 2,
      received: 0,
      missing: 0,
      leaked: 2,
      duplicated: 0,
      unknown: 0,
    });
  });

  it('counts an addressee that never got the message as missing', () => {
    const v = new RoutingValidator();
    v.addressed('m1', ['a', 'b']);
    v.delivered('m1', 'a');
    const r = v.report();
    expect(r).toMatchObject({ missing: 1, received: 1, violations: 1 });
    expect(r.firstMissing).toEqual([{ messageId: 'm1', recipientId: 'b' }]);
  });

  it('counts copies beyond the first to an addressee as duplicated, listing the pair once', () => {
    const v = new RoutingValidator();
    v.addressed(1, [10]);
    for (let k = 0; k < 3; k++) v.delivered(1, 10);
    const r = v.report();
    expect(r).toMatchObject({ duplicated: 2, received: 1, delivered: 3 });
    expect(r.firstDuplicated).toEqual([{ messageId: 1, recipientId: 10 }]);
  });

  it('counts deliveries of ids never addressed as unknown', () => {
    const v = new RoutingValidator();
    v.delivered('ghost', 'a');
    v.delivered('ghost', 'b');
    const r = v.report();
    expect(r).toMatchObject({ messages: 0, unknownMessages: 1, unknownDeliveries: 2, violations: 2 });
    expect(r.firstUnknown).toEqual([
      { messageId: 'ghost', recipientId: 'a' },
      { messageId: 'ghost', recipientId: 'b' },
    ]);
  });

  it('treats every delivery of a message addressed to nobody as a leak', () => {
    const v = new RoutingValidator();
    v.addressed('m1', []);
    v.delivered('m1', 'a');
    expect(v.report()).toMatchObject({ messages: 1, addressed: 0, leaked: 1, unknownDeliveries: 0 });
  });

  it('classifies a delivery recorded before its addressed call against the final addressees', () => {
    const v = new RoutingValidator();
    v.delivered('m1', 'a');
    v.addressed('m1', ['a']);
    v.addressed('m1', ['b']);
    v.delivered('m1', 'b');
    expect(v.report()).toMatchObject({ addressed: 2, received: 2, violations: 0 });
  });

  it('tells ids 1 and "1" apart', () => {
    const v = new RoutingValidator();
    v.addressed(1, ['a']);
    v.delivered('1', 'a');
    expect(v.report()).toMatchObject({ missing: 1, unknownDeliveries: 1 });
  });

  it('keeps at most maxListed pairs per list but complete counts', () => {
    const v = new RoutingValidator({ maxListed: 2 });
    for (let m = 0; m < 5; m++) v.addressed(m, ['a']);
    const r = v.report();
    expect(r.missing).toBe(5);
    expect(r.firstMissing).toHaveLength(2);
  });

  it('throws a ValidationError naming the first leaked and missing pairs', () => {
    const v = new RoutingValidator();
    v.addressed('m1', ['a', 'b']);
    v.delivered('m1', 'a');
    v.delivered('m1', 'c');
    let error: unknown;
    try {
      v.assert();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const ve = error as ValidationError<RoutingReport>;
    expect(ve.code).toBe('WS_KIT_ERR_ROUTING_VIOLATION');
    expect(ve.message).toBe(
      'routing: 1 messages addressed to 2 recipient pairs, 2 delivered; 1 leaked, 1 missing, 0 duplicated, 0 unknown; ' +
        'first leaked: "m1" → "c"; first missing: "m1" → "b"',
    );
    expect(ve.report.leaked).toBe(1);
  });

  it('accepts duplicates and unknown ids in assert() only when allowed, still counting them', () => {
    const v = new RoutingValidator({ allowDuplicates: true, allowUnknown: true });
    v.addressed('m1', ['a']);
    v.delivered('m1', 'a');
    v.delivered('m1', 'a');
    v.delivered('x', 'a');
    expect(() => v.assert()).not.toThrow();
    expect(v.report()).toMatchObject({ duplicated: 1, unknownDeliveries: 1 });
    const strict = new RoutingValidator();
    strict.addressed('m1', ['a']);
    strict.delivered('m1', 'a');
    strict.delivered('m1', 'a');
    expect(() => strict.assert()).toThrowError('first duplicated: "m1" → "a"');
  });

  it('rejects invalid ids and options with coded errors, recording nothing', () => {
    const v = new RoutingValidator();
    const bad = () => v.addressed('m1', 'ab' as unknown as string[]);
    expect(bad).toThrowError(OptionsError);
    expect(bad).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'RoutingValidator.addressed recipientIds must be an iterable of ids, got "ab"',
      }),
    );
    expect(() => v.addressed('m1', ['a', Number.NaN])).toThrowError(
      'RoutingValidator.addressed recipient id must be a string or a finite number, got NaN',
    );
    expect(() => v.delivered('m1', {} as unknown as string)).toThrowError(
      'RoutingValidator.delivered recipientId',
    );
    expect(v.report()).toMatchObject({ messages: 0, delivered: 0 });
    expect(() => new RoutingValidator({ maxListed: -1 })).toThrowError(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_OPTION' }),
    );
  });
});
