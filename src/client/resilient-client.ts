import { EventEmitter } from 'eventemitter3';
import { WsKitError } from '../errors.js';
import { ClientCore } from './client-core.js';
import { type ResilientClientOptions, resolveClientOptions } from './client-options.js';
import type { ClientUrl } from './client-socket.js';
import { destroy } from './client-socket.js';
import type {
  ClientData,
  ClientSendOptions,
  ClientState,
  ClientStats,
  ResilientClientEvents,
} from './client-types.js';

export type { ClientUrl } from './client-socket.js';

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
  readonly #core: ClientCore;
  #closed: Promise<void> | undefined;

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
    const o = resolveClientOptions(options);
    this.#core = new ClientCore(url, o, this);
    if (o.autoConnect) this.connect();
  }

  /** The current state. */
  get state(): ClientState {
    return this.#core.state;
  }

  /** The negotiated subprotocol of the current connection (`''` when none or not connected). */
  get protocol(): string {
    return this.#core.ready() ? (this.#core.socket?.protocol ?? '') : '';
  }

  /** The `semantest-v1` session id, once a `welcome` arrived. */
  get sessionId(): string | null {
    return this.#core.receiver.sessionId;
  }

  /** Starts connecting (only needed with `autoConnect: false`); does nothing unless idle. */
  connect(): void {
    this.#core.connect();
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
      if (this.#core.state === 'closed') throw this.#core.closeError();
      this.#core.sender.enqueue(data, options, settle);
    } catch (error) {
      settle.reject(error as Error);
      this.#core.error(error as Error); // so that a send() nobody awaits does not fail silently
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
    const core = this.#core;
    return core.waiters.wait(
      'opened',
      () => core.ready(),
      options.timeoutMs ?? core.o.connectTimeoutMs * 3,
      () => `state ${core.state}`,
      core.closeError,
    );
  }

  /**
   * Resolves when every message sent so far has been acked (plain mode: written). Rejects when the
   * client closed with messages not acked (they were rejected then), even if called afterwards.
   *
   * @param options - `timeoutMs` (default 30000)
   * @throws `WS_KIT_ERR_TIMEOUT` naming how many are still held; `WS_KIT_ERR_CONNECTION_CLOSED` when the client closes first
   */
  drained(options: { timeoutMs?: number } = {}): Promise<void> {
    const core = this.#core;
    const { sender, waiters, closeError } = core;
    return waiters.wait(
      'drained',
      () => sender.count === 0 && core.rejectedOnClose === 0,
      options.timeoutMs ?? 30_000,
      () => `${sender.count} messages still unacked (${sender.inFlight} written)`,
      closeError,
    );
  }

  /** Counters since the start. */
  stats(): ClientStats {
    return this.#core.stats();
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
    const core = this.#core;
    const socket = core.socket;
    if (core.ready() && socket) core.receiver.flushAcks();
    core.finish({ kind: 'user', code, reason });
    if (!socket || socket.readyState >= 2) {
      this.#closed = Promise.resolve();
      return this.#closed;
    }
    const clock = core.o.clock;
    this.#closed = new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        destroy(socket);
        resolve();
      }, 1000);
      socket.onclose = () => {
        clock.clearTimeout(timer);
        resolve();
      };
      try {
        socket.close(code, reason);
      } catch {
        clock.clearTimeout(timer);
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
}
