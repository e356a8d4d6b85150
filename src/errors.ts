/**
 * Typed errors for every primitive in `@semantest/ws-kit`.
 *
 * Every error the library throws or emits is a {@link WsKitError} with a stable
 * {@link WsKitErrorCode}. Codes never change meaning between releases; match on `code`,
 * not on `message`. docs/errors.md holds the table of every code.
 *
 * @packageDocumentation
 */

/**
 * Every stable error code the library uses, as a string-literal union.
 *
 * - `WS_KIT_ERR_INVALID_OPTION` — an options object held a value outside its documented range.
 * - `WS_KIT_ERR_INVALID_ARGUMENT` — a method was called with an argument outside its documented range.
 * - `WS_KIT_ERR_FRAME_TRUNCATED` — fewer bytes than the frame header or its declared lengths need.
 * - `WS_KIT_ERR_FRAME_CHECKSUM` — the CRC32C in the frame does not match its contents.
 * - `WS_KIT_ERR_FRAME_VERSION` — an unknown protocol version.
 * - `WS_KIT_ERR_FRAME_KIND` — an unknown frame kind.
 * - `WS_KIT_ERR_FRAME_PAYLOAD_KIND` — an unknown payload kind, or a payload that does not match its kind.
 * - `WS_KIT_ERR_FRAME_TOO_LARGE` — a payload larger than the configured maximum.
 * - `WS_KIT_ERR_FRAME_INVALID_JSON` — a JSON payload or JSON envelope that does not parse.
 * - `WS_KIT_ERR_FRAME_MALFORMED` — a structurally invalid frame: bad field type or range, trailing bytes, reserved bits set.
 * - `WS_KIT_ERR_SEQUENCE_EXHAUSTED` — a sequence number would pass `Number.MAX_SAFE_INTEGER`.
 * - `WS_KIT_ERR_METER_VALUE` — a meter was given a value it cannot record (negative, NaN, beyond its range).
 * - `WS_KIT_ERR_METER_SNAPSHOT` — a meter snapshot that cannot be imported or merged.
 * - `WS_KIT_ERR_METER_EMPTY` — a meter was asked for an estimate before it had any sample (`ClockSync.toLocalTime` before any `addSample`).
 * - `WS_KIT_ERR_TIMESTAMP_INVALID` — a timestamp that is not valid ISO 8601 or not a finite number.
 * - `WS_KIT_ERR_ORDERING_VIOLATION` — `OrderingValidator.assert()` found violations.
 * - `WS_KIT_ERR_DELIVERY_VIOLATION` — `DeliveryValidator.assert()` found lost, duplicated or corrupted messages.
 * - `WS_KIT_ERR_FAIRNESS_VIOLATION` — `FairnessValidator.assert()` found the service unfair.
 * - `WS_KIT_ERR_PROGRESS_VIOLATION` — `ProgressValidator.assert()` found an invalid progress stream.
 * - `WS_KIT_ERR_ROUTING_VIOLATION` — `RoutingValidator.assert()` found leaked, missing, duplicated or unknown deliveries.
 * - `WS_KIT_ERR_PROTOCOL` — a peer broke the `semantest-v1` rules (a data frame before `hello`, a second `hello`, no common version, a frame kind the server never accepts).
 * - `WS_KIT_ERR_BUFFER_OVERFLOW` — a bounded buffer is full: a protocol buffer (replay, reorder, pre-hello queue) rejected the frame or dropped the oldest, or `MockServer`'s message log reached `maxMessages` and forgets the oldest — never silently.
 * - `WS_KIT_ERR_SESSION_LIMIT` — a `SessionStore` is at `maxSessions` and every session is attached, so no new session can be created.
 * - `WS_KIT_ERR_INTERNAL` — an unexpected failure while handling a frame (e.g. a `data` listener threw); the connection should close with 1011.
 * - `WS_KIT_ERR_TIMEOUT` — an awaitable (`nextConnection`, `nextMessage`, `waitFor`…) timed out; the message says what arrived instead.
 * - `WS_KIT_ERR_SERVER_CLOSED` — a server was used, or a wait was pending, after `close()`.
 * - `WS_KIT_ERR_CONNECTION_CLOSED` — a send, or a wait, on a connection that has closed.
 * - `WS_KIT_ERR_RATE_LIMITED` — a message over a connection's rate limit was dropped (sent in an error frame).
 */
export type WsKitErrorCode =
  | 'WS_KIT_ERR_INVALID_OPTION'
  | 'WS_KIT_ERR_INVALID_ARGUMENT'
  | 'WS_KIT_ERR_FRAME_TRUNCATED'
  | 'WS_KIT_ERR_FRAME_CHECKSUM'
  | 'WS_KIT_ERR_FRAME_VERSION'
  | 'WS_KIT_ERR_FRAME_KIND'
  | 'WS_KIT_ERR_FRAME_PAYLOAD_KIND'
  | 'WS_KIT_ERR_FRAME_TOO_LARGE'
  | 'WS_KIT_ERR_FRAME_INVALID_JSON'
  | 'WS_KIT_ERR_FRAME_MALFORMED'
  | 'WS_KIT_ERR_SEQUENCE_EXHAUSTED'
  | 'WS_KIT_ERR_METER_VALUE'
  | 'WS_KIT_ERR_METER_SNAPSHOT'
  | 'WS_KIT_ERR_METER_EMPTY'
  | 'WS_KIT_ERR_TIMESTAMP_INVALID'
  | 'WS_KIT_ERR_ORDERING_VIOLATION'
  | 'WS_KIT_ERR_DELIVERY_VIOLATION'
  | 'WS_KIT_ERR_FAIRNESS_VIOLATION'
  | 'WS_KIT_ERR_PROGRESS_VIOLATION'
  | 'WS_KIT_ERR_ROUTING_VIOLATION'
  | 'WS_KIT_ERR_PROTOCOL'
  | 'WS_KIT_ERR_BUFFER_OVERFLOW'
  | 'WS_KIT_ERR_SESSION_LIMIT'
  | 'WS_KIT_ERR_INTERNAL'
  | 'WS_KIT_ERR_TIMEOUT'
  | 'WS_KIT_ERR_SERVER_CLOSED'
  | 'WS_KIT_ERR_CONNECTION_CLOSED'
  | 'WS_KIT_ERR_RATE_LIMITED';

/** Context carried by a {@link WsKitError}: what was expected, what arrived, and where. */
export interface WsKitErrorContext {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** What the library expected (a value, a range, a checksum…). */
  readonly expected?: unknown;
  /** What the library received instead. */
  readonly received?: unknown;
  /** The sequence number involved, if any. */
  readonly seq?: number;
  /** The channel involved, if any. */
  readonly channel?: number | string;
}

const BRAND = Symbol.for('@semantest/ws-kit/WsKitError');

/**
 * Base class of every error the library throws or emits.
 *
 * @example
 * ```ts
 * try {
 *   decodeFrame(bytes);
 * } catch (error) {
 *   if (isWsKitError(error) && error.code === 'WS_KIT_ERR_FRAME_CHECKSUM') {
 *     // the frame was corrupted in flight
 *   }
 * }
 * ```
 */
export class WsKitError extends Error {
  /** The stable code of this error; see {@link WsKitErrorCode}. */
  readonly code: WsKitErrorCode;
  /** What was expected, when the error compares two values. */
  readonly expected?: unknown;
  /** What was received, when the error compares two values. */
  readonly received?: unknown;
  /** The sequence number involved, if any. */
  readonly seq?: number;
  /** The channel involved, if any. */
  readonly channel?: number | string;

  /**
   * @param code - the stable error code
   * @param message - a human-readable explanation (may change between releases)
   * @param context - cause, expected/received values, seq and channel
   */
  constructor(code: WsKitErrorCode, message: string, context: WsKitErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    if ('expected' in context) this.expected = context.expected;
    if ('received' in context) this.received = context.received;
    if (context.seq !== undefined) this.seq = context.seq;
    if (context.channel !== undefined) this.channel = context.channel;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * An options object or argument outside its documented range
 * (`WS_KIT_ERR_INVALID_OPTION`, `WS_KIT_ERR_INVALID_ARGUMENT`).
 */
export class OptionsError extends WsKitError {}

/**
 * A frame that cannot be decoded or encoded (`WS_KIT_ERR_FRAME_*`, `WS_KIT_ERR_SEQUENCE_EXHAUSTED`).
 */
export class FrameError extends WsKitError {}

/**
 * A `semantest-v1` session rule broken by a peer, a full protocol buffer, or a full session store
 * (`WS_KIT_ERR_PROTOCOL`, `WS_KIT_ERR_BUFFER_OVERFLOW`, `WS_KIT_ERR_SESSION_LIMIT`, `WS_KIT_ERR_INTERNAL`).
 */
export class ProtocolError extends WsKitError {}

/** A value a meter cannot record, or a snapshot it cannot import (`WS_KIT_ERR_METER_*`, `WS_KIT_ERR_TIMESTAMP_INVALID`). */
export class MeterError extends WsKitError {}

/**
 * Thrown by a validator's `assert()`. Carries the validator's full report and its first violations
 * (`WS_KIT_ERR_ORDERING_VIOLATION`, `WS_KIT_ERR_DELIVERY_VIOLATION`, `WS_KIT_ERR_FAIRNESS_VIOLATION`,
 * `WS_KIT_ERR_PROGRESS_VIOLATION`, `WS_KIT_ERR_ROUTING_VIOLATION`).
 */
export class ValidationError<Report = unknown> extends WsKitError {
  /** The validator's report at the time `assert()` was called. */
  readonly report: Report;

  /**
   * @param code - the validator's violation code
   * @param message - a summary naming the first violations
   * @param report - the full report
   */
  constructor(code: WsKitErrorCode, message: string, report: Report) {
    super(code, message);
    this.report = report;
  }
}

/**
 * Tells whether a value is a {@link WsKitError}, also across realms (iframes, `vm` contexts,
 * two copies of the package), where `instanceof` fails.
 *
 * @param value - anything
 * @returns `true` when `value` was created by any copy of this library's `WsKitError`
 */
export function isWsKitError(value: unknown): value is WsKitError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
