import type { WsKitError } from '../errors.js';
import type { JsonValue } from '../framing/frame.js';
import type { DisconnectReason } from './close-policy.js';

/** The life of a `ResilientClient`: idle → connecting → open → reconnecting → … → closed. */
export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What a client sends and receives: text as a string, binary as bytes, or (`semantest-v1`) a JSON value. */
export type ClientData = string | Uint8Array | JsonValue;

/** One message a `ResilientClient` received. */
export interface ClientMessage {
  /** Text as a string, binary as bytes, or the decoded `semantest-v1` payload. */
  readonly data: ClientData;
  /** Whether it was binary (plain) or a binary payload (`semantest-v1`). */
  readonly binary: boolean;
  /** The `semantest-v1` channel; `''` in plain mode. */
  readonly channel: string;
  /** The `semantest-v1` sequence number; `0` in plain mode. */
  readonly seq: number;
  /** The sender's timestamp (`semantest-v1`), ms; `undefined` in plain mode. */
  readonly sentAt: number | undefined;
}

/** Options of `client.send()`. */
export interface ClientSendOptions {
  /** The `semantest-v1` channel (ignored in plain mode). @default '' */
  readonly channel?: string;
  /** The `semantest-v1` priority, 0–255. @default 0 */
  readonly priority?: number;
}

/** A state change, as the `state` event reports it. */
export interface ClientStateChange {
  /** The state before. */
  readonly from: ClientState;
  /** The state now. */
  readonly to: ClientState;
  /** Why, when the change follows a disconnect. */
  readonly reason: DisconnectReason | undefined;
}

/** The `reconnecting` event: a connection was lost (or an attempt failed) and the next attempt is scheduled. */
export interface ReconnectingEvent {
  /** The attempt about to be made, from 1. */
  readonly attempt: number;
  /** The drawn delay before it, ms. */
  readonly delayMs: number;
  /** Why the previous connection or attempt ended. */
  readonly reason: DisconnectReason;
}

/** The `reconnected` event: a connection is ready again. */
export interface ReconnectedEvent {
  /** Attempts it took. */
  readonly attempts: number;
  /** Time from losing the previous connection to this one being ready, ms. */
  readonly downtimeMs: number;
  /**
   * `semantest-v1`: frames written again at once because the server, in its `welcome`, did not have
   * them (up to the ack window; the rest follow as acks arrive).
   */
  readonly resent: number;
}

/** The `ack` event: the server acknowledged messages. */
export interface AckEvent {
  /** The channel acknowledged. */
  readonly channel: string;
  /** The cumulative seq acknowledged. */
  readonly seq: number;
  /** How many messages this ack settled. */
  readonly count: number;
}

/** The `overflow` event: the buffer bounds were hit; `dropped` messages were refused or dropped (their `send()` rejected). */
export interface ClientOverflowEvent {
  /** The buffer's overflow policy. */
  readonly policy: 'reject' | 'drop-oldest' | 'error';
  /** Messages refused or dropped. */
  readonly dropped: number;
  /** The `WS_KIT_ERR_BUFFER_OVERFLOW` error their `send()` rejected with. */
  readonly error: WsKitError;
}

/** The events of a `ResilientClient` (subscribe with `client.on(name, listener)`). */
export interface ResilientClientEvents {
  /** The first connection is ready (`semantest-v1`: after `welcome`). */
  open: () => void;
  /** A message arrived (`semantest-v1`: in order, exactly once per channel). */
  message: (message: ClientMessage) => void;
  /** The client closed for good: the user's `close()`, a reason the policy does not reconnect on, or `maxAttempts`. */
  close: (reason: DisconnectReason) => void;
  /** A connection was lost or an attempt failed; the next attempt is scheduled. */
  reconnecting: (event: ReconnectingEvent) => void;
  /** A connection is ready again after a loss. */
  reconnected: (event: ReconnectedEvent) => void;
  /** Every state change, with its reason. */
  state: (change: ClientStateChange) => void;
  /** The server acknowledged messages (`semantest-v1`). */
  ack: (event: AckEvent) => void;
  /** The buffer bounds were hit. */
  overflow: (event: ClientOverflowEvent) => void;
  /** Something went wrong that did not stop the client (or, with `close`, did). Never thrown. */
  error: (error: Error) => void;
}

/** What `client.stats()` returns. */
export interface ClientStats {
  /** The current state. */
  readonly state: ClientState;
  /** Connections made after the first. */
  readonly reconnects: number;
  /** Total time not connected since the first connection, ms (the current outage included). */
  readonly downtimeMs: number;
  /** The last heartbeat round trip, ms (`semantest-v1`), or `undefined`. */
  readonly lastRttMs: number | undefined;
  /** Messages held: written and not acked, plus not yet written. */
  readonly unacked: number;
  /** WebSocket messages handed to the socket: resends and (`semantest-v1`) control frames included. */
  readonly messagesOut: number;
  /** WebSocket messages received, control frames included. */
  readonly messagesIn: number;
  /** Bytes of the messages in `messagesOut` (whole frames with `semantest-v1`; UTF-8 bytes for text). */
  readonly bytesOut: number;
  /** Bytes of the messages in `messagesIn`, counted the same way. */
  readonly bytesIn: number;
  /** Frames written again (ack timeout, nack, reconnect). */
  readonly resends: number;
  /** Incoming duplicates dropped before the application saw them (`semantest-v1`). */
  readonly duplicatesDropped: number;
}
