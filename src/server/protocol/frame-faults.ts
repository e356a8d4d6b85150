/**
 * How the server side answers frames it cannot use: the RFC 6455 close code for each decode error,
 * and whether a frame that failed its checksum still names a readable data (channel, seq) to nack.
 */
import { isWsKitError, ProtocolError, type WsKitErrorCode } from '../../errors.js';

export { readableBinaryDataHeader, readableDataHeader } from './readable-header.js';

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
