import { EventEmitter } from 'eventemitter3';
import type { TimerHandle } from '../clock/index.js';
import { WsKitError } from '../errors.js';
import { restampSeq } from '../framing/frame-codec.js';
import {
  decodeFrame,
  decodeJsonFrame,
  encodeFrame,
  type Frame,
  type FramePayload,
  helloFrame,
  MIN_FRAME_BYTES,
  pingFrame,
  pongFrame,
  readError,
  readPong,
  readWelcome,
} from '../framing/index.js';
import { readableDataHeader } from '../server/protocol/frame-faults.js';
import { Backoff } from './backoff.js';
import {
  type ResilientClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from './client-options.js';
import { destroy, detach, openSocket, type SocketLike } from './client-socket.js';
import type {
  ClientData,
  ClientSendOptions,
  ClientState,
  ClientStats,
  ResilientClientEvents,
} from './client-types.js';
import { type DisconnectReason, defaultShouldReconnect, describeReason } from './close-policy.js';
import { Heartbeat } from './heartbeat.js';
import { Inbound } from './inbound.js';
import { Outbox, type OutgoingMessage } from './outbox.js';
import { Waiters } from './waiters.js';

/** Where a client connects: a URL, or a function giving one (called before every attempt). */
export type ClientUrl = string | URL | (() => string | URL | Promise<string | URL>);

const SEMANTEST_V1 = 'semantest-v1';
const enc = new TextEncoder();

/**
 * A WebSocket client that reconnects with exponential backoff and jitter, detects dead links with
 * a heartbeat, buffers while offline, and — with `semantest-v1` (the default) — keeps every message
 * until the server acks it, resends after a reconnect, resumes the session and drops duplicates:
 * zero loss across reconnects. The same code runs in Node (`ws`) and browsers (native WebSocket).
 *
 * @example
 * ```ts
 * await using client = new ResilientClient(server.url);
 * await client.opened();
 * await client.send({ hello: 'world' }, { channel: 'chat' }); // resolves when the server acked it
 * client.on('message', (m) => console.log(m.channel, m.seq, m.data));
 * ```
 */
export class ResilientClient extends EventEmitter<ResilientClientEvents> {
  readonly #o: ResolvedClientOptions;
  readonly #url: ClientUrl;
  readonly #backoff: Backoff;
  readonly #outbox = new Outbox();
  #inbound: Inbound;
  readonly #seqs = new Map<string, number>();
  readonly #heartbeat: Heartbeat | undefined;
  readonly #waiters: Waiters;
  #state: ClientState = 'idle';
  #socket: SocketLike | undefined;
  /** Bumped for every attempt and every loss: callbacks of an older attempt are ignored. */
  #attempt = 0;
  #ready = false;
  #everReady = false;
  #sessionId: string | null = null;
  #connectTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #stableTimer: TimerHandle | undefined;
  #ackTimer: TimerHandle | undefined;
  #ackRetries = 0;
  #lostAt: number | undefined;
  #attemptsSinceReady = 0;
  #resentOnResume = 0;
  #pingId = 0;
  readonly #pongListened = new WeakSet<SocketLike>();
  #closed: Promise<void> | undefined;
  #closeReason: DisconnectReason | undefined;
  readonly #s = {
    reconnects: 0,
    downtimeMs: 0,
    lastRttMs: undefined as number | undefined,
    messagesOut: 0,
    messagesIn: 0,
    bytesOut: 0,
    bytesIn: 0,
    resends: 0,
  };

  /**
   * @param url - a ws:// or wss:// URL, or a function returning one (awaited before every attempt)
   * @param options - see {@link ResilientClientOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` for a bad option; `WS_KIT_ERR_INVALID_ARGUMENT` for a bad url
   */
  constructor(url: ClientUrl, options: ResilientClientOptions = {}) {
    super();
    if (typeof url !== 'string' && typeof url !== 'function' && !(url instanceof URL)) {
      throw new WsKitError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        'ResilientClient: url must be a string, a URL or a function',
        {
          expected: 'a string, URL or function',
          received: url,
        },
      );
    }
    this.#o = resolveClientOptions(options);
    this.#url = url;
    this.#backoff = new Backoff(this.#o.backoff, this.#o.random);
    this.#inbound = this.#newInbound();
    this.#waiters = new Waiters(this.#o.clock);
    const hb = this.#o.heartbeat;
    if (hb) {
      this.#heartbeat = new Heartbeat(
        this.#o.clock,
        hb.intervalMs,
        hb.timeoutMs,
        () => this.#ping(),
        () => this.#lost(this.#attempt, { kind: 'heartbeat-timeout' }),
      );
    }
    if (this.#o.autoConnect) this.connect();
  }

  /** The current state. */
  get state(): ClientState {
    return this.#state;
  }

  /** The negotiated subprotocol of the current connection (`''` when none or not connected). */
  get protocol(): string {
    return this.#ready ? (this.#socket?.protocol ?? '') : '';
  }

  /** The `semantest-v1` session id, once a `welcome` arrived. */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** Starts connecting (only needed with `autoConnect: false`); does nothing unless idle. */
  connect(): void {
    if (this.#state !== 'idle') return;
    this.#setState('connecting', undefined);
    void this.#attemptConnect();
  }

  /**
   * Sends a message. Without a connection it waits in the offline buffer. With `semantest-v1` the
   * promise resolves when the server acked it (it survives reconnects until then); in plain mode,
   * when it was handed to an open socket. It rejects on a definitive failure (buffer overflow, the
   * client closed first, a payload that cannot be framed); a rejection nobody awaits is not an
   * unhandled rejection (every failure is also an event).
   *
   * @param data - text, bytes, or (`semantest-v1`; JSON text in plain mode) a JSON value
   * @param options - channel and priority (`semantest-v1`)
   * @returns settles as above
   */
  send(data: ClientData, options: ClientSendOptions = {}): Promise<void> {
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    const promise = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.catch(() => undefined); // handled: failures are also events
    try {
      this.#enqueue(data, options, settle);
    } catch (error) {
      settle.reject(error as Error);
    }
    return promise;
  }

  /**
   * Resolves when the client is open (at once if it is).
   *
   * @param options - `timeoutMs` (default: `connectTimeoutMs` × 3)
   * @throws `WS_KIT_ERR_TIMEOUT`; `WS_KIT_ERR_CONNECTION_CLOSED` when the client closes first
   */
  opened(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.#waiters.wait(
      'opened',
      () => this.#ready,
      options.timeoutMs ?? this.#o.connectTimeoutMs * 3,
      () => `state ${this.#state}`,
      this.#closeError(),
    );
  }

  /**
   * Resolves when every message sent so far has been acked (plain mode: written).
   *
   * @param options - `timeoutMs` (default 30000)
   * @throws `WS_KIT_ERR_TIMEOUT` naming how many are still held; `WS_KIT_ERR_CONNECTION_CLOSED` when the client closes first
   */
  drained(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.#waiters.wait(
      'drained',
      () => this.#outbox.count === 0,
      options.timeoutMs ?? 30_000,
      () => `${this.#outbox.count} messages still unacked (${this.#outbox.inFlight} written)`,
      this.#closeError(),
    );
  }

  /** Counters since the start. */
  stats(): ClientStats {
    const outage = this.#lostAt === undefined ? 0 : this.#o.clock.now() - this.#lostAt;
    return {
      state: this.#state,
      ...this.#s,
      downtimeMs: this.#s.downtimeMs + outage,
      unacked: this.#outbox.count,
      duplicatesDropped: this.#inbound.duplicates,
    };
  }

  /**
   * Closes for good: pending acks are sent, the socket closes with `code`, and every message not
   * yet acked is rejected (`WS_KIT_ERR_CONNECTION_CLOSED`). Idempotent.
   *
   * @param code - the close code (1000, or 3000–4999) @default 1000
   * @param reason - the close reason @default ''
   */
  close(code = 1000, reason = ''): Promise<void> {
    if (this.#closed) return this.#closed;
    const socket = this.#socket;
    if (this.#ready && socket) this.#inbound.flushAcks();
    this.#finish({ kind: 'user', code, reason });
    if (!socket || socket.readyState >= 2) {
      this.#closed = Promise.resolve();
      return this.#closed;
    }
    this.#closed = new Promise<void>((resolve) => {
      const timer = this.#o.clock.setTimeout(() => {
        destroy(socket);
        resolve();
      }, 1000);
      socket.onclose = () => {
        this.#o.clock.clearTimeout(timer);
        resolve();
      };
      try {
        socket.close(code, reason);
      } catch {
        this.#o.clock.clearTimeout(timer);
        destroy(socket);
        resolve();
      }
    });
    return this.#closed;
  }

  /** Same as {@link ResilientClient.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- connecting ----

  async #attemptConnect(): Promise<void> {
    const id = ++this.#attempt;
    this.#attemptsSinceReady++;
    let url: string;
    const headers: Record<string, string> = {};
    const protocols = [...this.#o.subprotocols];
    let target: URL;
    try {
      const given = typeof this.#url === 'function' ? await this.#url() : this.#url;
      try {
        target = new URL(String(given));
      } catch (error) {
        // a URL that does not parse will never work: no retry
        if (id === this.#attempt) this.#lost(id, { kind: 'protocol', error: asError(error) });
        return;
      }
      if (this.#o.getToken) {
        const token = await this.#o.getToken();
        if (this.#o.tokenIn === 'query') target.searchParams.set(this.#o.tokenQueryParam, token);
        else if (this.#o.tokenIn === 'header') headers.Authorization = `Bearer ${token}`;
        else protocols.push(`bearer.${token}`);
      }
      url = target.toString();
    } catch (error) {
      if (id === this.#attempt) this.#lost(id, { kind: 'error', error: asError(error) });
      return;
    }
    if (id !== this.#attempt || this.#state === 'closed') return;
    let socket: SocketLike;
    try {
      socket = openSocket(
        {
          url,
          protocols,
          headers,
          perMessageDeflate: this.#o.perMessageDeflate,
          WebSocket: this.#o.WebSocket,
        },
        {
          open: () => this.#socketOpen(id),
          message: (data) => this.#received(id, data),
          ended: (reason) => this.#lost(id, reason),
        },
      );
    } catch (error) {
      // a URL the WebSocket refuses will never work: no retry
      this.#lost(id, { kind: 'protocol', error: asError(error) });
      return;
    }
    this.#socket = socket;
    this.#connectTimer = this.#o.clock.setTimeout(
      () => this.#lost(id, { kind: 'connect-timeout' }),
      this.#o.connectTimeoutMs,
    );
  }

  #socketOpen(id: number): void {
    if (id !== this.#attempt) return;
    const socket = this.#socket!;
    if (this.#o.protocol === 'plain') {
      this.#becomeReady(id);
      return;
    }
    if (socket.protocol !== SEMANTEST_V1) {
      const chosen = socket.protocol === '' ? 'none' : `'${socket.protocol}'`;
      const error = new WsKitError(
        'WS_KIT_ERR_PROTOCOL',
        `ResilientClient: the server chose subprotocol ${chosen}, not 'semantest-v1' (use protocol: 'plain' for servers without it)`,
        { expected: SEMANTEST_V1, received: socket.protocol },
      );
      this.#lost(id, { kind: 'protocol', error });
      return;
    }
    const hello = helloFrame(
      { sessionId: this.#sessionId, versions: [1], lastSeq: this.#inbound.lastSeqs() },
      this.#o.clock.now(),
    );
    this.#write(encodeFrame(hello));
  }

  #becomeReady(id: number): void {
    if (id !== this.#attempt) return;
    this.#o.clock.clearTimeout(this.#connectTimer);
    this.#ready = true;
    const now = this.#o.clock.now();
    const attempts = this.#attemptsSinceReady;
    this.#attemptsSinceReady = 0;
    this.#stableTimer = this.#o.clock.setTimeout(() => this.#backoff.reset(), this.#o.backoff.stableMs);
    this.#heartbeat?.start();
    if (!this.#everReady) {
      this.#everReady = true;
      this.#setState('open', undefined);
      this.emit('open');
    } else {
      const downtimeMs = this.#lostAt === undefined ? 0 : now - this.#lostAt;
      this.#s.downtimeMs += downtimeMs;
      this.#lostAt = undefined;
      this.#s.reconnects++;
      this.#setState('open', undefined);
      this.emit('reconnected', { attempts, downtimeMs, resent: this.#resentOnResume });
    }
    this.#resentOnResume = 0;
    this.#pump();
    this.#waiters.check();
  }

  /** The connection (or attempt) `id` ended: clean up, then reconnect or close for good. */
  #lost(id: number, reason: DisconnectReason): void {
    if (id !== this.#attempt || this.#state === 'closed') return;
    this.#attempt++;
    this.#teardown();
    if (this.#everReady && this.#lostAt === undefined) this.#lostAt = this.#o.clock.now();
    const decided = this.#o.shouldReconnect(reason) ?? defaultShouldReconnect(reason);
    if (!decided || this.#backoff.exhausted) {
      if (decided) {
        this.emit(
          'error',
          new WsKitError(
            'WS_KIT_ERR_CONNECTION_CLOSED',
            `ResilientClient: gave up after ${this.#backoff.attempt} reconnect attempts (maxAttempts); last: ${describeReason(reason)}`,
            { received: reason },
          ),
        );
      }
      this.#finish(reason);
      return;
    }
    const delayMs = this.#backoff.next();
    this.#setState('reconnecting', reason);
    this.emit('reconnecting', { attempt: this.#backoff.attempt, delayMs, reason });
    this.#retryTimer = this.#o.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#attemptConnect();
    }, delayMs);
  }

  /**
   * Stops the current socket's listeners and timers; written-but-unacked messages go back to the
   * queue. The socket is destroyed, or (`keepSocket`, for `close()`'s close handshake) only detached.
   */
  #teardown(keepSocket = false): void {
    const socket = this.#socket;
    if (socket && keepSocket) detach(socket);
    else if (socket) {
      this.#socket = undefined;
      destroy(socket);
    }
    this.#ready = false;
    for (const t of [this.#connectTimer, this.#stableTimer, this.#ackTimer]) this.#o.clock.clearTimeout(t);
    this.#ackTimer = undefined;
    this.#ackRetries = 0;
    this.#heartbeat?.stop();
    this.#inbound.disconnected();
    this.#outbox.requeueInFlight();
  }

  /** Closes for good with `reason`: timers stopped, held messages rejected, `close` emitted. */
  #finish(reason: DisconnectReason): void {
    if (this.#state === 'closed') return;
    this.#attempt++;
    this.#teardown(reason.kind === 'user');
    this.#o.clock.clearTimeout(this.#retryTimer);
    this.#closeReason = reason;
    if (this.#lostAt !== undefined) {
      this.#s.downtimeMs += this.#o.clock.now() - this.#lostAt;
      this.#lostAt = undefined;
    }
    const held = this.#outbox.drain();
    if (held.length > 0) {
      const error = new WsKitError(
        'WS_KIT_ERR_CONNECTION_CLOSED',
        `ResilientClient closed (${describeReason(reason)}) with ${held.length} messages not acked`,
        { received: held.length },
      );
      for (const m of held) m.reject(error);
    }
    this.#setState('closed', reason);
    this.#waiters.end(this.#closeError());
    this.emit('close', reason);
  }

  #setState(to: ClientState, reason: DisconnectReason | undefined): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.emit('state', { from, to, reason });
  }

  #closeError(): () => WsKitError {
    return () =>
      new WsKitError(
        'WS_KIT_ERR_CONNECTION_CLOSED',
        `ResilientClient is closed${this.#closeReason ? ` (${describeReason(this.#closeReason)})` : ''}`,
        { received: this.#closeReason },
      );
  }

  // ---- sending ----

  #enqueue(
    data: ClientData,
    options: ClientSendOptions,
    settle: { resolve: () => void; reject: (error: Error) => void },
  ): void {
    if (this.#state === 'closed') throw this.#closeError()();
    const channel = options.channel ?? '';
    const priority = options.priority ?? 0;
    const payload: FramePayload =
      typeof data === 'string'
        ? { kind: 'text', data }
        : data instanceof Uint8Array
          ? { kind: 'binary', data }
          : { kind: 'json', data };
    let wire: Uint8Array | string;
    let size: number;
    if (this.#o.protocol === 'plain') {
      wire = payload.kind === 'json' ? JSON.stringify(payload.data) : (payload.data as string | Uint8Array);
      size = typeof wire === 'string' ? enc.encode(wire).length : wire.byteLength;
    } else {
      // checked and encoded now (a bad payload fails here); numbered when first written
      wire = encodeFrame({
        kind: 'data',
        channel,
        seq: 0,
        priority,
        timestamp: this.#o.clock.now(),
        payload,
      });
      size = wire.byteLength - MIN_FRAME_BYTES - wire[24]!; // the payload: no header, channel or CRC
    }
    const message: OutgoingMessage = {
      order: this.#outbox.nextOrder(),
      channel,
      priority,
      payload,
      size,
      seq: 0,
      wire,
      resolve: settle.resolve,
      reject: settle.reject,
    };
    if (!this.#makeRoom(message)) return;
    this.#outbox.add(message);
    this.#pump();
  }

  /** Applies the buffer bounds; `false` when `message` was refused (and rejected). */
  #makeRoom(message: OutgoingMessage): boolean {
    const { maxMessages, maxBytes, overflow } = this.#o.buffer;
    const fits = () => this.#outbox.count + 1 <= maxMessages && this.#outbox.bytes + message.size <= maxBytes;
    if (fits()) return true;
    const error = new WsKitError(
      'WS_KIT_ERR_BUFFER_OVERFLOW',
      `ResilientClient buffer is full (${this.#outbox.count} messages, ${this.#outbox.bytes} bytes; maxMessages ${maxMessages}, maxBytes ${maxBytes}); policy '${overflow}'`,
      {
        expected: { maxMessages, maxBytes },
        received: { messages: this.#outbox.count, bytes: this.#outbox.bytes },
      },
    );
    let dropped = 0;
    if (overflow === 'drop-oldest') {
      for (let old = this.#outbox.oldestDroppable(); old && !fits(); old = this.#outbox.oldestDroppable()) {
        this.#outbox.removeUnsent(old);
        old.reject(error);
        dropped++;
      }
      if (fits()) {
        this.emit('overflow', { policy: overflow, dropped, error });
        return true;
      }
    }
    message.reject(error);
    this.emit('overflow', { policy: overflow, dropped: dropped + 1, error });
    if (overflow === 'error') {
      this.emit('error', error);
      this.#finish({ kind: 'error', error });
    }
    return false;
  }

  /** Writes queued messages while connected (and, with acks, while the window has room). */
  #pump(): void {
    if (!this.#ready) return;
    const plain = this.#o.protocol === 'plain';
    const window = this.#o.ack.window;
    while (this.#ready && this.#outbox.unsent > 0 && (plain || this.#outbox.inFlight < window)) {
      const m = this.#outbox.shift()!;
      if (plain) {
        this.#outbox.release(m);
        this.#write(m.wire!);
        m.resolve();
        continue;
      }
      if (m.seq === 0) {
        m.seq = (this.#seqs.get(m.channel) ?? 0) + 1;
        this.#seqs.set(m.channel, m.seq);
        restampSeq(m.wire as Uint8Array, m.seq);
      } else {
        this.#s.resends++;
        this.#resentOnResume++;
      }
      this.#outbox.markInFlight(m);
      this.#write(m.wire!);
      this.#armAckTimer();
    }
  }

  #write(data: Uint8Array | string): void {
    const socket = this.#socket;
    if (!socket) return;
    try {
      socket.send(data);
    } catch (error) {
      this.#lost(this.#attempt, { kind: 'error', error: asError(error) });
      return;
    }
    this.#s.messagesOut++;
    this.#s.bytesOut += typeof data === 'string' ? data.length : data.byteLength;
  }

  #armAckTimer(): void {
    if (this.#ackTimer !== undefined) return;
    const id = this.#attempt;
    this.#ackTimer = this.#o.clock.setTimeout(() => {
      this.#ackTimer = undefined;
      if (id !== this.#attempt || this.#outbox.inFlight === 0) return;
      this.#ackRetries++;
      if (this.#ackRetries > this.#o.ack.maxRetries) {
        this.#lost(id, { kind: 'ack-timeout' });
        return;
      }
      for (const m of this.#outbox.inFlightInOrder()) {
        this.#s.resends++;
        this.#write(m.wire!);
      }
      this.#armAckTimer();
    }, this.#o.ack.timeoutMs);
  }

  #ping(): void {
    const socket = this.#socket;
    if (!socket || !this.#ready) return;
    if (this.#o.protocol === 'semantest-v1') {
      this.#write(encodeFrame(pingFrame(++this.#pingId, this.#o.clock.now())));
    } else if (socket.ping && socket.on) {
      if (!this.#pongListened.has(socket)) {
        this.#pongListened.add(socket);
        socket.on('pong', () => this.#heartbeat?.alive());
      }
      socket.ping();
    } else {
      this.#heartbeat?.alive(); // a browser in plain mode has no way to ping: see the docs
    }
  }

  // ---- receiving ----

  #received(id: number, data: string | Uint8Array): void {
    if (id !== this.#attempt) return;
    this.#s.messagesIn++;
    this.#s.bytesIn += typeof data === 'string' ? data.length : data.byteLength;
    if (this.#o.protocol === 'plain') {
      this.#heartbeat?.alive();
      this.emit('message', {
        data,
        binary: typeof data !== 'string',
        channel: '',
        seq: 0,
        sentAt: undefined,
      });
      return;
    }
    let frame: Frame;
    try {
      frame = typeof data === 'string' ? decodeJsonFrame(data) : decodeFrame(data);
    } catch (error) {
      const bad = readableDataHeader(data, typeof data === 'string');
      if (bad) this.#inbound.nack(bad.channel, bad.seq);
      this.emit('error', asError(error));
      return;
    }
    this.#handle(id, frame);
  }

  #handle(id: number, frame: Frame): void {
    switch (frame.kind) {
      case 'data':
        this.#inbound.data(frame);
        return;
      case 'ack':
        this.#acked(frame.channel, frame.seq);
        return;
      case 'nack': {
        const m = this.#outbox.findInFlight(frame.channel, frame.seq);
        if (m) {
          this.#s.resends++;
          this.#write(m.wire!);
        }
        return;
      }
      case 'welcome':
        this.#welcomed(id, frame);
        return;
      case 'pong': {
        const t = readPong(frame);
        this.#s.lastRttMs = this.#o.clock.now() - t.t0 - (t.t2 - t.t1);
        this.#heartbeat?.alive();
        return;
      }
      case 'ping': {
        const now = this.#o.clock.now();
        this.#write(encodeFrame(pongFrame(frame, now, now)));
        return;
      }
      case 'error': {
        const body = readError(frame);
        this.emit(
          'error',
          new WsKitError('WS_KIT_ERR_PROTOCOL', `server error ${body.code}: ${body.message}`, {
            received: body,
          }),
        );
        return;
      }
      default:
        this.emit(
          'error',
          new WsKitError(
            'WS_KIT_ERR_PROTOCOL',
            `ResilientClient: unexpected '${frame.kind}' frame from the server`,
            {
              received: frame.kind,
            },
          ),
        );
    }
  }

  #welcomed(id: number, frame: Frame): void {
    let body: ReturnType<typeof readWelcome>;
    try {
      body = readWelcome(frame);
    } catch (error) {
      this.#lost(id, { kind: 'protocol', error: asError(error) });
      return;
    }
    if (this.#sessionId !== null && body.sessionId !== this.#sessionId) this.#sessionLost(body.sessionId);
    this.#sessionId = body.sessionId;
    for (const m of this.#outbox.dropDelivered(body.lastSeq)) m.resolve();
    this.#becomeReady(id);
  }

  /** The server did not resume our session (it lost it): start a new one, numbering from 1 again. */
  #sessionLost(newId: string): void {
    this.emit(
      'error',
      new WsKitError(
        'WS_KIT_ERR_PROTOCOL',
        `ResilientClient: session ${this.#sessionId} was not resumed (the server no longer has it); continuing in ${newId}: unacked messages are sent again, renumbered; what the server had not yet delivered from the old session is lost on its side`,
        { expected: this.#sessionId, received: newId },
      ),
    );
    this.#seqs.clear();
    this.#inbound = this.#newInbound();
    this.#outbox.renumber((m) => {
      const seq = (this.#seqs.get(m.channel) ?? 0) + 1;
      this.#seqs.set(m.channel, seq);
      restampSeq(m.wire as Uint8Array, seq);
      return seq;
    });
  }

  #acked(channel: string, seq: number): void {
    const acked = this.#outbox.ack(channel, seq);
    if (acked.length === 0) return;
    for (const m of acked) m.resolve();
    this.#ackRetries = 0;
    this.#o.clock.clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    if (this.#outbox.inFlight > 0) this.#armAckTimer();
    this.emit('ack', { channel, seq, count: acked.length });
    this.#pump();
    this.#waiters.check();
  }

  #newInbound(): Inbound {
    return new Inbound(
      {
        clock: this.#o.clock,
        write: (frame) => {
          if (this.#ready) this.#write(encodeFrame(frame));
        },
        deliver: (frame) => {
          const p = frame.payload;
          this.emit('message', {
            data: p.data,
            binary: p.kind === 'binary',
            channel: frame.channel,
            seq: frame.seq,
            sentAt: frame.timestamp,
          });
        },
      },
      {
        ackEvery: this.#o.ack.ackEvery,
        ackDelayMs: this.#o.ack.ackDelayMs,
        maxHeld: this.#o.ack.maxHeld,
        nackEveryMs: this.#o.ack.timeoutMs,
      },
    );
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
