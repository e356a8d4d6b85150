/**
 * The JSON text envelope of `semantest-v1`, for servers that only speak WebSocket text messages.
 * Same fields as the binary frame; docs/protocol.md ("JSON envelope") describes the format.
 */
import { FrameError, type WsKitErrorCode } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { fromBase64, toBase64 } from './base64.js';
import { checkFrameInit } from './check-frame.js';
import { crc32cUnchecked } from './crc32c.js';
import {
  type Frame,
  type FrameCodecOptions,
  type FrameInit,
  type FramePayload,
  type JsonValue,
  PROTOCOL_VERSION,
  resolveMaxPayload,
} from './frame.js';
import { parseJson, stringifyJsonPayload } from './json-value.js';
import { decodeUtf8, encodeUtf8Transient, isWellFormed, utf8Length } from './utf8.js';

/** The key order of an envelope; `crc32c` is always last. */
const ENVELOPE_KEYS = [
  'version',
  'kind',
  'channel',
  'priority',
  'seq',
  'timestamp',
  'payloadKind',
  'payload',
  'crc32c',
] as const;

const SUFFIX_HEAD = ',"crc32c":"';
/** `,"crc32c":"` + 8 hex digits + `"}` */
const SUFFIX_LENGTH = SUFFIX_HEAD.length + 10;

/**
 * Bytes an envelope may take beyond its payload: the other fields, with a 255-byte channel
 * escaped at worst six-fold. Used for the size checks described on {@link decodeJsonFrame}.
 */
export const JSON_ENVELOPE_OVERHEAD_BYTES = 2048;

function fail(
  code: WsKitErrorCode,
  message: string,
  context: { expected?: unknown; received?: unknown; cause?: unknown } = {},
): never {
  throw new FrameError(code, message, context);
}

function checkSize(where: string, bytes: number, max: number): void {
  if (bytes > max) {
    fail('WS_KIT_ERR_FRAME_TOO_LARGE', `${where}: payload of ${bytes} bytes exceeds maxPayloadBytes ${max}`, {
      expected: max,
      received: bytes,
    });
  }
}

/** UTF-8 size check that skips the byte count when even three bytes per code unit would fit. */
function checkTextSize(where: string, text: string, max: number): void {
  if (text.length > max) checkSize(where, text.length, max);
  if (text.length * 3 > max) checkSize(where, utf8Length(text), max);
}

/**
 * Encodes a frame as a JSON envelope: one line of JSON text whose last field, `crc32c`, is the
 * CRC32C (8 lowercase hex digits) of the UTF-8 bytes of everything before `,"crc32c":`.
 *
 * Binary payloads travel as base64; text payloads as JSON strings; JSON payloads inline. Field
 * checks, defaults and errors are those of {@link encodeFrame}.
 *
 * @param frame - the frame to encode
 * @param options - codec options; see {@link FrameCodecOptions}
 * @returns the envelope text
 * @throws {@link FrameError} the codes {@link encodeFrame} throws, for the same reasons
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for invalid options
 * @example
 * ```ts
 * const text = encodeJsonFrame({ channel: 'chat:1', seq: 1, timestamp: 0.5, payload: { kind: 'json', data: { hi: 1 } } });
 * // {"version":1,"kind":"data","channel":"chat:1",...,"payload":{"hi":1},"crc32c":"…"}
 * ```
 */
export function encodeJsonFrame(frame: FrameInit, options?: FrameCodecOptions): string {
  const where = 'encodeJsonFrame';
  const max = resolveMaxPayload(where, options);
  const f = checkFrameInit(frame, where);
  const payload = f.payload;
  let payloadJson: string;
  if (payload.kind === 'binary') {
    checkSize(where, payload.data.length, max);
    payloadJson = `"${toBase64(payload.data)}"`;
  } else if (payload.kind === 'text') {
    checkTextSize(where, payload.data, max);
    payloadJson = JSON.stringify(payload.data);
  } else {
    payloadJson = stringifyJsonPayload(payload.data, `${where}: payload.data`);
    checkTextSize(where, payloadJson, max);
  }
  const prefix = `{"version":${PROTOCOL_VERSION},"kind":"${f.kind}","channel":${channelJson(f.channel)},"priority":${f.priority},"seq":${f.seq},"timestamp":${f.timestamp},"payloadKind":"${payload.kind}","payload":${payloadJson}`;
  const crc = crc32cUnchecked(encodeUtf8Transient(prefix));
  return `${prefix}${SUFFIX_HEAD}${crc.toString(16).padStart(8, '0')}"}`;
}

const channelJsonCache = new Map<string, string>();
/** `JSON.stringify(channel)`, cached: a connection uses few channels. */
function channelJson(channel: string): string {
  let json = channelJsonCache.get(channel);
  if (json === undefined) {
    if (channelJsonCache.size >= 256) channelJsonCache.clear();
    json = JSON.stringify(channel);
    channelJsonCache.set(channel, json);
  }
  return json;
}

function isLowerHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/** Reads the 8 hex digits of the suffix, or returns -1 when the suffix is not exactly there. */
function readSuffix(input: string | Uint8Array, length: number): number {
  if (length < SUFFIX_LENGTH + 1) return -1;
  const text = typeof input === 'string';
  const at = (i: number): number => (text ? (input as string).charCodeAt(i) : (input as Uint8Array)[i]!);
  const start = length - SUFFIX_LENGTH;
  for (let i = 0; i < SUFFIX_HEAD.length; i++) {
    if (at(start + i) !== SUFFIX_HEAD.charCodeAt(i)) return -1;
  }
  let crc = 0;
  for (let i = start + SUFFIX_HEAD.length; i < length - 2; i++) {
    const c = at(i);
    if (!isLowerHex(c)) return -1;
    crc = crc * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return at(length - 2) === 34 && at(length - 1) === 125 ? crc : -1;
}

/**
 * Decodes and verifies a JSON envelope.
 *
 * Checks, in this order: the envelope's size (at most 6 × `maxPayloadBytes` + 2048, in bytes for
 * a `Uint8Array` and UTF-16 code units for a string, before parsing); the `crc32c` suffix and the
 * checksum; the JSON syntax; the exact set of keys; then every field as {@link decodeFrame} does.
 * Payload sizes: a binary payload's decoded length and a text payload's UTF-8 length are checked
 * exactly against `maxPayloadBytes`; a JSON payload is checked through the envelope, whose UTF-8
 * length must not exceed `maxPayloadBytes` + {@link JSON_ENVELOPE_OVERHEAD_BYTES}.
 *
 * @param input - the envelope as received: text, or its UTF-8 bytes
 * @param options - codec options; see {@link FrameCodecOptions}
 * @returns the frame
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_TOO_LARGE`, `WS_KIT_ERR_FRAME_MALFORMED` (no valid
 *   `crc32c` suffix, missing or unknown keys, fields out of range, input neither text nor bytes),
 *   `WS_KIT_ERR_FRAME_CHECKSUM`, `WS_KIT_ERR_FRAME_INVALID_JSON` (not JSON, or not UTF-8),
 *   `WS_KIT_ERR_FRAME_VERSION`, `WS_KIT_ERR_FRAME_KIND`, `WS_KIT_ERR_FRAME_PAYLOAD_KIND` (unknown
 *   payload kind, payload not of its kind, invalid base64, text with lone surrogates)
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for invalid options
 */
export function decodeJsonFrame(input: string | Uint8Array, options?: FrameCodecOptions): Frame {
  const where = 'decodeJsonFrame';
  const max = resolveMaxPayload(where, options);
  let text: string;
  let envelopeBytes: number;
  let declared: number;
  let actual: number;
  if (typeof input === 'string') {
    checkEnvelopeSize(input.length, max);
    text = input;
    declared = readSuffix(text, text.length);
    if (declared < 0) missingSuffix();
    // The suffix is ASCII, so its bytes are the last SUFFIX_LENGTH of the encoding.
    const encoded = encodeUtf8Transient(text);
    const covered = encoded.subarray(0, encoded.length - SUFFIX_LENGTH);
    // A lone surrogate has no UTF-8 form: TextEncoder writes U+FFFD (EF BF BD) instead, so the CRC
    // cannot see a bit flip that turned U+FFFD into U+DFFD. Encoders never write a raw lone
    // surrogate (JSON escapes it), so one means corruption. Without an EF byte there is none.
    if (covered.indexOf(0xef) !== -1 && !isWellFormed(text)) {
      fail('WS_KIT_ERR_FRAME_INVALID_JSON', `${where}: envelope is not valid UTF-8 text`);
    }
    envelopeBytes = covered.length + SUFFIX_LENGTH;
    actual = crc32cUnchecked(covered);
  } else if (input instanceof Uint8Array) {
    checkEnvelopeSize(input.length, max);
    declared = readSuffix(input, input.length);
    if (declared < 0) missingSuffix();
    envelopeBytes = input.length;
    actual = crc32cUnchecked(input.subarray(0, input.length - SUFFIX_LENGTH));
    try {
      text = decodeUtf8(input, 0, input.length);
    } catch (cause) {
      fail('WS_KIT_ERR_FRAME_INVALID_JSON', `${where}: envelope is not valid UTF-8 text`, { cause });
    }
  } else {
    fail(
      'WS_KIT_ERR_FRAME_MALFORMED',
      `${where}: input must be a string or Uint8Array, got ${formatValue(input)}`,
      {
        expected: 'string | Uint8Array',
        received: input,
      },
    );
  }
  if (declared !== actual) {
    fail(
      'WS_KIT_ERR_FRAME_CHECKSUM',
      `${where}: CRC32C mismatch (envelope says ${hex(declared)}, contents give ${hex(actual)})`,
      {
        expected: declared,
        received: actual,
      },
    );
  }
  const parsed = parseJson(text, `${where}: envelope`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail('WS_KIT_ERR_FRAME_MALFORMED', `${where}: envelope must be a JSON object`);
  }
  const keys = Object.keys(parsed);
  for (const key of ENVELOPE_KEYS) {
    if (!Object.hasOwn(parsed, key)) fail('WS_KIT_ERR_FRAME_MALFORMED', `${where}: envelope has no '${key}'`);
  }
  if (keys.length !== ENVELOPE_KEYS.length) {
    const extra = keys.find((k) => !(ENVELOPE_KEYS as readonly string[]).includes(k));
    fail('WS_KIT_ERR_FRAME_MALFORMED', `${where}: unknown envelope key '${extra}'`, {
      expected: ENVELOPE_KEYS,
      received: extra,
    });
  }
  if (parsed.version !== PROTOCOL_VERSION) {
    fail('WS_KIT_ERR_FRAME_VERSION', `${where}: unknown protocol version ${formatValue(parsed.version)}`, {
      expected: PROTOCOL_VERSION,
      received: parsed.version,
    });
  }
  const payload = readPayload(where, parsed.payloadKind, parsed.payload, max, envelopeBytes);
  const f = checkFrameInit(
    {
      kind: parsed.kind,
      channel: parsed.channel,
      priority: parsed.priority,
      seq: parsed.seq,
      timestamp: parsed.timestamp,
      payload,
    } as FrameInit,
    where,
    true,
  );
  return {
    version: PROTOCOL_VERSION,
    kind: f.kind,
    channel: f.channel,
    priority: f.priority,
    seq: f.seq,
    timestamp: f.timestamp,
    payload,
  };
}

function readPayload(
  where: string,
  kind: unknown,
  data: unknown,
  max: number,
  envelopeBytes: number,
): FramePayload {
  if (kind === 'json') {
    checkSize(where, Math.max(0, envelopeBytes - JSON_ENVELOPE_OVERHEAD_BYTES), max);
    return { kind: 'json', data: data as JsonValue };
  }
  if (kind !== 'binary' && kind !== 'text') {
    fail('WS_KIT_ERR_FRAME_PAYLOAD_KIND', `${where}: unknown payloadKind ${formatValue(kind)}`, {
      expected: ['binary', 'text', 'json'],
      received: kind,
    });
  }
  if (typeof data !== 'string') {
    fail(
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      `${where}: a ${kind} payload must be a JSON string, got ${formatValue(data)}`,
      {
        expected: 'string',
        received: data,
      },
    );
  }
  if (kind === 'text') {
    checkTextSize(where, data, max);
    return { kind: 'text', data };
  }
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  checkSize(where, Math.max(0, Math.floor(data.length / 4) * 3 - padding), max);
  const bytes = fromBase64(data);
  if (bytes === undefined) {
    fail('WS_KIT_ERR_FRAME_PAYLOAD_KIND', `${where}: binary payload is not strict padded base64`, {
      received: data,
    });
  }
  return { kind: 'binary', data: bytes };
}

function checkEnvelopeSize(length: number, max: number): void {
  const limit = 6 * max + JSON_ENVELOPE_OVERHEAD_BYTES;
  if (length > limit) {
    fail(
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      `decodeJsonFrame: envelope of ${length} bytes exceeds 6 × maxPayloadBytes + ${JSON_ENVELOPE_OVERHEAD_BYTES} = ${limit}`,
      { expected: limit, received: length },
    );
  }
}

function missingSuffix(): never {
  fail(
    'WS_KIT_ERR_FRAME_MALFORMED',
    'decodeJsonFrame: envelope does not end with ,"crc32c":"<8 lowercase hex digits>"}',
  );
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
