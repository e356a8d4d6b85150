/**
 * The frame model of wire protocol `semantest-v1`, shared by the binary codec and the JSON envelope.
 * docs/protocol.md describes the layout and the meaning of each kind.
 */
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../internal/options.js';

/** The protocol version this library writes and reads (`semantest-v1`). */
export const PROTOCOL_VERSION = 1;

/**
 * What a frame is for. `data` carries application payloads; the others are control frames
 * (see docs/protocol.md, "Control frames").
 */
export type FrameKind = 'data' | 'hello' | 'welcome' | 'ack' | 'nack' | 'ping' | 'pong' | 'error';

/** How a payload is encoded: raw bytes, UTF-8 text, or UTF-8 JSON text. */
export type PayloadKind = 'binary' | 'text' | 'json';

/**
 * A value JSON represents exactly: `null`, booleans, finite numbers other than `-0`, strings,
 * arrays and plain objects of these. The codecs reject anything else (`NaN`, `±Infinity`, `-0`,
 * `undefined`, `BigInt`, class instances, cycles) instead of letting `JSON.stringify` alter it.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A binary payload. */
export interface BinaryPayload {
  /** The payload kind. */
  readonly kind: 'binary';
  /** The bytes. A decoded binary payload is a zero-copy view into the decoder's input. */
  readonly data: Uint8Array;
}

/** A text payload. */
export interface TextPayload {
  /** The payload kind. */
  readonly kind: 'text';
  /** The text; sent as UTF-8, so it must not contain lone surrogates. */
  readonly data: string;
}

/** A JSON payload. */
export interface JsonPayload {
  /** The payload kind. */
  readonly kind: 'json';
  /** The value; see {@link JsonValue} for what is accepted. */
  readonly data: JsonValue;
}

/** A frame's payload, tagged with its kind. */
export type FramePayload = BinaryPayload | TextPayload | JsonPayload;

/** A complete frame, as {@link decodeFrame} returns it. */
export interface Frame {
  /** The protocol version, always {@link PROTOCOL_VERSION}. */
  readonly version: number;
  /** What the frame is for. */
  readonly kind: FrameKind;
  /** The channel name, at most 255 bytes of UTF-8; `''` is the default channel. */
  readonly channel: string;
  /** The priority, an integer in `[0, 255]`; larger is more urgent. */
  readonly priority: number;
  /** The per-channel sequence number, an integer in `[0, 2^53 − 1]`; `0` means "not sequenced". */
  readonly seq: number;
  /** The send timestamp in milliseconds, any finite number (sub-millisecond precision is kept). */
  readonly timestamp: number;
  /** The payload. */
  readonly payload: FramePayload;
}

/**
 * What {@link encodeFrame} accepts: a {@link Frame} whose fields, except `timestamp`, may be omitted.
 * Unknown keys are rejected, so a typo cannot silently fall back to a default.
 */
export interface FrameInit {
  /** The protocol version; only {@link PROTOCOL_VERSION} is accepted. @defaultValue 1 */
  readonly version?: number;
  /** What the frame is for. @defaultValue 'data' */
  readonly kind?: FrameKind;
  /** The channel name, at most 255 bytes of UTF-8. @defaultValue '' */
  readonly channel?: string;
  /** The priority, an integer in `[0, 255]`. @defaultValue 0 */
  readonly priority?: number;
  /** The sequence number, an integer in `[0, 2^53 − 1]`. @defaultValue 0 */
  readonly seq?: number;
  /** The send timestamp in milliseconds, a finite number; `-0` is written as `0`. */
  readonly timestamp: number;
  /** The payload. @defaultValue an empty binary payload */
  readonly payload?: FramePayload;
}

/** Options of the frame codecs ({@link encodeFrame}, {@link decodeFrame}, and the JSON envelope). */
export interface FrameCodecOptions {
  /**
   * The largest payload in bytes (UTF-8 bytes for text and JSON, raw bytes for binary) that encoding
   * accepts and decoding reads; larger ones fail with `WS_KIT_ERR_FRAME_TOO_LARGE` before any
   * payload is allocated. An integer in `[0, 2^32 − 1]`.
   * @defaultValue 16777216 (16 MiB)
   */
  readonly maxPayloadBytes?: number;
}

/** The defaults of {@link FrameCodecOptions}. */
export const DEFAULT_FRAME_CODEC_OPTIONS: Readonly<Required<FrameCodecOptions>> = Object.freeze({
  maxPayloadBytes: 16 * 1024 * 1024,
});

/**
 * Every frame kind with its one-byte wire code. Code 0 is never valid, so a zeroed buffer
 * never decodes as a frame.
 */
export const FRAME_KIND_CODES: Readonly<Record<FrameKind, number>> = Object.freeze({
  data: 1,
  hello: 2,
  welcome: 3,
  ack: 4,
  nack: 5,
  ping: 6,
  pong: 7,
  error: 8,
});

/** Every payload kind with its wire code (bits 0–1 of the flags byte). */
export const PAYLOAD_KIND_CODES: Readonly<Record<PayloadKind, number>> = Object.freeze({
  binary: 0,
  text: 1,
  json: 2,
});

/** Wire code → frame kind; index 0 and codes above 8 are unknown. @internal */
export const KIND_BY_CODE: readonly (FrameKind | undefined)[] = [
  undefined,
  'data',
  'hello',
  'welcome',
  'ack',
  'nack',
  'ping',
  'pong',
  'error',
];

/** Wire code → payload kind; code 3 is unknown. @internal */
export const PAYLOAD_KIND_BY_CODE: readonly (PayloadKind | undefined)[] = [
  'binary',
  'text',
  'json',
  undefined,
];

/** The longest channel name in UTF-8 bytes. */
export const MAX_CHANNEL_BYTES = 255;

/**
 * Validates codec options, returning the effective limit. Undefined options take the defaults
 * without any work, which keeps the common call cheap.
 *
 * @internal
 */
export function resolveMaxPayload(name: string, options: FrameCodecOptions | undefined): number {
  if (options === undefined) return DEFAULT_FRAME_CODEC_OPTIONS.maxPayloadBytes;
  checkOptionsObject(name, options);
  checkKnownKeys(name, options, DEFAULT_FRAME_CODEC_OPTIONS);
  if (options.maxPayloadBytes === undefined) return DEFAULT_FRAME_CODEC_OPTIONS.maxPayloadBytes;
  return checkNumber(`${name}.maxPayloadBytes`, options.maxPayloadBytes, {
    integer: true,
    min: 0,
    max: 0xffffffff,
  });
}

/**
 * Throws unless `options` is a non-null object (so `checkKnownKeys` can inspect it).
 *
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION`
 * @internal
 */
export function checkOptionsObject(name: string, options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name}: options must be an object, got ${formatValue(options)}`,
      {
        expected: 'object',
        received: options,
      },
    );
  }
}
