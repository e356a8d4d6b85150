/**
 * Deterministic test-data generators for data-integrity tests: the same arguments and seed give
 * the same data on every platform. Pure and browser-safe.
 */
import { checkNumber } from '../internal/options.js';
import { createRandom, randomInt } from '../internal/random.js';
import { toBase64 } from './base64.js';
import type { JsonValue } from './frame.js';

type Random = () => number;

function checkCount(where: string, name: string, value: number, max: number): number {
  return checkNumber(`${where}: ${name}`, value, { integer: true, min: 0, max }, 'argument');
}

/** Largest size the byte generators accept: 256 MiB. */
const MAX_BYTES = 256 * 1024 * 1024;

/** Code point ranges by UTF-8 width, surrogates excluded. */
function codePointOfWidth(random: Random, width: number): number {
  switch (width) {
    case 1:
      return randomInt(random, 0x00, 0x7f);
    case 2:
      return randomInt(random, 0x80, 0x7ff);
    case 3: {
      const cp = randomInt(random, 0x800, 0xffff - 0x800);
      return cp >= 0xd800 ? cp + 0x800 : cp; // skip the surrogate block D800–DFFF
    }
    default:
      return randomInt(random, 0x10000, 0x10ffff);
  }
}

/**
 * Generates text whose UTF-8 encoding is exactly `bytes` long, mixing 1-, 2-, 3- and 4-byte
 * characters (ASCII including control characters, Latin/Greek/Cyrillic…, BMP, astral planes).
 * Never contains a surrogate half, so every codec carries it unchanged.
 *
 * @param bytes - the UTF-8 length, an integer in `[0, 2^28]`
 * @param seed - the seed of the generator
 * @returns the text
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a length out of range
 * @example
 * ```ts
 * new TextEncoder().encode(textOfBytes(1024)).length; // 1024
 * ```
 */
export function textOfBytes(bytes: number, seed = 1): string {
  checkCount('textOfBytes', 'bytes', bytes, MAX_BYTES);
  const random = createRandom(seed);
  const chunks: string[] = [];
  let codePoints: number[] = [];
  for (let left = bytes; left > 0; ) {
    const width = randomInt(random, 1, Math.min(4, left));
    codePoints.push(codePointOfWidth(random, width));
    left -= width;
    if (codePoints.length === 4096) {
      chunks.push(String.fromCodePoint(...codePoints));
      codePoints = [];
    }
  }
  chunks.push(String.fromCodePoint(...codePoints));
  return chunks.join('');
}

/**
 * Generates `bytes` pseudo-random bytes.
 *
 * @param bytes - the length, an integer in `[0, 2^28]`
 * @param seed - the seed of the generator
 * @returns the bytes
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a length out of range
 */
export function binaryOfBytes(bytes: number, seed = 1): Uint8Array {
  checkCount('binaryOfBytes', 'bytes', bytes, MAX_BYTES);
  const random = createRandom(seed);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4) {
    const word = random() * 2 ** 32;
    out[i] = word;
    if (i + 1 < bytes) out[i + 1] = word >>> 8;
    if (i + 2 < bytes) out[i + 2] = word >>> 16;
    if (i + 3 < bytes) out[i + 3] = word >>> 24;
  }
  return out;
}

/**
 * Generates a base64 blob: the padded standard base64 text of `bytes` pseudo-random bytes, as
 * applications embed files and images in JSON or text messages.
 *
 * @param bytes - how many bytes the blob encodes, an integer in `[0, 2^28]`
 * @param seed - the seed of the generator
 * @returns the base64 text, `4 × ceil(bytes / 3)` characters
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a length out of range
 */
export function base64Blob(bytes: number, seed = 1): string {
  return toBase64(binaryOfBytes(bytes, seed));
}

const WORDS = ['alpha', 'βήτα', 'гамма', 'דלתא', 'إبسيلون', '三', '🦊', 'e\u0301', ''];

function scalar(random: Random): JsonValue {
  switch (randomInt(random, 0, 6)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return randomInt(random, -1000, 1000); // 0 here is +0
    case 3:
      return randomInt(random, -(2 ** 30), 2 ** 30) * 2 ** 22 + 1; // beyond 2^32, within 2^53
    case 4:
      return (random() - 0.5) * 10 ** randomInt(random, -300, 300) || 0.5; // `|| 0.5` rules out ±0
    default:
      return WORDS[randomInt(random, 0, WORDS.length - 1)]!;
  }
}

/**
 * Generates nested JSON: `depth` levels of containers, alternating objects (even levels) and
 * arrays (odd levels), each holding `breadth` entries of which one is the next level and the
 * others are scalars. Size grows as depth × breadth (not breadth^depth). Depth 0 gives a scalar.
 *
 * @param depth - nesting levels, an integer in `[0, 10000]`
 * @param breadth - entries per level, an integer in `[1, 10000]`
 * @param seed - the seed of the generator
 * @returns a JSON value every codec carries exactly (no `-0`, `NaN` or `±Infinity`)
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a depth or breadth out of range
 */
export function nestedJson(depth: number, breadth: number, seed = 1): JsonValue {
  checkCount('nestedJson', 'depth', depth, 10_000);
  checkNumber('nestedJson: breadth', breadth, { integer: true, min: 1, max: 10_000 }, 'argument');
  const random = createRandom(seed);
  let node: JsonValue = scalar(random);
  for (let level = depth; level >= 1; level--) {
    const at = randomInt(random, 0, breadth - 1);
    if (level % 2 === 0) {
      const object: Record<string, JsonValue> = {};
      for (let i = 0; i < breadth; i++) object[`k${level}_${i}`] = i === at ? node : scalar(random);
      node = object;
    } else {
      const array: JsonValue[] = [];
      for (let i = 0; i < breadth; i++) array.push(i === at ? node : scalar(random));
      node = array;
    }
  }
  return node;
}

/**
 * Generates an array of `length` values of mixed JSON types: null, booleans, integers (small and
 * beyond 2^32), floats, strings in several scripts, and small arrays and objects.
 *
 * @param length - the number of elements, an integer in `[0, 2^24]`
 * @param seed - the seed of the generator
 * @returns the array; every codec carries it exactly
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a length out of range
 */
export function mixedArray(length: number, seed = 1): JsonValue[] {
  checkCount('mixedArray', 'length', length, 2 ** 24);
  const random = createRandom(seed);
  const out: JsonValue[] = [];
  for (let i = 0; i < length; i++) {
    switch (i % 9) {
      case 6:
        out.push([scalar(random), scalar(random)]);
        break;
      case 7:
        out.push({ id: i, value: scalar(random), tags: [scalar(random)] });
        break;
      case 8:
        out.push(random() < 0.5 ? [] : {});
        break;
      default:
        out.push(scalar(random));
    }
  }
  return out;
}

/**
 * Writes numbers as big-endian IEEE 754 float64 bytes, for sending floats in a binary payload,
 * which carries every value exactly (including `-0`, `±Infinity` and `NaN`).
 *
 * @param values - the numbers
 * @returns `8 × values.length` bytes
 */
export function float64Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!);
  return out;
}

/**
 * Reads big-endian IEEE 754 float64 values, the inverse of {@link float64Bytes}.
 *
 * @param bytes - a multiple of 8 bytes
 * @returns the numbers
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when the length is not a multiple of 8
 */
export function readFloat64s(bytes: Uint8Array): number[] {
  checkNumber('readFloat64s: bytes.length / 8', bytes.length / 8, { integer: true, min: 0 }, 'argument');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(i * 8));
}
