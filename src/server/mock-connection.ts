import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Clock } from '../clock/index.js';
import { WsKitError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import { Inbox } from './inbox.js';
import { describeMessage, type MessageData, type ReceivedMessage } from './received-message.js';
import type { WireMessage } from './wire-message.js';

/** How a connection ended: the close code and reason (1006 when the socket went without a close frame). */
export interface ConnectionClose {
  /** The WebSocket close code. */
  readonly code: number;
  /** The close reason, `''` if none. */
  readonly reason: string;
}

/** Options of a single wait; `timeoutMs` defaults to the server's `timeoutMs`. */
export interface WaitOptions {
  /** How long to wait, ms > 0. */
  readonly timeoutMs?: number;
}

/** Options of `send`: where a `semantest-v1` data frame goes (ignored on plain connections). */
export interface SendOptions {
  /** The `semantest-v1` channel. @default '' */
  readonly channel?: string;
  /** The `semantest-v1` priority, 0..255. @default 0 */
  readonly priority?: number;
}

/** What every connection of one server shares (internal): one object per server, not per connection. */
export interface ConnectionShared {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly firstMessageDelayMs: number;
  readonly maxMessages: number;
  readonly send: (connection: MockConnection, data: MessageData, options: SendOptions) => void;
  readonly onWrite: (bytes: number) => void;
}

/** What a connection knows about its upgrade and identity (internal). */
export interface ConnectionInit {
  readonly id: string;
  readonly protocol: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly userId: string | undefined;
  readonly roles: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly ws: WebSocket;
  readonly socket: Socket;
  readonly shared: ConnectionShared;
}

/** Internal controls of a connection used by `MockServer`; never exported from the package. */
export interface ConnectionControl {
  readonly ws: WebSocket;
  readonly socket: Socket;
  deliver(message: ReceivedMessage): void;
  write(data: string | Uint8Array, binary: boolean): void;
  /** Writes a message framed once for many connections (broadcast). */
  writeWire(message: WireMessage): void;
  /** Whether it subscribed to `channel` (for routing: creates nothing, unlike `channels`). */
  hasChannel(channel: string): boolean;
  pause(): void;
  resume(): void;
  closed(close: ConnectionClose): void;
}

let control: (connection: MockConnection) => ConnectionControl;

/**
 * The server side of one WebSocket connection to a `MockServer`: its identity (id, subprotocol,
 * user, roles, tags, channels), what it received, and what to send it. Obtain it from
 * `await server.nextConnection()` or the server's `'connection'` event.
 */
export class MockConnection {
  /** The connection id, unique within its server (`'c1'`, `'c2'`, …). */
  readonly id: string;
  /** The negotiated subprotocol, `''` if none. */
  readonly protocol: string;
  /** The request target of the upgrade (path and query). */
  readonly url: string;
  /** The headers of the upgrade request. */
  readonly headers: IncomingHttpHeaders;
  /** The user id from the `authenticate` hook, if any. */
  readonly userId: string | undefined;
  /** The roles from the `authenticate` hook. */
  readonly roles: readonly string[];
  /** The tags from the `authenticate` hook. */
  readonly tags: Readonly<Record<string, string>>;
  /** Created on first use (most connections never subscribe; a closed one is kept for inspection). */
  #channels: Set<string> | undefined;
  readonly #shared: ConnectionShared;
  #ws: WebSocket | undefined;
  #socket: Socket | undefined;
  readonly #inbox: Inbox<ReceivedMessage>;
  /** Messages held while paused or delayed: copies, so that changing the caller's array later changes nothing. */
  #held: { data: string | Uint8Array; binary: boolean; wire: WireMessage | undefined }[] | undefined;
  #paused = false;
  #holding: boolean;
  #holdTimer: unknown;
  #close: ConnectionClose | undefined;
  #closeWaiters: Set<(close: ConnectionClose) => void> | undefined;

  static {
    control = (c) => ({
      ws: c.#ws!,
      socket: c.#socket!,
      deliver: (message) => c.#inbox.push(message),
      write: (data, binary) => c.#write(data, binary, undefined),
      writeWire: (message) => c.#write(message.data, message.binary, message),
      hasChannel: (channel) => c.#channels?.has(channel) ?? false,
      pause: () => {
        c.#paused = true;
        c.#socket?.pause();
      },
      resume: () => {
        c.#paused = false;
        c.#socket?.resume();
        c.#release();
      },
      closed: (close) => c.#closed(close),
    });
  }

  /** @internal Created by `MockServer`. */
  constructor(init: ConnectionInit) {
    const shared = init.shared;
    this.#shared = shared;
    this.#ws = init.ws;
    this.#socket = init.socket;
    this.id = init.id;
    this.protocol = init.protocol;
    this.url = init.url;
    this.headers = init.headers;
    this.userId = init.userId;
    this.roles = init.roles;
    this.tags = init.tags;
    this.#inbox = new Inbox(shared.clock, 'messages', describeMessage, shared.maxMessages);
    this.#holding = shared.firstMessageDelayMs > 0;
    if (this.#holding) {
      this.#holdTimer = shared.clock.setTimeout(() => {
        this.#holding = false;
        this.#release();
      }, shared.firstMessageDelayMs);
    }
  }

  /** The channels this connection is subscribed to (routing by `channel`). */
  get channels(): ReadonlySet<string> {
    this.#channels ??= new Set();
    return this.#channels;
  }

  /** Whether the connection is open (not yet closed or dropped). */
  get isOpen(): boolean {
    return this.#close === undefined;
  }

  /** Whether `server.pause(connection)` holds it half-open. */
  get isPaused(): boolean {
    return this.#paused;
  }

  /** Every message received on this connection since its last {@link MockConnection.flush}. */
  get messages(): readonly ReceivedMessage[] {
    return this.#inbox.items;
  }

  /**
   * Subscribes the connection to a channel, for `broadcast(data, { channel })`.
   *
   * @param channel - the channel name
   */
  subscribe(channel: string): void {
    this.#channels ??= new Set();
    this.#channels.add(channel);
  }

  /**
   * Unsubscribes the connection from a channel.
   *
   * @param channel - the channel name
   */
  unsubscribe(channel: string): void {
    this.#channels?.delete(channel);
  }

  /**
   * Resolves with the next message not yet returned by `nextMessage` (at once if one is waiting).
   *
   * @param options - the timeout
   * @returns the message
   * @throws `WS_KIT_ERR_TIMEOUT` naming what arrived instead; `WS_KIT_ERR_CONNECTION_CLOSED` when
   *   the connection closed first
   */
  nextMessage(options: WaitOptions = {}): Promise<ReceivedMessage> {
    return this.#inbox.next(this.#timeout(options), `connection ${this.id} nextMessage`);
  }

  /**
   * Resolves with the first message (received so far or later) that satisfies `predicate`.
   *
   * @param predicate - the condition
   * @param options - the timeout
   * @returns the message
   * @throws `WS_KIT_ERR_TIMEOUT` naming what arrived instead; `WS_KIT_ERR_CONNECTION_CLOSED`
   */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    options: WaitOptions = {},
  ): Promise<ReceivedMessage> {
    return this.#inbox.waitFor(predicate, this.#timeout(options), `connection ${this.id} waitFor`);
  }

  /**
   * Discards the messages received so far on this connection.
   *
   * @returns how many were discarded
   */
  flush(): number {
    return this.#inbox.flush();
  }

  /**
   * Sends data to this connection (same as `server.send(connection, data, options)`).
   *
   * @param data - a string (text message), bytes (binary message) or a JSON value (sent as JSON text)
   * @param options - the `semantest-v1` channel and priority
   * @throws `WS_KIT_ERR_CONNECTION_CLOSED` when the connection has closed
   */
  send(data: MessageData, options: SendOptions = {}): void {
    this.#shared.send(this, data, options);
  }

  /**
   * Resolves when the connection has closed, with the close code and reason.
   *
   * @param options - the timeout
   * @returns the code and reason
   * @throws `WS_KIT_ERR_TIMEOUT` when it is still open after the timeout
   */
  closed(options: WaitOptions = {}): Promise<ConnectionClose> {
    if (this.#close) return Promise.resolve(this.#close);
    const timeoutMs = this.#timeout(options);
    const clock = this.#shared.clock;
    return new Promise((resolve, reject) => {
      const done = (close: ConnectionClose): void => {
        clock.clearTimeout(timer);
        resolve(close);
      };
      const timer = clock.setTimeout(() => {
        this.#closeWaiters?.delete(done);
        reject(
          new WsKitError(
            'WS_KIT_ERR_TIMEOUT',
            `connection ${this.id} closed() timed out after ${timeoutMs} ms; it is still open`,
            {
              expected: 'close',
              received: 'open',
            },
          ),
        );
      }, timeoutMs);
      this.#closeWaiters ??= new Set();
      this.#closeWaiters.add(done);
    });
  }

  #timeout(options: WaitOptions): number {
    if (options.timeoutMs === undefined) return this.#shared.timeoutMs;
    return checkNumber('timeoutMs', options.timeoutMs, { min: 0, exclusiveMin: true }, 'argument');
  }

  /** Sends now (`wire`'s ready-made frame straight to the socket when given), or holds while paused or delayed. */
  #write(data: string | Uint8Array, binary: boolean, wire: WireMessage | undefined): void {
    if (this.#close) {
      throw new WsKitError(
        'WS_KIT_ERR_CONNECTION_CLOSED',
        `connection ${this.id} is closed (code ${this.#close.code})`,
        {
          received: this.#close,
        },
      );
    }
    if (this.#paused || this.#holding || this.#held !== undefined) {
      const copy = wire !== undefined || typeof data === 'string' ? data : new Uint8Array(data);
      this.#held ??= [];
      this.#held.push({ data: copy, binary, wire });
      return;
    }
    const ws = this.#ws;
    // the shared frame is exactly what ws.send would write (no compression on MockServer)
    if (wire && ws !== undefined && ws.readyState === ws.OPEN && this.#socket) this.#socket.write(wire.frame);
    else ws?.send(data, { binary });
    this.#shared.onWrite(
      wire ? wire.byteLength : typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
    );
  }

  #release(): void {
    if (this.#paused || this.#holding || this.#close) return;
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const { data, binary, wire } of held) this.#write(data, binary, wire);
  }

  #closed(close: ConnectionClose): void {
    if (this.#close) return;
    this.#close = close;
    this.#held = undefined;
    // Release the socket: a closed connection stays inspectable (id, identity, messages, close)
    // without holding the ws object, the TCP socket and their buffers.
    this.#ws = undefined;
    this.#socket = undefined;
    if (this.#holding) this.#shared.clock.clearTimeout(this.#holdTimer);
    this.#inbox.end(
      () =>
        new WsKitError(
          'WS_KIT_ERR_CONNECTION_CLOSED',
          `connection ${this.id} closed with code ${close.code}`,
          {
            received: close,
          },
        ),
    );
    const waiters = this.#closeWaiters ?? [];
    this.#closeWaiters = undefined;
    for (const waiter of waiters) waiter(close);
  }
}

/**
 * The internal controls of a connection (for `MockServer` only).
 *
 * @param connection - the connection
 * @returns its controls
 */
export function connectionControl(connection: MockConnection): ConnectionControl {
  return control(connection);
}
