import { FrameError } from '../../errors.js';
import type { Frame } from '../../framing/index.js';
import { ReceiveWindow } from './receive-window.js';
import { ReplayBuffer } from './replay-buffer.js';

/** The connection attached to a session: how to reach it. Implemented by {@link ServerProtocolEndpoint}. */
export interface SessionOwner {
  /**
   * Another connection resumed the session (or, with `reason`, this connection's `hello` for session
   * `sessionId` came after a newer connection had taken it); this one must stop.
   */
  displaced(reason?: string, sessionId?: string): void;
  /**
   * The order the connection opened in (ServerProtocolEndpoint: its construction order). A `hello`
   * from a connection older than the attached one does not take the session from it: that is a
   * late `hello` from an attempt the client gave up. Without it, the latest `hello` always wins.
   */
  readonly opened?: number;
  /** Sends a sequenced data frame (already in the replay buffer) on this connection. */
  transmit(frame: Frame, binary: Uint8Array): void;
}

/**
 * The state of one `semantest-v1` session, kept by a {@link SessionStore} across dropped
 * connections and server restarts: what the client sent (dedupe, order), what the server sent and
 * the client has not acked yet (replay), and the next server → client seq per channel.
 * A {@link ServerProtocolEndpoint} attaches to it for the life of one connection.
 */
export class ProtocolSession {
  /** The session id, sent in `welcome` and presented by the client's `hello` to resume. */
  readonly id: string;
  /** When the session was created, on the store's clock (ms). */
  readonly createdAt: number;
  /** Client → server: dedupe and in-order release per channel. */
  readonly inbound = new ReceiveWindow();
  /** Server → client: the unacked frames, replayed after a resume. */
  readonly outbound = new ReplayBuffer();
  #lastActiveAt: number;
  readonly #nextSeq = new Map<string, number>();
  #owner: SessionOwner | undefined;

  /**
   * @param id - the session id
   * @param now - the creation time
   */
  constructor(id: string, now: number) {
    this.id = id;
    this.createdAt = now;
    this.#lastActiveAt = now;
  }

  /** When a connection last attached to or detached from the session (ms, store clock). */
  get lastActiveAt(): number {
    return this.#lastActiveAt;
  }

  /** Whether a connection is attached (an attached session is never evicted). */
  get attached(): boolean {
    return this.#owner !== undefined;
  }

  /**
   * Attaches a connection. A connection already attached is displaced: its `displaced()` runs,
   * so its endpoint can tell the server to close that socket — unless it opened after `owner`
   * (see {@link SessionOwner.opened}): then `owner` is refused and the session stays where it is.
   *
   * @param now - the current time
   * @param owner - the connection
   * @returns `false` when `owner` was refused
   */
  attach(now: number, owner: SessionOwner): boolean {
    const previous = this.#owner;
    if (
      previous !== undefined &&
      previous !== owner &&
      previous.opened !== undefined &&
      owner.opened !== undefined &&
      previous.opened > owner.opened
    ) {
      return false;
    }
    this.#owner = owner;
    this.#lastActiveAt = now;
    if (previous !== undefined && previous !== owner) previous.displaced();
    return true;
  }

  /**
   * Detaches `owner` (a displaced connection detaching later leaves the new one attached).
   *
   * @param now - the current time
   * @param owner - the connection given to {@link ProtocolSession.attach}
   */
  detach(now: number, owner: SessionOwner): void {
    if (this.#owner !== owner) return;
    this.#owner = undefined;
    this.#lastActiveAt = now;
  }

  /**
   * Sends a frame on the attached connection, if any (frames sent while detached wait in the
   * replay buffer for the next resume).
   *
   * @param frame - a data frame already pushed to {@link ProtocolSession.outbound}
   * @param binary - its binary encoding
   * @returns `true` when a connection was attached
   */
  transmit(frame: Frame, binary: Uint8Array): boolean {
    this.#owner?.transmit(frame, binary);
    return this.#owner !== undefined;
  }

  /**
   * Reads the seq the next server → client frame on a channel will get.
   *
   * @param channel - the channel
   * @returns the seq (from 1)
   * @throws {@link FrameError} `WS_KIT_ERR_SEQUENCE_EXHAUSTED` past `Number.MAX_SAFE_INTEGER`
   */
  peekSeq(channel: string): number {
    const seq = this.#nextSeq.get(channel) ?? 1;
    if (seq > Number.MAX_SAFE_INTEGER) {
      throw new FrameError(
        'WS_KIT_ERR_SEQUENCE_EXHAUSTED',
        `channel ${JSON.stringify(channel)} has used every seq`,
        {
          channel,
        },
      );
    }
    return seq;
  }

  /**
   * Consumes the seq returned by {@link ProtocolSession.peekSeq}.
   *
   * @param channel - the channel
   */
  commitSeq(channel: string): void {
    this.#nextSeq.set(channel, this.peekSeq(channel) + 1);
  }

  /**
   * Reads the last seq sent on a channel.
   *
   * @param channel - the channel
   * @returns the seq, `0` when nothing was sent
   */
  lastSent(channel: string): number {
    return (this.#nextSeq.get(channel) ?? 1) - 1;
  }
}
