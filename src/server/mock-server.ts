import { EventEmitter } from 'eventemitter3';
import { OptionsError } from '../errors.js';
import { checkNumber, checkOneOf } from '../internal/options.js';
import { ConnectionHub } from './connection-hub.js';
import type { ConnectionClose, MockConnection, SendOptions, WaitOptions } from './mock-connection.js';
import { type HangMode, type MockServerOptions, resolveMockServerOptions } from './mock-server-options.js';
import type { DropMode, MockServerEvents, RestartOptions } from './mock-server-types.js';
import type { SessionStore } from './protocol/index.js';
import type { MessageData, ReceivedMessage } from './received-message.js';
import type { PacedRun, RouteTarget } from './routing/index.js';
import type { ReplyMatch, ReplyOptions, ReplyResponse } from './scripted-replies.js';
import { ServerLifecycle } from './server-lifecycle.js';
import { ServerRouting, type StreamOptions } from './server-routing.js';
import { type ServerStats, StatsCollector } from './server-stats.js';
import { destroyUnread, ServerTransport } from './server-transport.js';
import type { WireMessage } from './wire-message.js';

/**
 * A real `ws` server on loopback for tests: start it in one line, script it, inspect what it
 * received, break it on purpose, and dispose of it with `await using`. Node-only.
 *
 * @example
 * ```ts
 * await using server = await MockServer.start({ echo: true });
 * const client = new WebSocket(server.url);
 * const connection = await server.nextConnection();
 * client.send('hi');
 * expect((await connection.nextMessage()).data).toBe('hi');
 * ```
 */
export class MockServer extends EventEmitter<MockServerEvents> {
  readonly #o: Required<MockServerOptions>;
  readonly #transport: ServerTransport;
  readonly #stats: StatsCollector;
  readonly #routing: ServerRouting;
  readonly #hub: ConnectionHub;
  readonly #life: ServerLifecycle;

  private constructor(options: Required<MockServerOptions>) {
    super();
    this.#o = options;
    this.#stats = new StatsCollector(options.clock);
    const send = (c: MockConnection, data: MessageData, o: SendOptions, wire?: WireMessage): void =>
      this.#send(c, data, o, wire);
    const events = {
      connection: (c: MockConnection) => this.emit('connection', c),
      message: (m: ReceivedMessage, c: MockConnection) => this.emit('message', m, c),
      close: (c: MockConnection, close: ConnectionClose) => this.emit('close', c, close),
      error: (e: Error, c: MockConnection | undefined) => this.emit('error', e, c),
    };
    this.#hub = new ConnectionHub(options, this.#stats, () => this.#routing, events, send);
    this.#routing = new ServerRouting(
      {
        connections: () => this.#hub.open.entries(),
        send,
        record: (c, m) => this.#hub.record(c, m),
        error: events.error,
        close: (c, code, reason) => this.#hub.close(c, code, reason),
      },
      options,
    );
    this.#transport = new ServerTransport({
      host: options.host,
      tls: options.tls,
      maxPayloadBytes: options.maxPayloadBytes,
      hangMode: () => this.#life.hangMode,
      onUpgrade: (request, socket, head) => this.#life.upgrade(request, socket, head),
    });
    this.#life = new ServerLifecycle({
      options,
      transport: () => this.#transport,
      hub: this.#hub,
      routing: this.#routing,
      stats: this.#stats,
      refused: (status, reason) => this.emit('refused', status, reason),
    });
  }

  /**
   * Starts a server listening on `options.host` (127.0.0.1) and `options.port` (ephemeral).
   *
   * @param options - see {@link MockServerOptions}
   * @returns the listening server
   * @throws `WS_KIT_ERR_INVALID_OPTION` for an invalid option
   */
  static async start(options: MockServerOptions = {}): Promise<MockServer> {
    const server = new MockServer(resolveMockServerOptions(options));
    await server.#transport.listen(server.#o.port);
    return server;
  }

  /** The URL clients connect to, e.g. `ws://127.0.0.1:49152` (`wss://` with TLS). */
  get url(): string {
    return `${this.#o.tls ? 'wss' : 'ws'}://${this.#o.host}:${this.#transport.port}`;
  }

  /** The listening port (stable across `restart()`). */
  get port(): number {
    return this.#transport.port;
  }

  /** The connections open now, oldest first. */
  get connections(): readonly MockConnection[] {
    return [...this.#hub.open.keys()];
  }

  /** Every message received on any connection since the last {@link MockServer.flush}. */
  get messages(): readonly ReceivedMessage[] {
    return this.#hub.messages.items;
  }

  /**
   * Resolves with the next connection not yet returned by `nextConnection` (at once if one is waiting).
   *
   * @param options - the timeout (default: the server's `timeoutMs`)
   * @returns the connection
   * @throws `WS_KIT_ERR_TIMEOUT` naming the connections that did arrive; `WS_KIT_ERR_SERVER_CLOSED`
   */
  nextConnection(options: WaitOptions = {}): Promise<MockConnection> {
    return this.#hub.connections.next(this.#timeout(options), 'nextConnection');
  }

  /**
   * Resolves with the next message, on any connection, not yet returned by `server.nextMessage`.
   *
   * @param options - the timeout
   * @returns the message
   * @throws `WS_KIT_ERR_TIMEOUT` naming what arrived instead; `WS_KIT_ERR_SERVER_CLOSED`
   */
  nextMessage(options: WaitOptions = {}): Promise<ReceivedMessage> {
    return this.#hub.messages.next(this.#timeout(options), 'nextMessage');
  }

  /**
   * Resolves with the first message (received so far or later, on any connection) that satisfies `predicate`.
   *
   * @param predicate - the condition
   * @param options - the timeout
   * @returns the message
   * @throws `WS_KIT_ERR_TIMEOUT` naming what arrived instead; `WS_KIT_ERR_SERVER_CLOSED`
   */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    options: WaitOptions = {},
  ): Promise<ReceivedMessage> {
    return this.#hub.messages.waitFor(predicate, this.#timeout(options), 'waitFor');
  }

  /**
   * Discards every message received so far (server-wide and per connection), and forgets closed
   * connections (so `nextConnection()` no longer returns one that connected and closed before it
   * was asked for, and a long run does not keep every closed connection in memory).
   *
   * @returns how many server-wide messages were discarded
   */
  flush(): number {
    for (const connection of this.#hub.open.keys()) connection.flush();
    this.#hub.connections.prune((connection) => !connection.isOpen);
    return this.#hub.flushMessages();
  }

  /**
   * Sends data to one connection: a string as a text message, bytes as a binary message, another
   * JSON value as JSON text; on `semantest-v1` connections, as a sequenced data frame on `options.channel`.
   *
   * @param connection - the receiver
   * @param data - what to send
   * @param options - the `semantest-v1` channel and priority
   * @throws `WS_KIT_ERR_CONNECTION_CLOSED` when the connection has closed
   */
  send(connection: MockConnection, data: MessageData, options: SendOptions = {}): void {
    this.#send(connection, data, options, undefined);
  }

  /** `send`, with the message already framed when it goes to many plain connections (broadcast). */
  #send(
    connection: MockConnection,
    data: MessageData,
    options: SendOptions,
    wire: WireMessage | undefined,
  ): void {
    const control = this.#hub.control(connection);
    if (this.#routing.sendV1(connection, data, options)) return;
    if (wire) control.writeWire(wire);
    else if (typeof data === 'string') control.write(data, false);
    else if (data instanceof Uint8Array) control.write(data, true);
    else control.write(JSON.stringify(data), false);
  }

  /**
   * Broadcasts each value of `source` (e.g. a generator, or `progressStream(…)`) to `target` at
   * `options.ratePerSecond`, scheduled at absolute times `start + i / rate` (no `setInterval`
   * drift), on the server's clock.
   *
   * @param target - who receives the stream (as in {@link MockServer.broadcast})
   * @param source - the values, sent one per slot until it ends
   * @param options - the rate, channel and catch-up burst
   * @returns the run: `done` resolves with `{ sent, achievedRate, maxLagMs, … }`; `stop()` ends it
   * @throws `WS_KIT_ERR_INVALID_OPTION` for a rate ≤ 0; `WS_KIT_ERR_INVALID_ARGUMENT` for a bad target
   */
  stream(target: RouteTarget, source: Iterable<MessageData | object>, options: StreamOptions): PacedRun {
    return this.#routing.stream(target, source, options);
  }

  /** The `semantest-v1` sessions; they survive dropped connections and `restart()`. */
  get sessions(): SessionStore {
    return this.#routing.sessions;
  }

  /**
   * The `semantest-v1` session id of a connection, once its `hello` was answered.
   *
   * @param connection - the connection
   * @returns the session id, or `undefined` (plain connection, or no `hello` yet)
   */
  sessionOf(connection: MockConnection): string | undefined {
    return this.#routing.sessionId(connection);
  }

  /**
   * Adds a scripted reply: the first script whose `match` fits a received message answers it.
   * Per message, in order: the `onMessage` handler, the first matching script, then echo.
   *
   * @param match - an exact text, a RegExp, or a predicate
   * @param response - the data to answer with, or a function of the message
   * @param options - how many times the script answers
   * @returns this server, for chaining
   */
  reply(match: ReplyMatch, response: ReplyResponse, options: ReplyOptions = {}): this {
    this.#hub.replies.add(match, response, options);
    return this;
  }

  /**
   * Sends `data` to every open connection that `target` addresses (channel, users, roles, tags,
   * except — all given criteria must hold; `{}` addresses everyone).
   *
   * @param data - what to send (as in {@link MockServer.send})
   * @param target - who receives it
   * @param options - the `semantest-v1` channel (defaults to `target.channel`) and priority
   * @returns the ids of the connections it was sent to
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for a malformed target
   */
  broadcast(data: MessageData, target: RouteTarget = {}, options: SendOptions = {}): string[] {
    const channel = options.channel ?? target.channel;
    return this.#routing.broadcast(data, target, channel === undefined ? options : { ...options, channel });
  }

  /**
   * Refuses the next `count` upgrades with HTTP `status` (`Infinity`: every one, until
   * `rejectNext(0)`, which cancels what is still pending — e.g. for an intermittent outage).
   *
   * @param count - how many upgrades: an integer ≥ 0, or `Infinity`
   * @param status - the HTTP status, 400..599
   * @default status 503
   */
  rejectNext(count: number, status = 503): void {
    if (count !== Number.POSITIVE_INFINITY)
      checkNumber('rejectNext count', count, { integer: true, min: 0 }, 'argument');
    checkNumber('rejectNext status', status, { integer: true, min: 400, max: 599 }, 'argument');
    this.#life.rejectNext(count, status);
  }

  /**
   * Changes how the server answers new TCP connections and upgrades (see {@link MockServerOptions.hang}).
   *
   * @param mode - `'tcp'`, `'upgrade'` or `'none'`
   */
  hang(mode: HangMode): void {
    this.#life.hangMode = checkOneOf('hang mode', mode, ['none', 'tcp', 'upgrade']);
  }

  /**
   * Ends one connection: with a close frame (`{ code, reason }`, default 1000) or `'abrupt'`
   * (the TCP socket is destroyed; the client sees 1006). An abrupt drop of a paused connection
   * throws away what the client wrote during the pause, as a link that went dark would have.
   *
   * @param connection - the connection
   * @param mode - how to end it
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for a close code that cannot be sent (RFC 6455 §7.4)
   */
  drop(connection: MockConnection, mode: DropMode = {}): void {
    const control = this.#hub.open.get(connection);
    if (!control) return;
    if (mode === 'abrupt') {
      destroyUnread(control.socket);
      return;
    }
    try {
      this.#hub.close(connection, mode.code ?? 1000, mode.reason ?? '');
    } catch (cause) {
      throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', `drop: ${(cause as Error).message}`, {
        cause,
        received: mode.code,
      });
    }
  }

  /**
   * Makes a connection half-open: the server stops reading from its socket and holds every
   * outgoing message until {@link MockServer.resume}.
   *
   * @param connection - the connection
   */
  pause(connection: MockConnection): void {
    this.#hub.open.get(connection)?.pause();
  }

  /**
   * Ends {@link MockServer.pause}: reads again and sends what was held, in order.
   *
   * @param connection - the connection
   */
  resume(connection: MockConnection): void {
    this.#hub.open.get(connection)?.resume();
  }

  /**
   * Writes arbitrary bytes on the connection's socket, below WebSocket framing (to test how
   * clients handle malformed frames).
   *
   * @param connection - the connection
   * @param bytes - the raw bytes
   */
  sendRaw(connection: MockConnection, bytes: Uint8Array): void {
    this.#hub.control(connection).socket.write(bytes);
  }

  /**
   * Restarts the server on the same port; `semantest-v1` sessions survive.
   *
   * @param options - graceful (close 1012, drain) or immediate (destroy sockets)
   * @throws `WS_KIT_ERR_SERVER_CLOSED` after `close()` (also when `close()` is called meanwhile)
   */
  async restart(options: RestartOptions = {}): Promise<void> {
    const mode = checkOneOf('restart mode', options.mode ?? 'graceful', ['graceful', 'immediate']);
    await this.#life.restart(mode);
  }

  /**
   * A snapshot of the counters: connections, messages, bytes, acks, nacks, replays, close codes,
   * and a per-second series.
   *
   * @returns the statistics
   */
  stats(): ServerStats {
    return this.#stats.snapshot(this.#routing.protocolCounters());
  }

  /**
   * Closes every connection (close frame 1001, then destroy after a short drain), stops listening,
   * cancels every timer and rejects pending waits with `WS_KIT_ERR_SERVER_CLOSED`. Idempotent.
   */
  close(): Promise<void> {
    return this.#life.close();
  }

  /** Same as {@link MockServer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #timeout(options: WaitOptions): number {
    if (options.timeoutMs === undefined) return this.#o.timeoutMs;
    return checkNumber('timeoutMs', options.timeoutMs, { min: 0, exclusiveMin: true }, 'argument');
  }
}
