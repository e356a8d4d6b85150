/**
 * Builders and readers for the control frames of `semantest-v1` (docs/protocol.md, "Control frames").
 *
 * Control frames use the common header (channel, seq, timestamp) for what fits there and a JSON
 * payload for the rest. `ack`, `nack` and `ping` carry everything in the header (empty payload).
 */
import { FrameError, OptionsError, type WsKitErrorCode } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { type Frame, type FrameKind, type JsonValue, MAX_CHANNEL_BYTES, PROTOCOL_VERSION } from './frame.js';
import { isWellFormed, utf8Length } from './utf8.js';

/** The body of a `hello` frame (client → server, first frame of a connection). */
export interface HelloBody {
  /** The session to resume, or `null` to start a new one. */
  readonly sessionId: string | null;
  /** The protocol versions the client speaks, most preferred first (e.g. `[1]` for `semantest-v1`). */
  readonly versions: readonly number[];
  /** Per channel, the last sequence number the client received from the server (0 or absent: none). */
  readonly lastSeq: Readonly<Record<string, number>>;
}

/** The body of a `welcome` frame (server → client, the answer to `hello`). */
export interface WelcomeBody {
  /** The session id: the resumed one, or a new one. */
  readonly sessionId: string;
  /** The protocol version chosen for the connection. */
  readonly version: number;
  /** Per channel, the last sequence number the server received from the client (0 or absent: none). */
  readonly lastSeq: Readonly<Record<string, number>>;
}

/** The four timestamps of a ping/pong round trip that clock synchronisation needs, read from a `pong`. */
export interface PongTimes {
  /** The ping id: the `seq` of the ping this pong answers. */
  readonly id: number;
  /** When the ping was sent, on the pinging side's clock (the ping's timestamp, echoed). */
  readonly t0: number;
  /** When the ping arrived, on the answering side's clock. */
  readonly t1: number;
  /** When the pong was sent, on the answering side's clock (the pong's timestamp). */
  readonly t2: number;
}

/** The body of an `error` frame. Its header's channel and seq name the frame it is about, if any. */
export interface ErrorBody {
  /** A stable error code, e.g. a `WsKitErrorCode` such as `WS_KIT_ERR_FRAME_CHECKSUM`. */
  readonly code: string;
  /** A human-readable explanation. */
  readonly message: string;
}

type Check = (value: Record<string, unknown>) => string | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const isChannel = (c: string): boolean =>
  c.length <= MAX_CHANNEL_BYTES && isWellFormed(c) && utf8Length(c) <= MAX_CHANNEL_BYTES;

function checkKeys(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) if (!Object.hasOwn(value, key)) return `has no '${key}'`;
  for (const key of Object.keys(value)) if (!keys.includes(key)) return `has an unknown key '${key}'`;
  return undefined;
}

function checkLastSeq(v: unknown): string | undefined {
  if (!isRecord(v)) return 'lastSeq must be an object of channel → seq';
  for (const [channel, seq] of Object.entries(v)) {
    if (!isChannel(channel)) return `lastSeq has a channel a frame cannot carry: ${formatValue(channel)}`;
    if (!isSeq(seq)) return `lastSeq[${JSON.stringify(channel)}] must be an integer in [0, 2^53 − 1]`;
  }
  return undefined;
}

const checkHello: Check = (v) =>
  checkKeys(v, ['sessionId', 'versions', 'lastSeq']) ??
  (v.sessionId !== null && typeof v.sessionId !== 'string'
    ? 'sessionId must be a string or null'
    : undefined) ??
  (!Array.isArray(v.versions) ||
  v.versions.length === 0 ||
  !v.versions.every((n) => Number.isInteger(n) && n >= 1 && n <= 255)
    ? 'versions must be a non-empty array of integers in [1, 255]'
    : undefined) ??
  checkLastSeq(v.lastSeq);

const checkWelcome: Check = (v) =>
  checkKeys(v, ['sessionId', 'version', 'lastSeq']) ??
  (typeof v.sessionId !== 'string' ? 'sessionId must be a string' : undefined) ??
  (!Number.isInteger(v.version) || (v.version as number) < 1 || (v.version as number) > 255
    ? 'version must be an integer in [1, 255]'
    : undefined) ??
  checkLastSeq(v.lastSeq);

const checkPong: Check = (v) =>
  checkKeys(v, ['t0', 't1']) ??
  (typeof v.t0 !== 'number' || !Number.isFinite(v.t0) || typeof v.t1 !== 'number' || !Number.isFinite(v.t1)
    ? 't0 and t1 must be finite numbers'
    : undefined);

const checkError: Check = (v) =>
  checkKeys(v, ['code', 'message']) ??
  (typeof v.code !== 'string' || typeof v.message !== 'string'
    ? 'code and message must be strings'
    : undefined);

function build(
  where: string,
  kind: FrameKind,
  body: unknown,
  check: Check,
  header: { channel?: string; seq?: number; timestamp: number },
): Frame {
  const problem = isRecord(body) ? check(body) : 'the body must be an object';
  if (problem !== undefined) {
    throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', `${where}: ${problem}`, { received: body });
  }
  // A deep copy: the frame must not change when the caller later mutates `body`.
  const data = JSON.parse(JSON.stringify(body)) as JsonValue;
  return frame(kind, header, { kind: 'json', data });
}

function frame(
  kind: FrameKind,
  header: { channel?: string; seq?: number; timestamp: number },
  payload: Frame['payload'] = { kind: 'binary', data: new Uint8Array(0) },
): Frame {
  return {
    version: PROTOCOL_VERSION,
    kind,
    channel: header.channel ?? '',
    priority: 0,
    seq: header.seq ?? 0,
    timestamp: header.timestamp,
    payload,
  };
}

function read(where: string, frame: Frame, kind: FrameKind, check: Check): Record<string, unknown> {
  const fail = (code: WsKitErrorCode, message: string, received: unknown): never => {
    throw new FrameError(code, `${where}: ${message}`, { received, seq: frame.seq, channel: frame.channel });
  };
  if (frame.kind !== kind)
    fail('WS_KIT_ERR_FRAME_KIND', `expected a ${kind} frame, got ${frame.kind}`, frame.kind);
  if (frame.payload.kind !== 'json') {
    fail(
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      `a ${kind} frame needs a JSON payload, got ${frame.payload.kind}`,
      frame.payload.kind,
    );
  }
  const body = frame.payload.data;
  const problem = isRecord(body) ? check(body) : 'must be a JSON object';
  if (problem !== undefined) fail('WS_KIT_ERR_FRAME_MALFORMED', `${kind} body ${problem}`, body);
  return body as Record<string, unknown>;
}

/**
 * Builds a `hello` frame: channel `''`, seq 0, the body as JSON payload.
 *
 * @param body - session to resume, offered versions, last seq received per channel
 * @param timestamp - the send time in milliseconds
 * @returns the frame, ready for {@link encodeFrame}
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a body {@link readHello} would reject
 */
export function helloFrame(body: HelloBody, timestamp: number): Frame {
  return build('helloFrame', 'hello', body, checkHello, { timestamp });
}

/**
 * Builds a `welcome` frame: channel `''`, seq 0, the body as JSON payload.
 *
 * @param body - the session id, the chosen version, last seq received per channel
 * @param timestamp - the send time in milliseconds
 * @returns the frame
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a body {@link readWelcome} would reject
 */
export function welcomeFrame(body: WelcomeBody, timestamp: number): Frame {
  return build('welcomeFrame', 'welcome', body, checkWelcome, { timestamp });
}

/**
 * Builds a cumulative `ack`: every frame on `channel` up to and including `seq` arrived.
 *
 * @param channel - the channel acknowledged
 * @param seq - the highest sequence number received in order
 * @param timestamp - the send time in milliseconds
 * @returns the frame (empty payload)
 */
export function ackFrame(channel: string, seq: number, timestamp: number): Frame {
  return frame('ack', { channel, seq, timestamp });
}

/**
 * Builds a `nack`: the frame `seq` on `channel` failed its checksum (or was otherwise unreadable); resend it.
 *
 * @param channel - the channel of the bad frame
 * @param seq - its sequence number
 * @param timestamp - the send time in milliseconds
 * @returns the frame (empty payload)
 */
export function nackFrame(channel: string, seq: number, timestamp: number): Frame {
  return frame('nack', { channel, seq, timestamp });
}

/**
 * Builds a `ping`. Its timestamp is t0; the answering `pong` echoes the id and t0.
 *
 * @param id - the ping id (its seq), to match the pong
 * @param t0 - the send time on the pinging side's clock, in milliseconds
 * @returns the frame (empty payload)
 */
export function pingFrame(id: number, t0: number): Frame {
  return frame('ping', { seq: id, timestamp: t0 });
}

/**
 * Builds the `pong` answering `ping`: same seq (the ping id), body `{ t0, t1 }`, timestamp t2.
 *
 * @param ping - the ping received (its `seq` and `timestamp` are used)
 * @param t1 - when the ping arrived, on this side's clock
 * @param t2 - when the pong is sent, on this side's clock
 * @returns the frame
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when a timestamp is not finite
 */
export function pongFrame(ping: Pick<Frame, 'seq' | 'timestamp'>, t1: number, t2: number): Frame {
  return build('pongFrame', 'pong', { t0: ping.timestamp, t1 }, checkPong, { seq: ping.seq, timestamp: t2 });
}

/**
 * Builds an `error` frame: a peer tells the other why it is rejecting something.
 *
 * @param body - a stable code and a message
 * @param timestamp - the send time in milliseconds
 * @param about - the channel and seq of the frame the error is about, if any
 * @returns the frame
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when code or message is not a string
 */
export function errorFrame(
  body: ErrorBody,
  timestamp: number,
  about: { channel?: string; seq?: number } = {},
): Frame {
  return build('errorFrame', 'error', body, checkError, { ...about, timestamp });
}

/**
 * Reads and validates the body of a decoded `hello` frame.
 *
 * @param frame - a decoded frame
 * @returns the body (a fresh object)
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_KIND` (not a hello), `WS_KIT_ERR_FRAME_PAYLOAD_KIND`
 *   (payload not JSON), `WS_KIT_ERR_FRAME_MALFORMED` (body fields missing, unknown or out of range)
 */
export function readHello(frame: Frame): HelloBody {
  const b = read('readHello', frame, 'hello', checkHello);
  return {
    sessionId: b.sessionId as string | null,
    versions: [...(b.versions as number[])],
    lastSeq: Object.fromEntries(Object.entries(b.lastSeq as Record<string, number>)),
  };
}

/**
 * Reads and validates the body of a decoded `welcome` frame.
 *
 * @param frame - a decoded frame
 * @returns the body (a fresh object)
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_KIND`, `WS_KIT_ERR_FRAME_PAYLOAD_KIND`, `WS_KIT_ERR_FRAME_MALFORMED`
 */
export function readWelcome(frame: Frame): WelcomeBody {
  const b = read('readWelcome', frame, 'welcome', checkWelcome);
  return {
    sessionId: b.sessionId as string,
    version: b.version as number,
    lastSeq: Object.fromEntries(Object.entries(b.lastSeq as Record<string, number>)),
  };
}

/**
 * Reads the round-trip timestamps of a decoded `pong` frame; t3 is the receiver's clock on arrival.
 *
 * @param frame - a decoded frame
 * @returns the ping id and t0, t1, t2
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_KIND`, `WS_KIT_ERR_FRAME_PAYLOAD_KIND`, `WS_KIT_ERR_FRAME_MALFORMED`
 */
export function readPong(frame: Frame): PongTimes {
  const b = read('readPong', frame, 'pong', checkPong);
  return { id: frame.seq, t0: b.t0 as number, t1: b.t1 as number, t2: frame.timestamp };
}

/**
 * Reads the body of a decoded `error` frame.
 *
 * @param frame - a decoded frame
 * @returns the code and message
 * @throws {@link FrameError} `WS_KIT_ERR_FRAME_KIND`, `WS_KIT_ERR_FRAME_PAYLOAD_KIND`, `WS_KIT_ERR_FRAME_MALFORMED`
 */
export function readError(frame: Frame): ErrorBody {
  const b = read('readError', frame, 'error', checkError);
  return { code: b.code as string, message: b.message as string };
}
