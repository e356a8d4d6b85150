import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/index.js';
import { FrameError, isWsKitError, OptionsError, ProtocolError, type WsKitError } from '../../errors.js';
import {
  decodeFrame,
  decodeJsonFrame,
  errorFrame,
  type Frame,
  type FramePayload,
  pongFrame,
  readError,
  readPong,
} from '../../framing/index.js';
import { checkNumber } from '../../internal/options.js';
import { EndpointCore, type EndpointState } from './endpoint-core.js';
import { answerHello } from './endpoint-handshake.js';
import { EndpointInbound } from './endpoint-inbound.js';
import { EndpointOutbound } from './endpoint-outbound.js';
import { CLOSE_CODES, closeCodeFor, internalError, truncateReason } from './frame-faults.js';
import type { ServerProtocolEvents, ServerProtocolStats } from './protocol-events.js';
import { resolveServerProtocolOptions, type ServerProtocolOptions } from './protocol-options.js';
import type { ProtocolSession, SessionOwner } from './protocol-session.js';
import type { SessionStore } from './session-store.js';

export type { EndpointState } from './endpoint-core.js';

/** What a {@link ServerProtocolEndpoint} needs: a way to send, the session store, and options. */
export interface ServerProtocolEndpointInit {
  /** Sends one WebSocket message: a `Uint8Array` as a binary message, a string (JSON envelope) as a text message. */
  readonly send: (data: Uint8Array | string) => void;
  /** The server's sessions (one store for the server's lifetime). */
  readonly store: SessionStore;
  /** Time and timers (ack delay, timestamps). @default the store's clock */
  readonly clock?: Clock;
  /** Tunables; see {@link ServerProtocolOptions}. */
  readonly options?: ServerProtocolOptions;
}

/** Per-call options of {@link ServerProtocolEndpoint.sendData}. */
export interface SendDataOptions {
  /** The frame's priority, an integer in `[0, 255]`; larger is more urgent. @default 0 */
  readonly priority?: number;
}

/**
 * Endpoints created so far in this process: each one's {@link SessionOwner.opened}. Kept on
 * `globalThis` under a registered symbol, so that the ESM and CJS copies of the package (which may
 * share a `SessionStore`) count on one counter.
 */
const OPENED = Symbol.for('@semantest/ws-kit:endpoints-opened');

function nextOpened(): number {
  const g = globalThis as { [OPENED]?: number };
  g[OPENED] = (g[OPENED] ?? 0) + 1;
  return g[OPENED];
}

/**
 * The server side of `semantest-v1` for one connection, on bytes: feed it every message with
 * {@link ServerProtocolEndpoint.receive}; it answers through `send` and reports through events.
 * It answers `hello` with `welcome` (new or resumed session) and replays unacked frames; verifies
 * and dedupes data frames, delivers them once and in order (`data`), and acks them cumulatively in
 * batches; releases replayed frames on the client's acks; answers pings. No sockets, no global
 * timers: time comes from the injected clock.
 *
 * A facade over internal helpers: `EndpointInbound` (client → server data), `EndpointOutbound`
 * (server → client data and replay), `answerHello` (the handshake), and `EndpointCore` (the state
 * they share).
 *
 * @example
 * ```ts
 * const endpoint = new ServerProtocolEndpoint({ send: (d) => socket.send(d), store });
 * endpoint.on('data', (frame) => endpoint.sendData(frame.channel, frame.payload)); // echo
 * endpoint.on('protocolError', (e) => socket.close(e.closeCode, e.reason));
 * socket.on('message', (data, isBinary) => endpoint.receive(data as Buffer, isBinary));
 * socket.on('close', () => endpoint.detach());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1 for the close codes it asks for
 */
export class ServerProtocolEndpoint extends EventEmitter<ServerProtocolEvents> {
  readonly #core: EndpointCore;
  readonly #inbound: EndpointInbound;
  readonly #outbound: EndpointOutbound;
  readonly #owner: SessionOwner;

  /**
   * @param init - `send`, `store`, optional `clock` and `options`
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for a missing `send`/`store` or an invalid option
   */
  constructor(init: ServerProtocolEndpointInit) {
    super();
    if (typeof init?.send !== 'function' || typeof init.store?.get !== 'function') {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        'ServerProtocolEndpoint needs { send: function, store: SessionStore }',
        { received: init },
      );
    }
    this.#core = new EndpointCore({
      send: init.send,
      store: init.store,
      clock: init.clock ?? init.store.clock,
      options: resolveServerProtocolOptions(init.options),
      events: this,
    });
    this.#inbound = new EndpointInbound(this.#core);
    this.#outbound = new EndpointOutbound(this.#core);
    this.#owner = {
      displaced: (reason, sessionId) => this.#displaced(reason, sessionId),
      opened: nextOpened(),
      transmit: (frame, binary) => this.#core.transmit(frame, binary),
    };
  }

  /** Where the endpoint is in its life. */
  get state(): EndpointState {
    return this.#core.state;
  }

  /** The session id once `hello` was answered, else `undefined`. */
  get sessionId(): string | undefined {
    return this.#core.session?.id;
  }

  /** The session once `hello` was answered, else `undefined`. */
  get session(): ProtocolSession | undefined {
    return this.#core.session;
  }

  /**
   * Reads the counters.
   *
   * @returns a fresh snapshot
   */
  stats(): ServerProtocolStats {
    return { ...this.#core.counters };
  }

  /**
   * Handles one incoming WebSocket message. Never throws: bad input becomes a `nack`, an `error`
   * frame, or a `protocolError` event naming the close code. Ignored once the endpoint is no
   * longer attached (detached, displaced, failed, closed).
   *
   * @param data - the message: bytes (a `Buffer` is a `Uint8Array`), or a string for a text message
   * @param isBinary - whether it was a binary message (ws's second `message` argument);
   *   default: `true` unless `data` is a string. Text messages carry JSON envelopes.
   */
  receive(data: Uint8Array | ArrayBuffer | string, isBinary?: boolean): void {
    const core = this.#core;
    if (!core.live) return;
    const t1 = core.clock.now();
    const input = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const text = isBinary === undefined ? typeof input === 'string' : !isBinary;
    core.countIn(input);
    if (core.state === 'awaiting-hello' && core.options.encoding === 'auto') core.text = text;
    try {
      let frame: Frame;
      try {
        frame = text ? decodeJsonFrame(input, core.codec) : decodeFrame(input as Uint8Array, core.codec);
      } catch (error) {
        if (error instanceof FrameError && error.code === 'WS_KIT_ERR_FRAME_CHECKSUM') {
          this.#inbound.corrupt(error, input, text);
        } else {
          this.#fail(isWsKitError(error) ? error : internalError(error));
        }
        return;
      }
      this.#handle(frame, t1, text);
    } catch (error) {
      // After decoding, a FrameError comes from a control-frame reader: a body that breaks the protocol.
      if (error instanceof FrameError) this.#fail(error, CLOSE_CODES.protocolError);
      else this.#fail(isWsKitError(error) ? error : internalError(error));
    }
  }

  /**
   * Sends application data to the client: sequences it per (session, channel), keeps it in the
   * replay buffer until acked, and sends it now if a connection is attached. Before `hello` the
   * call is queued (sequenced when the session is known); after a detach it waits for the resume.
   *
   * @param channel - the channel (at most 255 UTF-8 bytes)
   * @param payload - a {@link FramePayload}, a string (text), or bytes (binary; copied)
   * @param options - the priority
   * @returns `true` when accepted; `false` when the buffer is full under policy `'reject'`
   * @throws {@link ProtocolError} `WS_KIT_ERR_BUFFER_OVERFLOW` when full under policy `'error'`;
   *   `WS_KIT_ERR_PROTOCOL` after `close()`, or with no session after the connection failed or went
   * @throws {@link FrameError} for a channel or payload a frame cannot carry
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a priority out of range
   */
  sendData(
    channel: string,
    payload: FramePayload | string | Uint8Array,
    options: SendDataOptions = {},
  ): boolean {
    const priority = checkNumber(
      'sendData priority',
      options.priority ?? 0,
      { integer: true, min: 0, max: 255 },
      'argument',
    );
    return this.#outbound.send(channel, payload, priority);
  }

  /** Sends every pending cumulative ack now (e.g. before a graceful restart). */
  flushAcks(): void {
    if (this.#core.state === 'open') this.#inbound.flushAcks();
  }

  /**
   * The socket went away: stop using it. The session stays in the store (with its unacked frames)
   * for the client to resume. Idempotent.
   */
  detach(): void {
    const core = this.#core;
    if (core.state === 'closed' || core.state === 'detached') return;
    this.#release();
    if (core.state !== 'displaced' && core.state !== 'failed') core.state = 'detached';
  }

  /**
   * Ends the endpoint and its session for good: the session is removed from the store (a later
   * `hello` with its id gets a new session). Use {@link ServerProtocolEndpoint.detach} to keep it.
   * Idempotent.
   *
   * @returns a promise that resolves once everything is released
   */
  async close(): Promise<void> {
    const core = this.#core;
    if (core.state === 'closed') return;
    this.#release();
    if (core.session !== undefined && !core.session.attached) core.store.delete(core.session.id);
    core.state = 'closed';
    this.removeAllListeners();
  }

  /** Same as {@link ServerProtocolEndpoint.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #release(): void {
    const { session, clock, store } = this.#core;
    this.#inbound.cancelAcks();
    this.#outbound.stop();
    if (session === undefined) this.#outbound.discardPending();
    else {
      session.detach(clock.now(), this.#owner);
      store.touch(session);
    }
  }

  #handle(frame: Frame, t1: number, text: boolean): void {
    const core = this.#core;
    if (frame.kind === 'ping') {
      core.write(pongFrame(frame, t1, core.clock.now()));
      return;
    }
    if (frame.kind === 'hello') {
      answerHello(core, this.#outbound, this.#owner, frame, text);
      return;
    }
    if (frame.kind === 'error') {
      this.emit('peerError', { ...readError(frame), channel: frame.channel, seq: frame.seq });
      return;
    }
    if (frame.kind === 'pong') {
      this.emit('pong', { ...readPong(frame), t3: t1 });
      return;
    }
    const session = core.session;
    if (session === undefined || frame.kind === 'welcome') {
      const why =
        frame.kind === 'welcome' ? 'a server never accepts welcome' : 'the first frame must be hello';
      throw new ProtocolError('WS_KIT_ERR_PROTOCOL', `unexpected ${frame.kind} frame: ${why}`, {
        received: frame.kind,
        channel: frame.channel,
        seq: frame.seq,
      });
    }
    if (frame.kind === 'ack') this.#outbound.acked(session, frame);
    else if (frame.kind === 'nack') this.#outbound.nacked(session, frame);
    else this.#inbound.data(session, frame);
  }

  #fail(error: WsKitError, closeCode = closeCodeFor(error)): void {
    const core = this.#core;
    if (!core.live) return;
    core.counters.protocolErrors++;
    try {
      const about =
        typeof error.channel === 'string' && error.seq !== undefined
          ? { channel: error.channel, seq: error.seq }
          : {};
      core.write(errorFrame({ code: error.code, message: error.message }, core.clock.now(), about));
    } catch {
      // the socket may already be unusable; the close below still tells the client
    }
    this.#release();
    core.state = 'failed';
    this.emit('protocolError', { error, closeCode, reason: truncateReason(error.message) });
  }

  #displaced(
    reason = 'session resumed by another connection',
    sessionId = this.#core.session?.id ?? '',
  ): void {
    if (this.#core.state !== 'open' && this.#core.state !== 'awaiting-hello') return;
    this.#inbound.cancelAcks();
    this.#core.state = 'displaced';
    this.emit('displaced', { sessionId, closeCode: CLOSE_CODES.normal, reason });
  }
}
