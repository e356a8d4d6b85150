import { WsKitError } from '../errors.js';
import {
  helloFrame,
  pingFrame,
  pongFrame,
  readError,
  readPong,
  readWelcome,
} from '../framing/control-frames.js';
import type { Frame } from '../framing/frame.js';
import { decodeFrame, encodeFrame } from '../framing/frame-codec.js';
import { readableBinaryDataHeader } from '../server/protocol/readable-header.js';
import { unexpectedFrameError } from './client-errors.js';
import type { ResolvedClientOptions } from './client-options.js';
import type { ClientMessage } from './client-types.js';
import { Inbound } from './inbound.js';
import type { Sender } from './sender.js';

/** What the receiver needs from the client around it (internal). */
export interface ReceiverHost {
  readonly o: ResolvedClientOptions;
  readonly sender: Sender;
  /** A connection is up and welcomed. */
  ready(): boolean;
  /** The current connection was welcomed, even if it is CLOSING now. */
  hasWelcome(): boolean;
  write(data: Uint8Array | string): void;
  message(message: ClientMessage): void;
  error(error: Error): void;
  /** The server welcomed us (or, in plain mode, the socket opened): the connection is ready. */
  welcomed(): void;
  /** The server broke the protocol on this connection: drop it. */
  broken(error: Error): void;
  /** A sign of life: a pong, or (plain mode) any message. */
  alive(rttMs: number | undefined): void;
}

/**
 * The receiving half of a ResilientClient (internal): decodes and dispatches `semantest-v1` frames,
 * delivers data in order and exactly once (acks, nacks, dedupe), and runs the hello/welcome
 * exchange that resumes a session.
 */
export class Receiver {
  readonly #host: ReceiverHost;
  #inbound: Inbound;
  #sessionId: string | null = null;
  #pingId = 0;

  constructor(host: ReceiverHost) {
    this.#host = host;
    this.#inbound = this.#newInbound();
  }

  /** The session id, once a `welcome` arrived. */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Duplicate data frames dropped, over every session. */
  get duplicates(): number {
    return this.#inbound.duplicates;
  }

  /** The `hello` that opens (or resumes) the session on a new connection. */
  hello(): Uint8Array {
    const body = { sessionId: this.#sessionId, versions: [1], lastSeq: this.#inbound.lastSeqs() };
    return encodeFrame(helloFrame(body, this.#host.o.clock.now()));
  }

  /** A `semantest-v1` ping (ClockSync's four timestamps come back in the pong). */
  ping(): Uint8Array {
    return encodeFrame(pingFrame(++this.#pingId, this.#host.o.clock.now()));
  }

  /** Sends the acks still batched (before a close). */
  flushAcks(): void {
    this.#inbound.flushAcks();
  }

  /** The connection ended: batched acks and nack pacing are reset. */
  disconnected(): void {
    this.#inbound.disconnected();
  }

  /** One message from the socket. */
  received(data: string | Uint8Array): void {
    const host = this.#host;
    if (host.o.protocol === 'plain') {
      host.alive(undefined);
      host.message({ data, binary: typeof data !== 'string', channel: '', seq: 0, sentAt: undefined });
      return;
    }
    if (typeof data === 'string') {
      host.error(
        new WsKitError(
          'WS_KIT_ERR_PROTOCOL',
          'ResilientClient: a text message on semantest-v1 (frames to the client are binary); ignored',
          { expected: 'a binary frame', received: data.slice(0, 64) },
        ),
      );
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      const bad = readableBinaryDataHeader(data);
      if (bad) this.#inbound.nack(bad.channel, bad.seq);
      host.error(error as Error);
      return;
    }
    this.#dispatch(frame);
  }

  #dispatch(frame: Frame): void {
    const host = this.#host;
    switch (frame.kind) {
      case 'data':
        this.#inbound.data(frame);
        return;
      case 'ack':
        host.sender.acked(frame.channel, frame.seq);
        return;
      case 'nack':
        host.sender.nacked(frame.channel, frame.seq);
        return;
      case 'welcome':
        // a second welcome on a welcomed connection (duplicated on the way): there is nothing to resume
        if (host.hasWelcome()) host.error(unexpectedFrameError('welcome', ' on a welcomed connection'));
        else this.#welcomed(frame);
        return;
      case 'pong': {
        const t = readPong(frame);
        host.alive(host.o.clock.now() - t.t0 - (t.t2 - t.t1));
        return;
      }
      case 'ping': {
        const now = host.o.clock.now();
        host.write(encodeFrame(pongFrame(frame, now, now)));
        return;
      }
      case 'error': {
        const body = readError(frame);
        // our hello reached the server unreadable (corrupted on the way): say it again
        if (!host.ready() && body.code === 'WS_KIT_ERR_FRAME_CHECKSUM') host.write(this.hello());
        host.error(
          new WsKitError('WS_KIT_ERR_PROTOCOL', `server error ${body.code}: ${body.message}`, {
            received: body,
          }),
        );
        return;
      }
      default:
        host.error(unexpectedFrameError(frame.kind));
    }
  }

  #welcomed(frame: Frame): void {
    let body: ReturnType<typeof readWelcome>;
    try {
      body = readWelcome(frame);
    } catch (error) {
      this.#host.broken(error as Error);
      return;
    }
    if (this.#sessionId !== null && body.sessionId !== this.#sessionId) this.#sessionLost(body.sessionId);
    this.#sessionId = body.sessionId;
    this.#host.sender.welcomed(body.lastSeq);
    this.#host.welcomed();
  }

  /** The server did not resume our session (it lost it): start a new one, numbering from 1 again. */
  #sessionLost(newId: string): void {
    this.#host.error(
      new WsKitError(
        'WS_KIT_ERR_PROTOCOL',
        `ResilientClient: session ${this.#sessionId} was not resumed (the server no longer has it); continuing in ${newId}: unacked messages are sent again, renumbered; what the server had not yet delivered from the old session is lost on its side`,
        { expected: this.#sessionId, received: newId },
      ),
    );
    this.#inbound = this.#newInbound(this.#inbound.duplicates);
    this.#host.sender.restartNumbering();
  }

  #newInbound(duplicates = 0): Inbound {
    const host = this.#host;
    const { ack, clock } = host.o;
    const inbound = new Inbound(
      {
        clock,
        write: (frame) => {
          if (host.ready()) host.write(encodeFrame(frame));
        },
        deliver: (frame) =>
          host.message({
            data: frame.payload.data,
            binary: frame.payload.kind === 'binary',
            channel: frame.channel,
            seq: frame.seq,
            sentAt: frame.timestamp,
          }),
      },
      {
        ackEvery: ack.ackEvery,
        ackDelayMs: ack.ackDelayMs,
        maxHeld: ack.maxHeld,
        nackEveryMs: ack.timeoutMs,
      },
    );
    inbound.duplicates = duplicates;
    return inbound;
  }
}
