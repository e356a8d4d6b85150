import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('base64', () => {
  it('encodes the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(toBase64(ascii(plain))).toBe(encoded);
      expect(fromBase64(encoded)).toEqual(ascii(plain));
    }
  });

  it('agrees with Node Buffer base64 and round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects text that is not strict padded standard base64', () => {
    for (const bad of [
      'Zg',
      'Zg=',
      'Z===',
      'Zm9v\n',
      'Zm-v',
      'Zm_v',
      'Zh==',
      'Zm9=',
      'Zg==Zg==',
      '=Zg=',
      'Zé==',
    ]) {
      expect(fromBase64(bad), bad).toBeUndefined();
    }
  });
});
