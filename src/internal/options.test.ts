import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, checkOneOf } from './options.js';

describe('checkNumber', () => {
  it('returns a value within the rule', () => {
    expect(checkNumber('x', 3, { min: 0, max: 5, integer: true })).toBe(3);
  });

  it.each([
    [Number.NaN, {}],
    [Number.POSITIVE_INFINITY, {}],
    ['3', {}],
    [2.5, { integer: true }],
    [-1, { min: 0 }],
    [0, { min: 0, exclusiveMin: true }],
    [6, { max: 5 }],
  ])('rejects %s under %o with WS_KIT_ERR_INVALID_OPTION', (value, rule) => {
    expect(() => checkNumber('opt', value, rule)).toThrowError(OptionsError);
    try {
      checkNumber('opt', value, rule);
    } catch (error) {
      expect((error as OptionsError).code).toBe('WS_KIT_ERR_INVALID_OPTION');
      expect((error as OptionsError).message).toMatch(/^opt must be/);
    }
  });

  it('uses WS_KIT_ERR_INVALID_ARGUMENT for arguments', () => {
    expect(() => checkNumber('arg', -1, { min: 0 }, 'argument')).toThrowError(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('checkOneOf', () => {
  it('accepts an allowed literal and rejects others', () => {
    expect(checkOneOf('mode', 'a', ['a', 'b'])).toBe('a');
    expect(() => checkOneOf('mode', 'c', ['a', 'b'])).toThrowError("mode must be one of 'a', 'b', got \"c\"");
  });
});

describe('checkKnownKeys', () => {
  it('rejects a misspelt option instead of ignoring it', () => {
    expect(() => checkKnownKeys('Meter', { sigificantDigits: 3 }, { significantDigits: 3 })).toThrowError(
      "Meter: unknown option 'sigificantDigits' (known: significantDigits)",
    );
  });
});
