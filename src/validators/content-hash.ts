/**
 * A 53-bit content fingerprint for `DeliveryValidator` (internal; not exported from the package).
 *
 * cyrb53 (two 32-bit multiply-xorshift lanes combined into 53 bits) over the content's bytes; a
 * string is hashed as its UTF-8 bytes (lone surrogates as U+FFFD, like `TextEncoder`), so a string
 * and its encoded bytes have the same fingerprint. Not cryptographic: two different contents share a
 * fingerprint with probability about 2^-53, which is what a delivery check needs. Pure JS, no
 * allocation, browser-safe.
 */

function mix(h1: number, h2: number): number {
  let a = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  a ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  let b = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/**
 * Fingerprints a message's content.
 *
 * @param content - a string (hashed as UTF-8) or bytes
 * @returns a non-negative integer below 2^53
 */
export function hashContent(content: string | Uint8Array): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  if (typeof content !== 'string') {
    for (let i = 0; i < content.length; i++) {
      const byte = content[i]!;
      h1 = Math.imul(h1 ^ byte, 2654435761);
      h2 = Math.imul(h2 ^ byte, 1597334677);
    }
    return mix(h1, h2);
  }
  for (let i = 0; i < content.length; i++) {
    let cp = content.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = content.charCodeAt(i + 1);
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    }
    // Emit the code point's UTF-8 bytes (1 to 4) into both lanes.
    let count: number;
    let lead: number;
    if (cp < 0x80) {
      count = 0;
      lead = cp;
    } else if (cp < 0x800) {
      count = 1;
      lead = 0xc0 | (cp >> 6);
    } else if (cp < 0x10000) {
      count = 2;
      lead = 0xe0 | (cp >> 12);
    } else {
      count = 3;
      lead = 0xf0 | (cp >> 18);
    }
    h1 = Math.imul(h1 ^ lead, 2654435761);
    h2 = Math.imul(h2 ^ lead, 1597334677);
    for (let shift = (count - 1) * 6; shift >= 0; shift -= 6) {
      const byte = 0x80 | ((cp >> shift) & 0x3f);
      h1 = Math.imul(h1 ^ byte, 2654435761);
      h2 = Math.imul(h2 ^ byte, 1597334677);
    }
  }
  return mix(h1, h2);
}
