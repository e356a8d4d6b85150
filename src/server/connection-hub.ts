import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ProtocolError, WsKitError } from '../errors.js';
import type { AuthResult } from './auth/index.js';
import { Inbox } from './inbox.js';
import {
  type ConnectionClose,
  type ConnectionControl,
  type ConnectionShared,
  connectionControl,
  MockConnection,
  type SendOptions,
} from './mock-connection.js';
import type { MockServerOptions } from './mock-server-options.js';
import { describeMessage, type MessageData, type ReceivedMessage } from './received-message.js';
import { ScriptedReplies } from './scripted-replies.js';
import type { ServerRouting } from './server-routing.js';
import type { StatsCollector } from './server-stats.js';

/** What the hub tells its server (internal). */
export interface HubEvents {
  connection(connection: MockConnection): void;
  message(message: ReceivedMessage, connection: MockConnection): void;
  close(connection: MockConnection, close: ConnectionClose): void;
  error(error: Error, connection: MockConnection | undefined): void;
}

/** The close code `ws` sent for an incoming protocol violation (1002, 1007, 1009…). */
function statusCodeOf(error: Error): number {
  const key = Object.getOwnPropertySymbols(error).find((k) => k.description === 'status-code');
  const code = key === undefined ? undefined : (error as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : 1002;
}

/**
 * Holds back the writes a socket read causes (echoes, replies, acks) until every message in that
 * read has been handled, then sends them together: one `writev` per read instead of one per reply,
 * like uWebSockets' cork. Synchronous — `ws` handles a read's messages synchronously, and its
 * `data` listener sits between these two — so no scheduled callback is involved (fake timers in
 * a test cannot stall it) and nothing waits past the read that caused it.
 */
function corkReads(socket: Socket): void {
  socket.prependListener('data', () => socket.cork());
  socket.on('data', () => socket.uncork());
}

/**
 * The open connections of a `MockServer` and what they received (internal): wraps each accepted
 * `ws` socket in a {@link MockConnection}, records incoming messages, and runs the behaviours
 * (handler, scripted replies, echo).
 */
export class ConnectionHub {
  readonly open = new Map<MockConnection, ConnectionControl>();
  readonly connections: Inbox<MockConnection>;
  readonly messages: Inbox<ReceivedMessage>;
  readonly replies = new ScriptedReplies();
  readonly #o: Required<MockServerOptions>;
  readonly #stats: StatsCollector;
  readonly #routing: () => ServerRouting;
  readonly #events: HubEvents;
  readonly #send: (connection: MockConnection, data: MessageData, options: SendOptions) => void;
  /** What every connection of this server shares. */
  readonly #shared: ConnectionShared;
  #nextId = 1;
  #overflowAnnounced = false;
  /**
   * The close a connection ended with when the server closed first (drop, restart, violation,
   * rate limit); otherwise the client's close frame, else 1006, is used.
   */
  readonly #sent = new WeakMap<MockConnection, ConnectionClose>();

  constructor(
    options: Required<MockServerOptions>,
    stats: StatsCollector,
    routing: () => ServerRouting,
    events: HubEvents,
    send: (connection: MockConnection, data: MessageData, options: SendOptions) => void,
  ) {
    this.#o = options;
    this.#stats = stats;
    this.#routing = routing;
    this.#events = events;
    this.#send = send;
    this.#shared = {
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      firstMessageDelayMs: options.firstMessageDelayMs,
      maxMessages: options.maxMessages,
      send,
      onWrite: (bytes) => stats.sent(bytes),
    };
    this.connections = new Inbox(options.clock, 'connections', (c) => c.id);
    this.messages = new Inbox(options.clock, 'messages', describeMessage, options.maxMessages, () =>
      this.#forgot(),
    );
  }

  /** Forgets the messages received so far (and re-arms the overflow announcement). */
  flushMessages(): number {
    this.#overflowAnnounced = false;
    return this.messages.flush();
  }

  #forgot(): void {
    this.#stats.forgotten();
    if (this.#overflowAnnounced) return;
    this.#overflowAnnounced = true;
    const max = this.#o.maxMessages;
    this.#events.error(
      new ProtocolError(
        'WS_KIT_ERR_BUFFER_OVERFLOW',
        `server.messages holds its maximum of ${max} messages (maxMessages): the oldest are forgotten from now on (counted in stats().forgottenMessages); call server.flush() or raise maxMessages`,
        { expected: `at most ${max} messages`, received: max + 1 },
      ),
      undefined,
    );
  }

  control(connection: MockConnection): ConnectionControl {
    const control = this.open.get(connection);
    if (!control) {
      throw new WsKitError('WS_KIT_ERR_CONNECTION_CLOSED', `connection ${connection.id} is closed`, {
        received: connection.id,
      });
    }
    return control;
  }

  /**
   * Closes a connection with a close frame, remembering the code as the one it ended with.
   *
   * @throws `TypeError` from `ws` for a code that cannot be sent
   */
  close(connection: MockConnection, code: number, reason: string): void {
    const control = this.open.get(connection);
    if (!control) return;
    control.ws.close(code, reason);
    if (!this.#sent.has(connection)) this.#sent.set(connection, { code, reason });
  }

  opened(ws: WebSocket, request: IncomingMessage, identity: AuthResult, protocol: string): void {
    const connection = this.#connection(ws, request, identity, protocol);
    const control = connectionControl(connection);
    this.open.set(connection, control);
    this.#stats.opened();
    ws.binaryType = 'nodebuffer';
    corkReads((ws as unknown as { _socket: Socket })._socket);
    ws.on('message', (data: Buffer, binary: boolean) => {
      this.#stats.received(data.byteLength);
      this.#received(connection, control, data, binary);
    });
    ws.on('error', (error) => {
      this.#sent.set(
        connection,
        this.#sent.get(connection) ?? { code: statusCodeOf(error), reason: error.message },
      );
      this.#events.error(error, connection);
    });
    ws.once('close', (code: number, reason: Buffer) => {
      this.open.delete(connection);
      const close = this.#sent.get(connection) ?? { code, reason: reason.toString('utf8') };
      this.#stats.closed(close.code);
      this.#routing().detach(connection);
      control.closed(close);
      this.connections.release(connection);
      this.#events.close(connection, close);
    });
    this.#routing().attach(connection, control);
    this.connections.push(connection);
    this.#events.connection(connection);
  }

  /**
   * Wraps an accepted socket. A method of its own so that nothing handed to the connection shares a
   * scope with `opened`'s socket listeners, which hold the socket: a closed connection kept for
   * inspection must not keep its socket alive.
   */
  #connection(
    ws: WebSocket,
    request: IncomingMessage,
    identity: AuthResult,
    protocol: string,
  ): MockConnection {
    return new MockConnection({
      id: `c${this.#nextId++}`,
      protocol,
      url: request.url ?? '/',
      headers: request.headers,
      userId: identity.userId,
      roles: [...(identity.roles ?? [])],
      tags: { ...identity.tags },
      ws,
      socket: (ws as unknown as { _socket: Socket })._socket,
      shared: this.#shared,
    });
  }

  record(connection: MockConnection, message: ReceivedMessage): void {
    (this.open.get(connection) ?? connectionControl(connection)).deliver(message);
    this.messages.push(message);
    this.#events.message(message, connection);
    this.#behave(connection, message);
  }

  #received(connection: MockConnection, control: ConnectionControl, data: Buffer, binary: boolean): void {
    const routing = this.#routing();
    if (!routing.admit(connection, control)) return;
    if (routing.receiveV1(connection, data, binary)) return;
    this.record(connection, {
      connectionId: connection.id,
      // a view, not a copy: it shares the socket read it came in, whose neighbours are logged too
      data: binary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString('utf8'),
      binary,
      channel: '',
      seq: 0,
      receivedAt: this.#o.clock.now(),
      bytes: data.byteLength,
    });
  }

  /** Runs the handler, then the scripted replies and echo; no promise unless the handler returns one. */
  #behave(connection: MockConnection, message: ReceivedMessage): void {
    let pending: unknown;
    try {
      pending = this.#o.onMessage?.(connection, message);
    } catch (error) {
      this.#failed(error, connection);
      return;
    }
    if (typeof (pending as PromiseLike<void> | undefined)?.then === 'function') {
      (pending as PromiseLike<void>).then(
        () => this.#respond(connection, message),
        (error: unknown) => this.#failed(error, connection),
      );
    } else {
      this.#respond(connection, message);
    }
  }

  #respond(connection: MockConnection, message: ReceivedMessage): void {
    try {
      if (!connection.isOpen) return;
      const answer = this.replies.answer(message, connection);
      if (answer !== undefined) this.#send(connection, answer, { channel: message.channel });
      if (this.#o.echo && connection.isOpen)
        this.#send(connection, message.data, { channel: message.channel });
    } catch (error) {
      this.#failed(error, connection);
    }
  }

  #failed(error: unknown, connection: MockConnection): void {
    this.#events.error(error instanceof Error ? error : new Error(String(error)), connection);
  }
}
