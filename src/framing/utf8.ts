/**
 * UTF-8 helpers for the codecs. Internal: never re-exported.
 *
 * The encoder and the strict decoder are created on first use (nothing happens at import time).
 * The decoder keeps a leading U+FEFF (`ignoreBOM: true`): the default would silently strip it.
 */

let encoder: InstanceType<typeof TextEncoder> | undefined;
let decoder: InstanceType<typeof TextDecoder> | undefined;
let scratch = new Uint8Array(0);

/** The largest scratch buffer kept between calls; bigger texts get a fresh allocation. */
const MAX_SCRATCH_BYTES = 1 << 20;

/** @returns the shared `TextEncoder` */
export function utf8Encoder(): InstanceType<typeof TextEncoder> {
  encoder ??= new TextEncoder();
  return encoder;
}

type WellFormedString = string & { isWellFormed?: () => boolean };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The check {@link isWellFormed} falls back to where `String.prototype.isWellFormed` is missing. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Tells whether a string has no lone surrogates, i.e. UTF-8 can carry it unchanged
 * (`TextEncoder` would replace a lone surrogate with U+FFFD).
 */
export function isWellFormed(text: string): boolean {
  const s = text as WellFormedString;
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !hasLoneSurrogate(text);
}

/**
 * Decodes UTF-8 strictly (invalid sequences throw a `TypeError`), keeping a leading BOM.
 * Short pure-ASCII input takes a fast path that skips `TextDecoder`.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
      return s;
    }
  }
  decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * Encodes a well-formed string as UTF-8 and returns a view of the bytes. The view may point into a
 * shared scratch buffer that the next call overwrites: copy it out before encoding again.
 */
export function encodeUtf8Transient(text: string): Uint8Array {
  const worst = text.length * 3;
  if (worst > MAX_SCRATCH_BYTES) return utf8Encoder().encode(text);
  if (scratch.length < worst) scratch = new Uint8Array(Math.max(worst, 1024));
  const { written } = utf8Encoder().encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

/** @returns the UTF-8 byte length of a well-formed string, without encoding it */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 code units, 4 bytes
      i += 1;
    } else bytes += 2;
  }
  return bytes;
}
