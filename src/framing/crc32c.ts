import fastCrc32c from 'fast-crc32c';
import { OptionsError } from '../errors.js';
import { formatValue } from '../internal/options.js';

const calculate = fastCrc32c.calculate;

/**
 * Computes the CRC32C (Castagnoli, the checksum of iSCSI, SCTP and ext4) of `bytes`.
 *
 * In Node this runs on `fast-crc32c`'s SSE4.2 hardware path when its native module is present
 * (several GB/s); the browser build uses its pure-JS table implementation, which gives the same
 * results. Pass a previous result as `initial` to continue a checksum over several chunks:
 * `crc32c(b, crc32c(a))` equals `crc32c(concat(a, b))`.
 *
 * @param bytes - the data (any `Uint8Array`, including a `subarray` view or a Node `Buffer`)
 * @param initial - the CRC32C of the preceding data, an integer in `[0, 2^32 − 1]`; omit it (or pass 0) to start fresh
 * @returns the CRC32C as an unsigned 32-bit integer
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `bytes` is not a `Uint8Array` or `initial` is not an unsigned 32-bit integer
 * @see RFC 3720 §B.4 for the polynomial and known answers (`"123456789"` → `0xE3069283`)
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283
 * ```
 */
export function crc32c(bytes: Uint8Array, initial?: number): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `crc32c: bytes must be a Uint8Array, got ${formatValue(bytes)}`,
      { expected: 'Uint8Array', received: bytes },
    );
  }
  if (initial === undefined) return calculate(bytes);
  if (typeof initial !== 'number' || initial >>> 0 !== initial) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `crc32c: initial must be an integer in [0, 4294967295], got ${formatValue(initial)}`,
      { expected: 'an integer in [0, 4294967295]', received: initial },
    );
  }
  return calculate(bytes, initial);
}

/**
 * {@link crc32c} without argument checks, for the codecs' hot paths. Not re-exported.
 *
 * @internal
 */
export const crc32cUnchecked: (bytes: Uint8Array) => number = calculate;
