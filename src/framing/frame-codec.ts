/**
 * The binary codec of wire protocol `semantest-v1`. docs/protocol.md holds the byte layout and
 * the hex test vectors that vectors.test.ts checks against this code.
 */
import { FrameError, type WsKitErrorCode } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { checkFrameInit } from './check-frame.js';
import { crc32cUnchecked } from './crc32c.js';
import {
  type Frame,
  type FrameCodecOptions,
  type FrameInit,
  type FramePayload,
  KIND_BY_CODE,
  PAYLOAD_KIND_BY_CODE,
  PAYLOAD_KIND_CODES,
  PROTOCOL_VERSION,
  resolveMaxPayload,
} from './frame.js';
import { allocate, readF64, readU32, writeF64, writeU32 } from './frame-bytes.js';
import { parseJson, stringifyJsonPayload } from './json-value.js';
import { decodeUtf8, encodeUtf8Transient, utf8Encoder } from './utf8.js';

/** Bytes before the channel: version, kind, flags, priority, seq, timestamp, payload length, channel length. */
export const FRAME_HEADER_BYTES = 25;
/** The smallest valid frame: the fixed header plus the CRC32C, with an empty channel and payload. */
export const MIN_FRAME_BYTES = FRAME_HEADER_BYTES + 4;

const TWO_32 = 2 ** 32;
/** The largest high word of a sequence number that keeps it ≤ 2^53 − 1. */
const MAX_SEQ_HIGH = 0x1fffff;

const channelCache = new Map<string, Uint8Array>();
function channelBytes(channel: string): Uint8Array {
  let bytes = channelCache.get(channel);
  if (bytes === undefined) {
    if (channelCache.size >= 256) channelCache.clear();
    bytes = utf8Encoder().encode(channel);
    channelCache.set(channel, bytes);
  }
  return bytes;
}

function fail(
  code: WsKitErrorCode,
  message: string,
  context: { expected?: unknown; received?: unknown; cause?: unknown; seq?: number },
): never {
  throw new FrameError(code, message, context);
}

function tooLarge(where: string, size: number, max: number): never {
  fail('WS_KIT_ERR_FRAME_TOO_LARGE', `${where}: payload of ${size} bytes exceeds maxPayloadBytes ${max}`, {
    expected: max,
    received: size,
  });
}

/**
 * Encodes a frame in the binary layout of `semantest-v1` (docs/protocol.md).
 *
 * Missing fields take their defaults (version 1, kind `data`, channel `''`, priority 0, seq 0,
 * empty binary payload); the timestamp is always the caller's. The output is a
 * `Uint8Array` of exactly the frame's length, ending with the CRC32C of every byte before it.
 *
 * Like a Node `Buffer`, a small frame (up to 2 KiB) is a view into a shared `ArrayBuffer`: send,
 * store or copy the `Uint8Array` itself (`ws.send(bytes)`, `socket.send(bytes)`, `bytes.slice()`),
 * never `bytes.buffer` on its own, and do not transfer `bytes.buffer` to a worker.
 *
 * @param frame - the frame to encode
 * @param options - codec options; see {@link FrameCodecOptions}
 * @returns the encoded frame
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_VERSION` (version other than 1),
 *   `WS_KIT_ERR_FRAME_KIND` (unknown kind), `WS_KIT_ERR_FRAME_MALFORMED` (unknown key; channel,
 *   priority, seq or timestamp out of range), `WS_KIT_ERR_FRAME_PAYLOAD_KIND` (payload data that
 *   does not match its kind, text with lone surrogates), `WS_KIT_ERR_FRAME_INVALID_JSON` (a JSON
 *   payload that JSON cannot carry exactly), `WS_KIT_ERR_FRAME_TOO_LARGE` (payload over `maxPayloadBytes`)
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for invalid options
 * @example
 * ```ts
 * const bytes = encodeFrame({ channel: 'chat:1', seq: 1, timestamp: 1700000000000.25, payload: { kind: 'text', data: 'hi' } });
 * decodeFrame(bytes).payload; // { kind: 'text', data: 'hi' }
 * ```
 */
export function encodeFrame(frame: FrameInit, options?: FrameCodecOptions): Uint8Array {
  const max = resolveMaxPayload('encodeFrame', options);
  const f = checkFrameInit(frame, 'encodeFrame');
  const payload = f.payload;
  let body: Uint8Array;
  if (payload.kind === 'binary') {
    body = payload.data;
  } else {
    const text =
      payload.kind === 'text'
        ? payload.data
        : stringifyJsonPayload(payload.data, 'encodeFrame: payload.data');
    if (text.length > max) tooLarge('encodeFrame', text.length, max); // UTF-8 is never shorter
    body = encodeUtf8Transient(text);
  }
  if (body.length > max) tooLarge('encodeFrame', body.length, max);
  const channel = channelBytes(f.channel);
  const bodyAt = FRAME_HEADER_BYTES + channel.length;
  const crcAt = bodyAt + body.length;
  const out = allocate(crcAt + 4);
  out[0] = PROTOCOL_VERSION;
  out[1] = f.kindCode;
  out[2] = PAYLOAD_KIND_CODES[payload.kind];
  out[3] = f.priority;
  writeU32(out, 4, Math.floor(f.seq / TWO_32));
  writeU32(out, 8, f.seq >>> 0);
  writeF64(out, 12, f.timestamp);
  writeU32(out, 20, body.length);
  out[24] = channel.length;
  out.set(channel, FRAME_HEADER_BYTES);
  out.set(body, bodyAt);
  writeU32(out, crcAt, crc32cUnchecked(out.subarray(0, crcAt)));
  return out;
}

/**
 * Sets the seq of an encoded binary frame in place and writes its new CRC32C: for a sender that
 * encodes (and checks) a message when it is handed over, but numbers it only when it first goes on
 * the wire. Internal (not part of the package API).
 *
 * @param bytes - a frame made by {@link encodeFrame}, owned by the caller
 * @param seq - the sequence number, an integer in `[0, 2^53 − 1]` (not checked)
 */
export function restampSeq(bytes: Uint8Array, seq: number): void {
  writeU32(bytes, 4, Math.floor(seq / TWO_32));
  writeU32(bytes, 8, seq >>> 0);
  const crcAt = bytes.length - 4;
  writeU32(bytes, crcAt, crc32cUnchecked(bytes.subarray(0, crcAt)));
}

/**
 * Decodes and verifies a binary `semantest-v1` frame.
 *
 * Checks, in this order: the version byte; the declared payload length against `maxPayloadBytes`
 * (before anything is allocated); the declared lengths against the input length (truncated or
 * trailing bytes); the CRC32C; then kind, flags, seq range, timestamp, UTF-8 of the channel and
 * of text/JSON payloads, and JSON syntax. Every single-bit error is caught by one of these.
 *
 * A binary payload is a zero-copy `subarray` view of `input`: it changes if `input` is later
 * overwritten. Copy it (`frame.payload.data.slice()`) to keep it beyond the input's lifetime.
 *
 * @param input - the frame bytes (a `Uint8Array`, e.g. a Node `Buffer`, or an `ArrayBuffer`)
 * @param options - codec options; see {@link FrameCodecOptions}
 * @returns the frame
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_VERSION`, `WS_KIT_ERR_FRAME_TOO_LARGE`,
 *   `WS_KIT_ERR_FRAME_TRUNCATED`, `WS_KIT_ERR_FRAME_MALFORMED` (trailing bytes, reserved flag bits,
 *   seq above 2^53 − 1, non-finite timestamp, invalid UTF-8 channel, input not bytes),
 *   `WS_KIT_ERR_FRAME_CHECKSUM`, `WS_KIT_ERR_FRAME_KIND`, `WS_KIT_ERR_FRAME_PAYLOAD_KIND` (unknown
 *   payload kind, invalid UTF-8 text), `WS_KIT_ERR_FRAME_INVALID_JSON`
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for invalid options
 */
export function decodeFrame(input: Uint8Array | ArrayBuffer, options?: FrameCodecOptions): Frame {
  const max = resolveMaxPayload('decodeFrame', options);
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `decodeFrame: input must be a Uint8Array or ArrayBuffer, got ${formatValue(input)}`,
      {
        expected: 'Uint8Array | ArrayBuffer',
        received: input,
      },
    );
  }
  const length = bytes.length;
  if (length < MIN_FRAME_BYTES) {
    if (length > 0 && bytes[0] !== PROTOCOL_VERSION) {
      fail('WS_KIT_ERR_FRAME_VERSION', `decodeFrame: unknown protocol version ${bytes[0]}`, {
        expected: PROTOCOL_VERSION,
        received: bytes[0],
      });
    }
    fail(
      'WS_KIT_ERR_FRAME_TRUNCATED',
      `decodeFrame: ${length} bytes is shorter than the ${MIN_FRAME_BYTES}-byte minimum`,
      {
        expected: MIN_FRAME_BYTES,
        received: length,
      },
    );
  }
  // The CRC32C is the last 4 bytes and covers all the others, so it is checked first: a bit flipped
  // anywhere — in a length, the version or the kind too — reads as corruption (a checksum failure
  // the receiver can nack), not as a protocol violation. Structure is checked once the sum holds.
  const declared = readU32(bytes, length - 4);
  const actual = crc32cUnchecked(bytes.subarray(0, length - 4));
  if (declared !== actual) {
    fail(
      'WS_KIT_ERR_FRAME_CHECKSUM',
      `decodeFrame: CRC32C mismatch (frame says ${hex(declared)}, contents give ${hex(actual)})`,
      {
        expected: declared,
        received: actual,
      },
    );
  }
  if (bytes[0] !== PROTOCOL_VERSION) {
    fail('WS_KIT_ERR_FRAME_VERSION', `decodeFrame: unknown protocol version ${bytes[0]}`, {
      expected: PROTOCOL_VERSION,
      received: bytes[0],
    });
  }
  const payloadLength = readU32(bytes, 20);
  if (payloadLength > max) tooLarge('decodeFrame', payloadLength, max);
  const channelLength = bytes[24]!;
  const bodyAt = FRAME_HEADER_BYTES + channelLength;
  const crcAt = bodyAt + payloadLength;
  if (length !== crcAt + 4) {
    const short = length < crcAt + 4;
    fail(
      short ? 'WS_KIT_ERR_FRAME_TRUNCATED' : 'WS_KIT_ERR_FRAME_MALFORMED',
      `decodeFrame: the header declares ${crcAt + 4} bytes, got ${length}${short ? '' : ' (trailing bytes)'}`,
      { expected: crcAt + 4, received: length },
    );
  }
  const kind = KIND_BY_CODE[bytes[1]!];
  if (kind === undefined) {
    fail('WS_KIT_ERR_FRAME_KIND', `decodeFrame: unknown frame kind code ${bytes[1]}`, { received: bytes[1] });
  }
  const flags = bytes[2]!;
  if (flags & 0xfc) {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `decodeFrame: reserved flag bits set (flags 0x${flags.toString(16)})`,
      {
        expected: 0,
        received: flags & 0xfc,
      },
    );
  }
  const payloadKind = PAYLOAD_KIND_BY_CODE[flags];
  if (payloadKind === undefined) {
    fail('WS_KIT_ERR_FRAME_PAYLOAD_KIND', `decodeFrame: unknown payload kind code ${flags}`, {
      received: flags,
    });
  }
  const seqHigh = readU32(bytes, 4);
  if (seqHigh > MAX_SEQ_HIGH) {
    fail('WS_KIT_ERR_FRAME_MALFORMED', 'decodeFrame: seq exceeds Number.MAX_SAFE_INTEGER', {
      expected: Number.MAX_SAFE_INTEGER,
      received: BigInt(seqHigh) * 2n ** 32n + BigInt(readU32(bytes, 8)),
    });
  }
  const seq = seqHigh * TWO_32 + readU32(bytes, 8);
  const timestamp = readF64(bytes, 12);
  if (!Number.isFinite(timestamp)) {
    fail('WS_KIT_ERR_FRAME_MALFORMED', `decodeFrame: timestamp is ${timestamp}`, {
      seq,
      received: timestamp,
    });
  }
  let channel: string;
  try {
    channel = decodeUtf8(bytes, FRAME_HEADER_BYTES, bodyAt);
  } catch (cause) {
    fail('WS_KIT_ERR_FRAME_MALFORMED', 'decodeFrame: channel is not valid UTF-8', { cause });
  }
  let payload: FramePayload;
  if (payloadKind === 'binary') {
    payload = { kind: 'binary', data: bytes.subarray(bodyAt, crcAt) };
  } else {
    let text: string;
    try {
      text = decodeUtf8(bytes, bodyAt, crcAt);
    } catch (cause) {
      fail(
        payloadKind === 'text' ? 'WS_KIT_ERR_FRAME_PAYLOAD_KIND' : 'WS_KIT_ERR_FRAME_INVALID_JSON',
        `decodeFrame: ${payloadKind} payload is not valid UTF-8`,
        { cause },
      );
    }
    payload =
      payloadKind === 'text'
        ? { kind: 'text', data: text }
        : { kind: 'json', data: parseJson(text, 'decodeFrame: payload') };
  }
  return { version: PROTOCOL_VERSION, kind, channel, priority: bytes[3]!, seq, timestamp, payload };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
