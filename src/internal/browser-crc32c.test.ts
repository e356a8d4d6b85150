import fc from 'fast-check';
import fastCrc32c from 'fast-crc32c';
import { describe, expect, it } from 'vitest';
import browserCrc32c from './browser-crc32c.js';

describe('browser CRC32C (crc-32) against fast-crc32c', () => {
  it('gives the RFC 3720 known answer', () => {
    expect(browserCrc32c.calculate(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(browserCrc32c.calculate(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('agrees on any bytes, any view offset, and when continued over chunks', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat(40),
        fc.nat(0xffffffff),
        (bytes, cut, initial) => {
          const view = bytes.subarray(Math.min(cut, bytes.length));
          expect(browserCrc32c.calculate(view)).toBe(fastCrc32c.calculate(view));
          expect(browserCrc32c.calculate(view, initial)).toBe(fastCrc32c.calculate(view, initial));
          const head = bytes.subarray(0, Math.min(cut, bytes.length));
          expect(browserCrc32c.calculate(view, browserCrc32c.calculate(head))).toBe(
            fastCrc32c.calculate(bytes),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
