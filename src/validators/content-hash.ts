/**
 * A content fingerprint for `DeliveryValidator` (internal; not exported from the package).
 *
 * CRC32C of the content's bytes (fast-crc32c, through framing's `crc32c`) combined with the byte
 * length: `(length mod 2^21) × 2^32 + crc`, a safe integer. A string is fingerprinted as its UTF-8
 * bytes (lone surrogates as U+FFFD, like `TextEncoder`), so a string and its encoded bytes match.
 * CRC32C detects every burst error up to 32 bits and every odd number of bit flips — the damage a
 * corruption check looks for; two unrelated contents of the same length collide with probability
 * about 2^-32. Browser-safe.
 */
import { crc32c } from '../framing/crc32c.js';

const TWO_POW_32 = 2 ** 32;
const LENGTH_MOD = 2 ** 21;
let encoder: InstanceType<typeof TextEncoder> | undefined;

/**
 * Fingerprints a message's content.
 *
 * @param content - a string (hashed as UTF-8) or bytes
 * @returns a non-negative integer below 2^53
 */
export function hashContent(content: string | Uint8Array): number {
  encoder ??= new TextEncoder();
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  return (bytes.byteLength % LENGTH_MOD) * TWO_POW_32 + crc32c(bytes);
}
