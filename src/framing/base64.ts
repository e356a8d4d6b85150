/**
 * Strict base64 (RFC 4648 §4, standard alphabet, padded) on top of `base64-js`, which runs the same
 * in Node and browsers (no `Buffer`, no `atob`). Internal to framing: the JSON envelope carries
 * binary payloads with it and the test-data generators make base64 blobs with it.
 *
 * `base64-js` decodes leniently (it maps unknown characters to 0), so {@link fromBase64} first
 * checks the text is canonical: alphabet, padding only at the end, zero unused bits — every byte
 * string then has exactly one accepted encoding.
 */
import { fromByteArray, toByteArray } from 'base64-js';

const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Encodes bytes as padded standard base64.
 *
 * @param bytes - the bytes
 * @returns the base64 text (length `4 × ceil(n / 3)`)
 */
export function toBase64(bytes: Uint8Array): string {
  return fromByteArray(bytes);
}

/**
 * Decodes strict padded standard base64: no whitespace, no URL-safe alphabet, padding only at the
 * end, and zero unused bits.
 *
 * @param text - the base64 text
 * @returns the bytes, or `undefined` when `text` is not strict base64
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!STRICT.test(text)) return undefined;
  const n = text.length;
  if (n > 0 && text.charCodeAt(n - 1) === 61 /* = */) {
    const two = text.charCodeAt(n - 2) === 61;
    const last = ALPHABET.indexOf(text[two ? n - 3 : n - 2]!);
    if ((last & (two ? 0b1111 : 0b11)) !== 0) return undefined; // non-zero unused bits
  }
  return toByteArray(text);
}
