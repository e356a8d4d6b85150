/**
 * Strict base64 (RFC 4648 §4, standard alphabet, padded) without Node's `Buffer`, so it runs in
 * browsers too. Internal to framing: the JSON envelope carries binary payloads with it and the
 * test-data generators make base64 blobs with it.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

let encodeTable: Uint8Array | undefined;
let decodeTable: Int16Array | undefined;
let ascii: InstanceType<typeof TextDecoder> | undefined;

function tables(): [Uint8Array, Int16Array] {
  if (encodeTable === undefined || decodeTable === undefined) {
    encodeTable = new Uint8Array(64);
    decodeTable = new Int16Array(128).fill(-1);
    for (let i = 0; i < 64; i++) {
      const c = ALPHABET.charCodeAt(i);
      encodeTable[i] = c;
      decodeTable[c] = i;
    }
  }
  return [encodeTable, decodeTable];
}

/**
 * Encodes bytes as padded standard base64.
 *
 * @param bytes - the bytes
 * @returns the base64 text (length `4 × ceil(n / 3)`)
 */
export function toBase64(bytes: Uint8Array): string {
  const [enc] = tables();
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = enc[v >>> 18]!;
    out[o++] = enc[(v >>> 12) & 63]!;
    out[o++] = enc[(v >>> 6) & 63]!;
    out[o++] = enc[v & 63]!;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out[o++] = enc[v >>> 18]!;
    out[o++] = enc[(v >>> 12) & 63]!;
    out[o++] = two ? enc[(v >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  ascii ??= new TextDecoder();
  return ascii.decode(out);
}

/**
 * Decodes strict padded standard base64: no whitespace, no URL-safe alphabet, padding only at the
 * end, and zero unused bits, so every byte string has exactly one accepted encoding.
 *
 * @param text - the base64 text
 * @returns the bytes, or `undefined` when `text` is not strict base64
 */
export function fromBase64(text: string): Uint8Array | undefined {
  const [, dec] = tables();
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  let pad = 0;
  if (n > 0 && text.charCodeAt(n - 1) === PAD) pad = text.charCodeAt(n - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  let o = 0;
  const full = pad === 0 ? n : n - 4;
  for (let i = 0; i < full; i += 4) {
    const a = sextet(dec, text, i);
    const b = sextet(dec, text, i + 1);
    const c = sextet(dec, text, i + 2);
    const d = sextet(dec, text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = v >>> 8;
    out[o++] = v;
  }
  if (pad > 0) {
    const a = sextet(dec, text, n - 4);
    const b = sextet(dec, text, n - 3);
    const c = pad === 1 ? sextet(dec, text, n - 2) : 0;
    if ((a | b | c) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6);
    if ((pad === 2 ? v & 0xffff : v & 0xff) !== 0) return undefined; // non-zero unused bits
    out[o++] = v >>> 16;
    if (pad === 1) out[o] = v >>> 8;
  }
  return out;
}

/** @returns the 6-bit value of the character at `i`, or -1 when it is not in the alphabet */
function sextet(dec: Int16Array, text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? dec[c]! : -1;
}
