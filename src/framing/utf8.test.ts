import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8Transient, hasLoneSurrogate, isWellFormed, utf8Length } from './utf8.js';

/** `String.prototype.isWellFormed` (ES2024; the repo's TypeScript lib is ES2023). */
const nativeIsWellFormed = (text: string): boolean =>
  (text as string & { isWellFormed(): boolean }).isWellFormed();

describe('utf8 helpers', () => {
  it('counts UTF-8 bytes exactly as TextEncoder encodes them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
    );
  });

  it('finds lone surrogates with the fallback check exactly where isWellFormed does', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
        (text) => {
          expect(hasLoneSurrogate(text)).toBe(!nativeIsWellFormed(text));
          expect(isWellFormed(text)).toBe(nativeIsWellFormed(text));
        },
      ),
    );
  });

  it('decodes what it encodes, keeping a leading byte-order mark', () => {
    const text = '\ufeffhé😀';
    const bytes = encodeUtf8Transient(text).slice();
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
  });

  it('decodes a short ASCII range through the fast path', () => {
    const bytes = new TextEncoder().encode('xxchat:1yy');
    expect(decodeUtf8(bytes, 2, 8)).toBe('chat:1');
  });

  it('throws on invalid UTF-8 instead of inserting U+FFFD', () => {
    expect(() => decodeUtf8(Uint8Array.of(0x61, 0xc3), 0, 2)).toThrowError(TypeError);
    expect(() => decodeUtf8(Uint8Array.of(0xed, 0xa0, 0x80), 0, 3)).toThrowError(TypeError);
  });
});
