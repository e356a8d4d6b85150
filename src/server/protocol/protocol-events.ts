import type { FrameError, ProtocolError, WsKitError } from '../../errors.js';
import type { Frame, PongTimes } from '../../framing/index.js';
import type { OverflowPolicy } from './protocol-options.js';
import type { DroppedFrame } from './replay-buffer.js';

/** The payload of the `session` event: a `welcome` was sent. */
export interface SessionEvent {
  /** The session now attached to the connection. */
  readonly sessionId: string;
  /** Whether an existing session was resumed (`false`: a new one was created). */
  readonly resumed: boolean;
  /** The id the client's `hello` asked for (`null` for a new session); differs from `sessionId` when it was unknown or evicted. */
  readonly requestedSessionId: string | null;
  /** How many unacked server → client frames were replayed after the welcome. */
  readonly replayed: number;
}

/** The payload of the `protocolError` event: the server must close the socket with `closeCode`. */
export interface ProtocolErrorEvent {
  /** What went wrong (a `FrameError` from decoding, or a `ProtocolError`). */
  readonly error: WsKitError;
  /** The RFC 6455 close code to use: 1002, 1007, 1009, 1011 or 1013. */
  readonly closeCode: number;
  /** A close reason of at most 123 UTF-8 bytes (the RFC 6455 limit). */
  readonly reason: string;
}

/** The payload of the `corruptFrame` event: a frame failed its CRC32C (the connection stays open). */
export interface CorruptFrameEvent {
  /** The `WS_KIT_ERR_FRAME_CHECKSUM` error. */
  readonly error: FrameError;
  /** The (channel, seq) nacked, or `undefined` when none was readable (an `error` frame was sent instead). */
  readonly nacked:
    | {
        /** The channel of the corrupted frame. */
        readonly channel: string;
        /** The sequence number nacked (the client resends it). */
        readonly seq: number;
      }
    | undefined;
}

/** The payload of the `overflow` event: a bounded buffer was full. */
export interface OverflowEvent {
  /** Which buffer: server → client `replay`, client → server `reorder`, or the `pending` queue before `hello`. */
  readonly buffer: 'replay' | 'reorder' | 'pending';
  /** What was done: the frame refused (`reject`/`error`) or the oldest dropped (`drop-oldest`). */
  readonly policy: OverflowPolicy;
  /** The `WS_KIT_ERR_BUFFER_OVERFLOW` error (thrown by `sendData` too under policy `'error'`). */
  readonly error: ProtocolError;
  /** The frames given up on (seq 0: a frame queued before `hello`, not yet sequenced). */
  readonly dropped: readonly DroppedFrame[];
}

/** The payload of the `displaced` event: another connection resumed this session. */
export interface DisplacedEvent {
  /** The session taken over (or, for a late `hello` refused, the session it asked for). */
  readonly sessionId: string;
  /** The close code to use (1000). */
  readonly closeCode: number;
  /** The close reason. */
  readonly reason: string;
}

/** The payload of the `discarded` event: frames queued before `hello` whose connection went without one. */
export interface DiscardedEvent {
  /** How many `sendData` calls were never sequenced. */
  readonly count: number;
}

/** The events of a {@link ServerProtocolEndpoint}. */
export interface ServerProtocolEvents {
  /** A client → server data frame, delivered exactly once and in order per (session, channel); seq 0 frames are unsequenced. */
  data: (frame: Frame) => void;
  /** A `welcome` was sent (and unacked frames replayed). */
  session: (event: SessionEvent) => void;
  /** A protocol violation: close the socket with `closeCode`. The endpoint ignores further input. */
  protocolError: (event: ProtocolErrorEvent) => void;
  /** A frame failed its checksum and was nacked (or answered with an `error` frame). */
  corruptFrame: (event: CorruptFrameEvent) => void;
  /** A bounded buffer was full. */
  overflow: (event: OverflowEvent) => void;
  /** The client answered a server ping; `t3` is this side's receive time. */
  pong: (times: PongTimes & { readonly t3: number }) => void;
  /** The client sent an `error` frame. */
  peerError: (event: {
    readonly code: string;
    readonly message: string;
    readonly channel: string;
    readonly seq: number;
  }) => void;
  /** Another connection resumed the session: close this socket with `closeCode`. */
  displaced: (event: DisplacedEvent) => void;
  /** `sendData` calls queued before `hello` were discarded because the connection went without one. */
  discarded: (event: DiscardedEvent) => void;
}

/** Counters of a {@link ServerProtocolEndpoint} (one connection). */
export interface ServerProtocolStats {
  /** WebSocket messages received (valid or not). */
  readonly framesIn: number;
  /** Frames sent (data, control and replays). */
  readonly framesOut: number;
  /** Bytes received (UTF-8 bytes for text messages). */
  readonly bytesIn: number;
  /** Bytes sent. */
  readonly bytesOut: number;
  /** Data frames delivered to the application. */
  readonly delivered: number;
  /** `ack` frames sent. */
  readonly acksSent: number;
  /** `ack` frames received. */
  readonly acksReceived: number;
  /** `nack` frames sent (checksum failures and gaps). */
  readonly nacksSent: number;
  /** `nack` frames received. */
  readonly nacksReceived: number;
  /** Data frames sent again: after a resume, or on a client's nack. */
  readonly replays: number;
  /** Client → server data frames dropped as duplicates (and re-acked). */
  readonly duplicatesDropped: number;
  /** Frames that failed their CRC32C. */
  readonly checksumFailures: number;
  /** `overflow` events. */
  readonly overflows: number;
  /** `protocolError` events (0 or 1 per connection). */
  readonly protocolErrors: number;
}
