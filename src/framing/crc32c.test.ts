import fc from 'fast-check';
import jsCrc32c from 'fast-crc32c/impls/js_crc32c.js';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { crc32c } from './crc32c.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('returns 0xE3069283 for "123456789" (the standard check value)', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('returns 0x8A9136AA for 32 zero bytes (RFC 3720 §B.4)', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('returns 0x62A8AB43 for 32 bytes of 0xFF (RFC 3720 §B.4)', () => {
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('returns 0x46DD794E for the bytes 0x00..0x1F ascending (RFC 3720 §B.4)', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it('returns 0x113FDB5C for the bytes 0x1F..0x00 descending (RFC 3720 §B.4)', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('returns 0 for empty input', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('checksums only the bytes a subarray view covers', () => {
    const buffer = ascii('xx123456789yy');
    expect(crc32c(buffer.subarray(2, 11))).toBe(0xe3069283);
  });

  it('continues a checksum over chunks when given the previous result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        expect(crc32c(bytes.subarray(at), crc32c(bytes.subarray(0, at)))).toBe(crc32c(bytes));
      }),
    );
  });

  it('agrees with the pure-JS implementation the browser build uses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat({ max: 0xffffffff }), (bytes, initial) => {
        expect(crc32c(bytes)).toBe(jsCrc32c.calculate(bytes));
        expect(crc32c(bytes, initial)).toBe(jsCrc32c.calculate(bytes, initial));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects input that is not a Uint8Array', () => {
    const call = () => crc32c('123456789' as unknown as Uint8Array);
    expect(call).toThrowError(OptionsError);
    expect(call).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'crc32c: bytes must be a Uint8Array, got "123456789"',
      }),
    );
  });

  it('rejects an initial value that is not an unsigned 32-bit integer', () => {
    for (const initial of [-1, 2 ** 32, 1.5, Number.NaN]) {
      const call = () => crc32c(new Uint8Array(1), initial);
      expect(call).toThrowError(OptionsError);
      expect(call).toThrowError(
        expect.objectContaining({
          code: 'WS_KIT_ERR_INVALID_ARGUMENT',
          message: `crc32c: initial must be an integer in [0, 4294967295], got ${initial}`,
        }),
      );
    }
  });
});
