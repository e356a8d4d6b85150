/**
 * Reading and changing the header of one raw WebSocket frame: pure, no sockets, no timers.
 *
 * @see RFC 6455 §5.2 (base framing), §5.3 (masking)
 */
import { OptionsError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import { concat } from './scan-unit.js';

/** Header facts of one raw WebSocket frame, as read by {@link readFrameHeader}. */
export interface FrameHeader {
  /** The FIN bit: the last frame of its message. */
  readonly fin: boolean;
  /** RSV1: set on the first frame of a permessage-deflate compressed message. */
  readonly rsv1: boolean;
  /** RSV2 (no standard meaning; set only by an unknown extension). */
  readonly rsv2: boolean;
  /** RSV3 (no standard meaning; set only by an unknown extension). */
  readonly rsv3: boolean;
  /** The opcode: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong; others reserved. */
  readonly opcode: number;
  /** Whether a 4-byte masking key follows the length (client → server frames). */
  readonly masked: boolean;
  /** The header size in bytes: 2 to 14, masking key included. */
  readonly headerBytes: number;
  /** The payload size in bytes; `Infinity` when the 64-bit length exceeds `Number.MAX_SAFE_INTEGER`. */
  readonly payloadBytes: number;
}

/**
 * Reads the header of the frame starting at `bytes[offset]`.
 *
 * @param bytes - bytes holding at least the start of a frame
 * @param offset - where the frame starts
 * @returns the header, or `undefined` when `bytes` ends before the header does
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `offset` is not an integer >= 0
 * @see RFC 6455 §5.2
 */
export function readFrameHeader(bytes: Uint8Array, offset = 0): FrameHeader | undefined {
  if (!Number.isInteger(offset) || offset < 0) {
    checkNumber('readFrameHeader offset', offset, { min: 0, integer: true }, 'argument');
  }
  if (bytes.length - offset < 2) return undefined;
  const b0 = bytes[offset]!;
  const b1 = bytes[offset + 1]!;
  const masked = (b1 & 0x80) !== 0;
  let payloadBytes = b1 & 0x7f;
  const lengthBytes = payloadBytes === 126 ? 2 : payloadBytes === 127 ? 8 : 0;
  const headerBytes = 2 + lengthBytes + (masked ? 4 : 0);
  if (bytes.length - offset < headerBytes) return undefined;
  if (lengthBytes === 2) payloadBytes = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  if (lengthBytes === 8) {
    const high = readUint32(bytes, offset + 2);
    payloadBytes =
      high > 0x1fffff ? Number.POSITIVE_INFINITY : high * 2 ** 32 + readUint32(bytes, offset + 6);
  }
  return {
    fin: (b0 & 0x80) !== 0,
    rsv1: (b0 & 0x40) !== 0,
    rsv2: (b0 & 0x20) !== 0,
    rsv3: (b0 & 0x10) !== 0,
    opcode: b0 & 0x0f,
    masked,
    headerBytes,
    payloadBytes,
  };
}

/**
 * Flips one payload bit of a frame, in a copy. Bit `bit` is bit `7 - bit % 8` (counting from the least
 * significant) of payload byte `Math.floor(bit / 8)`: bit 0 is the most significant bit of the first
 * payload byte. On a masked frame, flipping a masked bit flips the same bit of the unmasked payload.
 * On a compressed frame (RSV1) it corrupts the deflate stream, which the receiver may reject outright.
 *
 * @param frame - exactly one whole frame, header included
 * @param bit - the payload bit to flip, `0 <= bit < payloadBytes * 8`
 * @returns a copy of `frame` with that bit flipped; `frame` is unchanged
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `frame` is not one whole frame, has
 *   no payload, or `bit` is out of range
 * @see RFC 6455 §5.3
 */
export function flipPayloadBit(frame: Uint8Array, bit: number): Uint8Array {
  const header = readFrameHeader(frame);
  if (header === undefined || header.headerBytes + header.payloadBytes !== frame.length) {
    throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', 'flipPayloadBit needs exactly one whole frame', {
      received: frame.length,
    });
  }
  if (header.payloadBytes === 0) {
    throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', 'flipPayloadBit needs a frame with a payload', {
      expected: 'a payload of at least 1 byte',
      received: 0,
    });
  }
  checkNumber(
    'flipPayloadBit bit',
    bit,
    { min: 0, max: header.payloadBytes * 8 - 1, integer: true },
    'argument',
  );
  const copy = new Uint8Array(frame); // not frame.slice(): a Buffer's slice is a view of it
  copy[header.headerBytes + (bit >>> 3)]! ^= 0x80 >>> (bit & 7);
  return copy;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 0x1000000 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
}

/** The payload of a message's frames, unmasked and joined. */
export function unmaskedPayload(frames: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const frame of frames) {
    const h = readFrameHeader(frame);
    if (!h) continue;
    // a copy (`new Uint8Array(view)`): on a Node Buffer `slice` is a view, and unmasking it in place
    // would unmask the frame still on its way
    const body = new Uint8Array(frame.subarray(h.headerBytes, h.headerBytes + h.payloadBytes));
    if (h.masked) {
      const key = frame.subarray(h.headerBytes - 4, h.headerBytes);
      for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
    }
    parts.push(body);
  }
  return concat(parts);
}
