import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashContent } from './content-hash.js';

describe('hashContent', () => {
  it('hashes a string like its UTF-8 bytes, lone surrogates included', () => {
    const anyUtf16 = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 })
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(fc.oneof(anyUtf16, fc.string({ unit: 'binary' })), (text) => {
        expect(hashContent(text)).toBe(hashContent(new TextEncoder().encode(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('returns a non-negative integer below 2^53', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const h = hashContent(bytes);
        expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
      }),
    );
  });

  it('tells apart contents that differ in one byte (CRC32C catches every burst up to 32 bits)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, flip) => {
          const other = bytes.slice();
          const i = at % bytes.length;
          other[i] = other[i]! ^ flip;
          expect(hashContent(other)).not.toBe(hashContent(bytes));
        },
      ),
    );
  });
});

describe('hashContent length', () => {
  it('tells apart contents of different lengths', () => {
    expect(hashContent(new Uint8Array(3))).not.toBe(hashContent(new Uint8Array(4)));
  });
});
