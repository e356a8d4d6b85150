import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { OptionsError, ValidationError } from '../errors.js';
import { DEFAULT_DELIVERY_VALIDATOR_OPTIONS } from './delivery-options.js';
import { DeliveryValidator } from './delivery-validator.js';

describe('DeliveryValidator options', () => {
  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_DELIVERY_VALIDATOR_OPTIONS)).toBe(true);
    expect(DEFAULT_DELIVERY_VALIDATOR_OPTIONS).toEqual({
      maxListed: 20,
      allowDuplicates: false,
      allowUnexpected: false,
    });
  });

  it('rejects an unknown option key', () => {
    const error = thrown(() => new DeliveryValidator({ allowDupes: true } as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION' });
    expect((error as Error).message).toMatch(/^DeliveryValidator: unknown option 'allowDupes'/);
  });

  it('rejects a non-boolean allowDuplicates', () => {
    const error = thrown(() => new DeliveryValidator({ allowDuplicates: 'yes' as never }));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_OPTION',
      message: 'DeliveryValidator.allowDuplicates must be a boolean, got "yes"',
    });
  });
});

describe('DeliveryValidator counts', () => {
  it('reports a complete intact delivery as accurate and complete', () => {
    const v = new DeliveryValidator();
    v.expected([1, 2, 3]);
    expect([1, 2, 3].map((id) => v.received(id))).toEqual(['intact', 'intact', 'intact']);
    expect(v.report()).toMatchObject({
      sent: 3,
      received: 3,
      unique: 3,
      intact: 3,
      lost: 0,
      accuracy: 1,
      completeness: 1,
    });
    expect(() => v.assert()).not.toThrow();
  });

  it('counts an id never received as lost and lists it', () => {
    const v = new DeliveryValidator();
    v.expected(['a', 'b', 'c']);
    v.received('b');
    const r = v.report();
    expect(r).toMatchObject({ lost: 2, completeness: 1 / 3, accuracy: 1, firstLost: ['a', 'c'] });
  });

  it('counts every delivery beyond the first as duplicated', () => {
    const v = new DeliveryValidator();
    v.expected([1]);
    expect([v.received(1), v.received(1), v.received(1)]).toEqual(['intact', 'duplicate', 'duplicate']);
    const r = v.report();
    expect(r).toMatchObject({ received: 3, unique: 1, duplicated: 2, intact: 1, firstDuplicated: [1] });
    expect(r.accuracy).toBeCloseTo(1 / 3, 12);
  });

  it('counts a delivery of an undeclared id as unexpected', () => {
    const v = new DeliveryValidator();
    expect(v.received('ghost', { channel: 'x' })).toBe('unexpected');
    const r = v.report();
    expect(r).toMatchObject({ unexpected: 1, received: 1, accuracy: 0, firstUnexpected: ['ghost'] });
    expect(r.channels).toEqual([expect.objectContaining({ channel: 'x', unexpected: 1, sent: 0 })]);
  });

  it('tells numeric and string ids apart', () => {
    const v = new DeliveryValidator();
    v.expected([1]);
    expect(v.received('1')).toBe('unexpected');
  });

  it('reports accuracy and completeness 1 when nothing was declared or received', () => {
    expect(new DeliveryValidator().report()).toMatchObject({
      accuracy: 1,
      completeness: 1,
      sent: 0,
      received: 0,
    });
  });
});

describe('DeliveryValidator corruption', () => {
  it('flags a delivery whose checksum differs from the sent one', () => {
    const v = new DeliveryValidator();
    v.sent('m', { checksum: 0xe3069283 });
    expect(v.received('m', { checksum: 0x12345678 })).toBe('corrupted');
    const r = v.report();
    expect(r).toMatchObject({ corrupted: 1, intact: 0, unique: 1, lost: 0, completeness: 0 });
    expect(r.firstCorrupted).toEqual([
      { id: 'm', reason: 'checksum', expected: 0xe3069283, received: 0x12345678 },
    ]);
  });

  it('flags a delivery whose content differs from the sent content', () => {
    const v = new DeliveryValidator();
    v.sent(1, { content: 'hello' });
    expect(v.received(1, { content: 'hellO' })).toBe('corrupted');
    expect(v.report().firstCorrupted[0]?.reason).toBe('content');
  });

  it('accepts received bytes equal to the UTF-8 of the sent string', () => {
    const v = new DeliveryValidator();
    v.sent(1, { content: 'héllo 🌍' });
    expect(v.received(1, { content: new TextEncoder().encode('héllo 🌍') })).toBe('intact');
  });

  it('flags a delivery the receiver marked corrupted', () => {
    const v = new DeliveryValidator();
    v.sent(1);
    expect(v.received(1, { corrupted: true })).toBe('corrupted');
    expect(v.report().firstCorrupted).toEqual([
      { id: 1, reason: 'flagged', expected: undefined, received: undefined },
    ]);
  });

  it('flags a delivery on another channel than the one it was sent on', () => {
    const v = new DeliveryValidator();
    v.sent(1, { channel: 'a' });
    expect(v.received(1, { channel: 'b' })).toBe('corrupted');
    expect(v.report().firstCorrupted[0]).toMatchObject({ reason: 'channel', expected: 'a', received: 'b' });
  });

  it('counts an intact resend after a corrupted copy as intact and duplicated', () => {
    const v = new DeliveryValidator();
    v.sent(1, { checksum: 7 });
    v.received(1, { checksum: 8 });
    expect(v.received(1, { checksum: 7 })).toBe('intact');
    expect(v.report()).toMatchObject({
      intact: 1,
      corrupted: 1,
      duplicated: 1,
      completeness: 1,
      accuracy: 0.5,
    });
  });
});

describe('DeliveryValidator per channel', () => {
  it('keeps counts per sent channel', () => {
    const v = new DeliveryValidator();
    v.expected([1, 2], { channel: 'a' });
    v.expected([3], { channel: 'b' });
    v.received(1);
    v.received(3);
    v.received(3);
    const byChannel = Object.fromEntries(v.report().channels.map((c) => [c.channel, c]));
    expect(byChannel.a).toMatchObject({ sent: 2, received: 1, lost: 1, completeness: 0.5 });
    expect(byChannel.b).toMatchObject({ sent: 1, received: 2, duplicated: 1, accuracy: 0.5 });
  });
});

describe('DeliveryValidator declarations', () => {
  it('ignores an identical re-declaration (a resend)', () => {
    const v = new DeliveryValidator();
    v.sent(1, { channel: 'a', checksum: 5 });
    v.sent(1, { channel: 'a', checksum: 5 });
    expect(v.report().sent).toBe(1);
  });

  it('rejects a conflicting re-declaration without recording it', () => {
    const v = new DeliveryValidator();
    v.sent(1, { checksum: 5 });
    const error = thrown(() => v.sent(1, { checksum: 6 }));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message:
        'DeliveryValidator.sent: id 1 was already declared with a different channel, checksum or content',
    });
    expect(v.received(1, { checksum: 5 })).toBe('intact');
  });

  it('records none of a batch of expected ids when one is invalid', () => {
    const v = new DeliveryValidator();
    const error = thrown(() => v.expected([1, 2, Number.NaN]));
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'DeliveryValidator.expected id must be a string or a finite number, got NaN',
    });
    expect(v.report().sent).toBe(0);
  });

  it.each([
    [
      () => new DeliveryValidator().received({} as never),
      'DeliveryValidator.received id must be a string or a finite number, got object',
    ],
    [
      () => new DeliveryValidator().sent(1, { checksum: Number.NaN }),
      'DeliveryValidator.sent info.checksum must be a finite number, got NaN',
    ],
    [
      () => new DeliveryValidator().sent(1, { content: 5 as never }),
      'DeliveryValidator.sent info.content must be a string or a Uint8Array, got 5',
    ],
    [
      () => new DeliveryValidator().received(1, { corrupted: 1 as never }),
      'DeliveryValidator.received info.corrupted must be a boolean, got 1',
    ],
    [
      () => new DeliveryValidator().received(1, { channel: 2 as never }),
      'DeliveryValidator.received info.channel must be a string, got 2',
    ],
    [
      () => new DeliveryValidator().expected(5 as never),
      'DeliveryValidator.expected ids must be an iterable of ids, got 5',
    ],
  ])('rejects bad input with WS_KIT_ERR_INVALID_ARGUMENT (%#)', (fn, message) => {
    const error = thrown(fn);
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_ARGUMENT', message });
  });

  it('records nothing for a rejected delivery', () => {
    const v = new DeliveryValidator();
    v.expected([1]);
    thrown(() => v.received(1, { corrupted: 'no' as never }));
    expect(v.report()).toMatchObject({ received: 0, lost: 1 });
  });
});

describe('DeliveryValidator assert', () => {
  it('throws a ValidationError naming the counts and the first problem ids', () => {
    const v = new DeliveryValidator();
    v.sent('a', { checksum: 1 });
    v.sent('b', { checksum: 2 });
    v.sent('c');
    v.received('a', { checksum: 9 });
    v.received('c');
    v.received('c');
    const error = thrown(() => v.assert());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_DELIVERY_VIOLATION',
      message:
        'delivery: 3 sent, 3 received; 1 lost, 1 duplicated, 1 corrupted, 0 unexpected; first lost: "b"; ' +
        'first corrupted: "a" (checksum: expected 1, got 9); first duplicated: "c"',
    });
    expect((error as ValidationError).report).toEqual(v.report());
  });

  it('passes duplicates and unexpected ids when the options allow them', () => {
    const v = new DeliveryValidator({ allowDuplicates: true, allowUnexpected: true });
    v.expected([1]);
    v.received(1);
    v.received(1);
    v.received(2);
    expect(() => v.assert()).not.toThrow();
  });

  it('still fails on duplicates that are not allowed', () => {
    const v = new DeliveryValidator({ allowUnexpected: true });
    v.expected([1]);
    v.received(1);
    v.received(1);
    expect(() => v.assert()).toThrowError(expect.objectContaining({ code: 'WS_KIT_ERR_DELIVERY_VIOLATION' }));
  });

  it('keeps at most maxListed ids per list', () => {
    const v = new DeliveryValidator({ maxListed: 2 });
    v.expected([1, 2, 3, 4]);
    expect(v.report().firstLost).toEqual([1, 2]);
    expect(v.report().lost).toBe(4);
  });
});
