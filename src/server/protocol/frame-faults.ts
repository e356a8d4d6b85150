/**
 * How the server side answers frames it cannot use: the RFC 6455 close code for each decode error,
 * and whether a frame that failed its checksum still names a readable data (channel, seq) to nack.
 */
import { isWsKitError, ProtocolError, type WsKitErrorCode } from '../../errors.js';
import { MAX_CHANNEL_BYTES } from '../../framing/frame.js';
import { MIN_FRAME_BYTES } from '../../framing/frame-codec.js';

/** RFC 6455 §7.4.1 close codes the protocol endpoint asks the server to use. */
export const CLOSE_CODES = Object.freeze({
  /** Normal closure (a displaced connection). */
  normal: 1000,
  /** Protocol error. */
  protocolError: 1002,
  /** Invalid frame payload data (bad UTF-8 or JSON). */
  invalidPayload: 1007,
  /** Message too big. */
  tooBig: 1009,
  /** Internal error (a listener threw). */
  internalError: 1011,
  /** Try again later (session store full; IANA-registered). */
  tryAgainLater: 1013,
});

const BY_CODE: Partial<Record<WsKitErrorCode, number>> = {
  WS_KIT_ERR_FRAME_TOO_LARGE: CLOSE_CODES.tooBig,
  WS_KIT_ERR_FRAME_INVALID_JSON: CLOSE_CODES.invalidPayload,
  WS_KIT_ERR_FRAME_PAYLOAD_KIND: CLOSE_CODES.invalidPayload,
  WS_KIT_ERR_SESSION_LIMIT: CLOSE_CODES.tryAgainLater,
  WS_KIT_ERR_INTERNAL: CLOSE_CODES.internalError,
};

/**
 * Maps an error met while handling an incoming frame to the close code the server should use:
 * 1009 for a payload over the limit, 1007 for invalid UTF-8 or JSON, 1013 for a full session store,
 * 1011 for anything unexpected, 1002 for every other protocol violation.
 *
 * @param error - a {@link WsKitError} (anything else maps to 1011)
 * @returns an RFC 6455 close code
 * @see https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1
 */
export function closeCodeFor(error: unknown): number {
  if (!isWsKitError(error)) return CLOSE_CODES.internalError;
  return BY_CODE[error.code] ?? CLOSE_CODES.protocolError;
}

const fatalUtf8 = (): InstanceType<typeof TextDecoder> => new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the channel and seq of a frame that failed its checksum, when it plausibly is a sequenced
 * data frame: binary input with version 1, kind `data`, lengths adding up, seq in `[1, 2^53 − 1]`,
 * a valid UTF-8 channel; or a JSON envelope that parses with `"kind":"data"`, an integer seq ≥ 1
 * and a string channel. The fields are unverified (the corruption may sit in them), so a nack
 * built from them is a best-effort request; a wrong guess costs one redundant resend.
 *
 * @param input - the message as received
 * @param text - whether it is a JSON envelope
 * @returns the channel and seq to nack, or `undefined`
 */
export function readableDataHeader(
  input: Uint8Array | string,
  text: boolean,
): { channel: string; seq: number } | undefined {
  try {
    return text ? fromEnvelope(input) : fromBinary(input);
  } catch {
    return undefined;
  }
}

/**
 * {@link readableDataHeader} for binary frames only (what ResilientClient receives), so that a
 * browser bundle does not carry the JSON-envelope reader.
 *
 * @param input - the binary message as received
 * @returns the channel and seq to nack, or `undefined`
 */
export function readableBinaryDataHeader(input: Uint8Array): { channel: string; seq: number } | undefined {
  try {
    return fromBinary(input);
  } catch {
    return undefined;
  }
}

function fromBinary(input: Uint8Array | string): { channel: string; seq: number } | undefined {
  if (typeof input === 'string' || input.length < MIN_FRAME_BYTES) return undefined;
  if (input[0] !== 1 || input[1] !== 1) return undefined;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const payloadLength = view.getUint32(20);
  const channelLength = input[24]!;
  if (MIN_FRAME_BYTES + channelLength + payloadLength !== input.length) return undefined;
  const seq = view.getUint32(4) * 2 ** 32 + view.getUint32(8);
  if (seq < 1 || seq > Number.MAX_SAFE_INTEGER) return undefined;
  const channel = fatalUtf8().decode(input.subarray(25, 25 + channelLength));
  return { channel, seq };
}

function fromEnvelope(input: Uint8Array | string): { channel: string; seq: number } | undefined {
  const text = typeof input === 'string' ? input : fatalUtf8().decode(input);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, seq, channel } = value as Record<string, unknown>;
  if (kind !== 'data' || typeof channel !== 'string' || typeof seq !== 'number') return undefined;
  if (!Number.isInteger(seq) || seq < 1 || seq > Number.MAX_SAFE_INTEGER) return undefined;
  if (new TextEncoder().encode(channel).length > MAX_CHANNEL_BYTES) return undefined;
  return { channel, seq };
}

const MAX_REASON_BYTES = 123;

/**
 * Wraps an unexpected failure (e.g. a throwing listener) as `WS_KIT_ERR_INTERNAL` (close 1011).
 *
 * @param cause - what was thrown
 * @param what - what was being done
 * @returns the error
 */
export function internalError(cause: unknown, what = 'failed while handling a frame'): ProtocolError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProtocolError('WS_KIT_ERR_INTERNAL', `${what}: ${detail}`, { cause });
}

/**
 * Shortens a message to a close reason of at most 123 UTF-8 bytes (RFC 6455 §5.5.1), ending in `...` when cut.
 *
 * @param message - the message
 * @returns the reason
 */
export function truncateReason(message: string): string {
  const bytes = new TextEncoder().encode(message);
  if (bytes.length <= MAX_REASON_BYTES) return message;
  let out = new TextDecoder().decode(bytes.subarray(0, MAX_REASON_BYTES - 3));
  while (out.endsWith('\uFFFD') || new TextEncoder().encode(`${out}...`).length > MAX_REASON_BYTES)
    out = out.slice(0, -1);
  return `${out}...`;
}
