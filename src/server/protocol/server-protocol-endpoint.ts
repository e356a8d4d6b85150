import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/index.js';
import { FrameError, isWsKitError, OptionsError, ProtocolError, type WsKitError } from '../../errors.js';
import {
  ackFrame,
  decodeFrame,
  decodeJsonFrame,
  encodeFrame,
  encodeJsonFrame,
  errorFrame,
  type Frame,
  type FramePayload,
  nackFrame,
  pongFrame,
  readError,
  readHello,
  readPong,
  welcomeFrame,
} from '../../framing/index.js';
import { utf8Length } from '../../framing/utf8.js';
import { checkNumber } from '../../internal/options.js';
import { AckBatcher } from './ack-batcher.js';
import {
  CLOSE_CODES,
  closeCodeFor,
  internalError,
  readableDataHeader,
  truncateReason,
} from './frame-faults.js';
import type { ServerProtocolEvents, ServerProtocolStats } from './protocol-events.js';
import { resolveServerProtocolOptions, type ServerProtocolOptions } from './protocol-options.js';
import type { ProtocolSession, SessionOwner } from './protocol-session.js';
import type { DroppedFrame } from './replay-buffer.js';
import type { SessionStore } from './session-store.js';

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

/** Where a {@link ServerProtocolEndpoint} is in its life. */
export type EndpointState = 'awaiting-hello' | 'open' | 'detached' | 'displaced' | 'failed' | 'closed';

/** Per-call options of {@link ServerProtocolEndpoint.sendData}. */
export interface SendDataOptions {
  /** The frame's priority, an integer in `[0, 255]`; larger is more urgent. @default 0 */
  readonly priority?: number;
}

type Stats = { -readonly [K in keyof ServerProtocolStats]: number };

/**
 * The server side of `semantest-v1` for one connection, on bytes: feed it every message with
 * {@link ServerProtocolEndpoint.receive}; it answers through `send` and reports through events.
 * It answers `hello` with `welcome` (new or resumed session) and replays unacked frames; verifies
 * and dedupes data frames, delivers them once and in order (`data`), and acks them cumulatively in
 * batches; releases replayed frames on the client's acks; answers pings. No sockets, no global
 * timers: time comes from the injected clock.
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
  readonly #send: (data: Uint8Array | string) => void;
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #o: Readonly<Required<ServerProtocolOptions>>;
  readonly #codec: { maxPayloadBytes: number };
  readonly #acks: AckBatcher;
  readonly #owner: SessionOwner;
  #state: EndpointState = 'awaiting-hello';
  #session: ProtocolSession | undefined;
  #text = false;
  #pending: { channel: string; payload: FramePayload; priority: number }[] = [];
  readonly #nacked = new Map<string, { seq: number; at: number }>();
  readonly #stats: Stats = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    delivered: 0,
    acksSent: 0,
    acksReceived: 0,
    nacksSent: 0,
    nacksReceived: 0,
    replays: 0,
    duplicatesDropped: 0,
    checksumFailures: 0,
    overflows: 0,
    protocolErrors: 0,
  };

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
    this.#send = init.send;
    this.#store = init.store;
    this.#clock = init.clock ?? init.store.clock;
    this.#o = resolveServerProtocolOptions(init.options);
    this.#text = this.#o.encoding === 'json';
    this.#codec = { maxPayloadBytes: this.#o.maxPayloadBytes };
    this.#acks = new AckBatcher(this.#clock, this.#o.ackEvery, this.#o.ackDelayMs, (c) => this.#ack(c));
    this.#owner = {
      displaced: () => this.#displaced(),
      transmit: (frame, binary) => this.#transmit(frame, binary),
    };
  }

  /** Where the endpoint is in its life. */
  get state(): EndpointState {
    return this.#state;
  }

  /** The session id once `hello` was answered, else `undefined`. */
  get sessionId(): string | undefined {
    return this.#session?.id;
  }

  /** The session once `hello` was answered, else `undefined`. */
  get session(): ProtocolSession | undefined {
    return this.#session;
  }

  /**
   * Reads the counters.
   *
   * @returns a fresh snapshot
   */
  stats(): ServerProtocolStats {
    return { ...this.#stats };
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
    if (this.#state !== 'awaiting-hello' && this.#state !== 'open') return;
    const t1 = this.#clock.now();
    const input = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    const text = isBinary === undefined ? typeof input === 'string' : !isBinary;
    this.#stats.framesIn++;
    this.#stats.bytesIn +=
      typeof input === 'string' ? utf8Length(input) : ((input as Uint8Array | undefined)?.length ?? 0);
    if (this.#state === 'awaiting-hello' && this.#o.encoding === 'auto') this.#text = text;
    try {
      let frame: Frame;
      try {
        frame = text ? decodeJsonFrame(input, this.#codec) : decodeFrame(input as Uint8Array, this.#codec);
      } catch (error) {
        this.#undecodable(error, input, text);
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
    const p: FramePayload =
      typeof payload === 'string'
        ? { kind: 'text', data: payload }
        : payload instanceof Uint8Array
          ? { kind: 'binary', data: payload.slice() }
          : payload;
    if (this.#state === 'closed' || (this.#session === undefined && this.#state !== 'awaiting-hello')) {
      throw new ProtocolError(
        'WS_KIT_ERR_PROTOCOL',
        `sendData: the endpoint is ${this.#state} and has no session`,
        {
          channel,
        },
      );
    }
    if (this.#session === undefined) {
      encodeFrame({ channel, priority, seq: 1, timestamp: 0, payload: p }, this.#codec); // validate now
      if (this.#pending.length >= this.#o.maxReplayFrames) {
        const dropped = this.#o.overflow === 'drop-oldest' ? this.#pending.shift() : undefined;
        const ok = this.#overflow('pending', dropped ? [{ channel: dropped.channel, seq: 0 }] : [], channel);
        if (!ok) return false;
      }
      this.#pending.push({ channel, payload: p, priority });
      return true;
    }
    return this.#sequence(this.#session, channel, p, priority);
  }

  /** Sends every pending cumulative ack now (e.g. before a graceful restart). */
  flushAcks(): void {
    if (this.#state === 'open') this.#acks.flushAll();
  }

  /**
   * The socket went away: stop using it. The session stays in the store (with its unacked frames)
   * for the client to resume. Idempotent.
   */
  detach(): void {
    if (this.#state === 'closed' || this.#state === 'detached') return;
    this.#release();
    if (this.#state !== 'displaced' && this.#state !== 'failed') this.#state = 'detached';
  }

  /**
   * Ends the endpoint and its session for good: the session is removed from the store (a later
   * `hello` with its id gets a new session). Use {@link ServerProtocolEndpoint.detach} to keep it.
   * Idempotent.
   *
   * @returns a promise that resolves once everything is released
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#release();
    if (this.#session !== undefined && !this.#session.attached) this.#store.delete(this.#session.id);
    this.#state = 'closed';
    this.removeAllListeners();
  }

  /** Same as {@link ServerProtocolEndpoint.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #release(): void {
    this.#acks.cancel();
    if (this.#session !== undefined) {
      this.#session.detach(this.#clock.now(), this.#owner);
      this.#store.touch(this.#session);
    } else if (this.#pending.length > 0) {
      const count = this.#pending.length;
      this.#pending = [];
      this.emit('discarded', { count });
    }
  }

  #handle(frame: Frame, t1: number, text: boolean): void {
    if (frame.kind === 'ping') {
      this.#write(pongFrame(frame, t1, this.#clock.now()));
      return;
    }
    if (frame.kind === 'hello') {
      this.#hello(frame, text);
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
    const session = this.#session;
    if (session === undefined || frame.kind === 'welcome') {
      const why =
        frame.kind === 'welcome' ? 'a server never accepts welcome' : 'the first frame must be hello';
      throw new ProtocolError('WS_KIT_ERR_PROTOCOL', `unexpected ${frame.kind} frame: ${why}`, {
        received: frame.kind,
        channel: frame.channel,
        seq: frame.seq,
      });
    }
    if (frame.kind === 'ack') {
      this.#stats.acksReceived++;
      session.outbound.ack(frame.channel, frame.seq);
    } else if (frame.kind === 'nack') {
      this.#stats.nacksReceived++;
      const resend = session.outbound.find(frame.channel, frame.seq);
      if (resend !== undefined) {
        this.#stats.replays++;
        this.#write(resend);
      }
    } else {
      this.#data(session, frame);
    }
  }

  #hello(frame: Frame, text: boolean): void {
    if (this.#session !== undefined) {
      throw new ProtocolError('WS_KIT_ERR_PROTOCOL', 'a second hello on the same connection', {
        received: 'hello',
      });
    }
    const body = readHello(frame);
    if (!body.versions.includes(1)) {
      throw new ProtocolError(
        'WS_KIT_ERR_PROTOCOL',
        `hello offers versions [${body.versions.join(', ')}]; this server speaks 1 (semantest-v1)`,
        { expected: [1], received: body.versions },
      );
    }
    if (this.#o.encoding === 'auto') this.#text = text;
    const found = body.sessionId === null ? undefined : this.#store.get(body.sessionId);
    const session = found ?? this.#store.create();
    session.attach(this.#clock.now(), this.#owner);
    this.#store.touch(session);
    this.#session = session;
    this.#state = 'open';
    if (found !== undefined)
      for (const [c, seq] of Object.entries(body.lastSeq)) session.outbound.ack(c, seq);
    this.#write(
      welcomeFrame(
        { sessionId: session.id, version: 1, lastSeq: session.inbound.lastSeqs() },
        this.#clock.now(),
      ),
    );
    const replay = session.outbound.frames();
    for (const f of replay) this.#write(f);
    this.#stats.replays += replay.length;
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) {
      try {
        this.#sequence(session, p.channel, p.payload, p.priority);
      } catch (error) {
        // Refused under policy 'error': the overflow event named it; the connection goes on.
        if (!(error instanceof ProtocolError && error.code === 'WS_KIT_ERR_BUFFER_OVERFLOW')) throw error;
      }
    }
    this.emit('session', {
      sessionId: session.id,
      resumed: found !== undefined,
      requestedSessionId: body.sessionId,
      replayed: replay.length,
    });
  }

  #data(session: ProtocolSession, frame: Frame): void {
    if (frame.seq === 0) {
      this.#deliver(frame);
      return;
    }
    const { channel } = frame;
    const result = session.inbound.offer(frame, this.#o.maxReorderFrames);
    if (result === 'duplicate') {
      this.#stats.duplicatesDropped++;
      this.#acks.note(channel, 0);
    } else if (result === 'full') {
      this.#overflow('reorder', [{ channel, seq: frame.seq }], channel, 'reject');
    } else if (result === 'next') {
      this.#acks.note(channel, 1);
      this.#deliver(frame);
    }
    for (
      let next = session.inbound.takeNext(channel);
      next !== undefined;
      next = session.inbound.takeNext(channel)
    ) {
      this.#acks.note(channel, 1);
      this.#deliver(next);
    }
    if (this.#o.nackGaps && this.#state === 'open' && session.inbound.hasGap(channel))
      this.#nackGap(session, channel);
  }

  #deliver(frame: Frame): void {
    this.#stats.delivered++;
    try {
      this.emit('data', frame);
    } catch (error) {
      throw internalError(error, `a data listener threw on ${JSON.stringify(frame.channel)}#${frame.seq}`);
    }
  }

  #nackGap(session: ProtocolSession, channel: string): void {
    const seq = session.inbound.delivered(channel) + 1;
    const now = this.#clock.now();
    const last = this.#nacked.get(channel);
    if (last !== undefined && last.seq === seq && now - last.at < Math.max(this.#o.ackDelayMs, 1)) return;
    this.#nacked.set(channel, { seq, at: now });
    this.#stats.nacksSent++;
    this.#write(nackFrame(channel, seq, now));
  }

  #ack(channel: string): void {
    const seq = this.#session?.inbound.delivered(channel) ?? 0;
    if (seq === 0 || this.#state !== 'open') return;
    this.#stats.acksSent++;
    this.#write(ackFrame(channel, seq, this.#clock.now()));
  }

  #sequence(session: ProtocolSession, channel: string, payload: FramePayload, priority: number): boolean {
    const seq = session.peekSeq(channel);
    const frame: Frame = {
      version: 1,
      kind: 'data',
      channel,
      priority,
      seq,
      timestamp: this.#clock.now(),
      payload,
    };
    const binary = encodeFrame(frame, this.#codec);
    const { maxReplayFrames, maxReplayBytes, overflow } = this.#o;
    if (!session.outbound.fits(binary.length, maxReplayFrames, maxReplayBytes)) {
      const dropped: DroppedFrame[] = [];
      if (overflow === 'drop-oldest' && binary.length <= maxReplayBytes) {
        while (!session.outbound.fits(binary.length, maxReplayFrames, maxReplayBytes)) {
          dropped.push(session.outbound.dropOldest()!);
        }
      }
      const policy = overflow === 'drop-oldest' && dropped.length === 0 ? 'error' : overflow;
      if (!this.#overflow('replay', dropped, channel, policy)) return false;
    }
    session.commitSeq(channel);
    session.outbound.push({ frame, bytes: binary.length });
    session.transmit(frame, binary);
    return true;
  }

  /** Emits `overflow`; returns whether to go on (drop-oldest), false to refuse (reject), or throws (error). */
  #overflow(
    buffer: 'replay' | 'reorder' | 'pending',
    dropped: DroppedFrame[],
    channel: string,
    policy = this.#o.overflow,
  ): boolean {
    const limit =
      buffer === 'reorder'
        ? `maxReorderFrames ${this.#o.maxReorderFrames}`
        : `maxReplayFrames ${this.#o.maxReplayFrames} / maxReplayBytes ${this.#o.maxReplayBytes}`;
    const what =
      policy === 'drop-oldest'
        ? `dropped ${dropped.map((d) => `${JSON.stringify(d.channel)}#${d.seq}`).join(', ')}`
        : buffer === 'reorder'
          ? `frame ${JSON.stringify(channel)}#${dropped[0]?.seq} not accepted (the client keeps it)`
          : 'frame refused';
    const error = new ProtocolError(
      'WS_KIT_ERR_BUFFER_OVERFLOW',
      `${buffer} buffer full (${limit}): ${what}`,
      {
        channel,
        received: dropped,
      },
    );
    this.#stats.overflows++;
    this.emit('overflow', { buffer, policy, error, dropped });
    if (policy === 'error') throw error;
    return policy === 'drop-oldest';
  }

  #undecodable(error: unknown, input: Uint8Array | string, text: boolean): void {
    if (!(error instanceof FrameError) || error.code !== 'WS_KIT_ERR_FRAME_CHECKSUM') {
      this.#fail(isWsKitError(error) ? error : internalError(error));
      return;
    }
    this.#stats.checksumFailures++;
    const nacked = readableDataHeader(input, text);
    const now = this.#clock.now();
    if (nacked !== undefined) {
      this.#stats.nacksSent++;
      this.#write(nackFrame(nacked.channel, nacked.seq, now));
    } else {
      this.#write(errorFrame({ code: error.code, message: error.message }, now));
    }
    this.emit('corruptFrame', { error, nacked });
  }

  #fail(error: WsKitError, closeCode = closeCodeFor(error)): void {
    if (this.#state !== 'awaiting-hello' && this.#state !== 'open') return;
    this.#stats.protocolErrors++;
    try {
      const about =
        typeof error.channel === 'string' && error.seq !== undefined
          ? { channel: error.channel, seq: error.seq }
          : {};
      this.#write(errorFrame({ code: error.code, message: error.message }, this.#clock.now(), about));
    } catch {
      // the socket may already be unusable; the close below still tells the client
    }
    this.#release();
    this.#state = 'failed';
    this.emit('protocolError', { error, closeCode, reason: truncateReason(error.message) });
  }

  #displaced(): void {
    if (this.#state !== 'open') return;
    this.#acks.cancel();
    this.#state = 'displaced';
    const sessionId = this.#session?.id ?? '';
    this.emit('displaced', {
      sessionId,
      closeCode: CLOSE_CODES.normal,
      reason: 'session resumed by another connection',
    });
  }

  #transmit(frame: Frame, binary: Uint8Array): void {
    this.#write(frame, this.#text ? undefined : binary);
  }

  #write(frame: Frame, binary?: Uint8Array): void {
    const data = this.#text
      ? encodeJsonFrame(frame, this.#codec)
      : (binary ?? encodeFrame(frame, this.#codec));
    this.#stats.framesOut++;
    this.#stats.bytesOut += typeof data === 'string' ? utf8Length(data) : data.length;
    this.#send(data);
  }
}
