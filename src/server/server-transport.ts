import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { HangMode, MockServerTls } from './mock-server-options.js';
import { realClock } from './real-clock.js';

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

/** What a {@link ServerTransport} needs (internal). */
export interface TransportInit {
  readonly host: string;
  readonly tls: MockServerTls | undefined;
  readonly maxPayloadBytes: number;
  readonly hangMode: () => HangMode;
  readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * The socket layer of `MockServer` (internal): a `net.Server` that owns every TCP socket (so that
 * `close()` and `restart('immediate')` can destroy them, and `hang: 'tcp'` can leave them unread),
 * an HTTP(S) server that never listens itself and parses what the net server hands it, and a
 * `noServer` `ws` server that completes the upgrades the `MockServer` accepts.
 */
export class ServerTransport {
  readonly #init: TransportInit;
  readonly #net: NetServer;
  readonly #http: HttpServer | HttpsServer;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  readonly #protocols = new WeakMap<IncomingMessage, string>();
  #port = 0;

  constructor(init: TransportInit) {
    this.#init = init;
    this.#http = init.tls
      ? createHttpsServer({ key: pem(init.tls.key), cert: pem(init.tls.cert) })
      : createHttpServer();
    this.#http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      init.onUpgrade(request, socket, head);
    });
    this.#http.on('request', (_request, response) => {
      response
        .writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' })
        .end('WebSocket upgrade required');
    });
    this.#http.on('clientError', (_error: Error, socket: Duplex) => socket.destroy());
    this.#http.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: init.maxPayloadBytes,
      // a read's messages are handled synchronously: ConnectionHub corks the socket around them
      allowSynchronousEvents: true,
      handleProtocols: (_offered, request) => this.#protocols.get(request) || false,
    });
    this.#net = createNetServer((socket) => {
      this.#sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => socket.destroy());
      socket.once('close', () => this.#sockets.delete(socket));
      if (this.#init.hangMode() === 'tcp') return; // accepted, never read, never answered
      this.#http.emit('connection', socket);
    });
  }

  /** The listening port. */
  get port(): number {
    return this.#port;
  }

  /** The TCP sockets open now (including unanswered and upgrading ones). */
  get socketCount(): number {
    return this.#sockets.size;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#net.once('error', onError);
      this.#net.listen({ host: this.#init.host, port, exclusive: true }, () => {
        this.#net.off('error', onError);
        const address = this.#net.address();
        this.#port = typeof address === 'object' && address ? address.port : port;
        resolve(this.#port);
      });
    });
  }

  /** Completes an accepted upgrade with the chosen subprotocol (`''` for none). */
  accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    protocol: string,
    done: (ws: WebSocket) => void,
  ): void {
    this.#protocols.set(request, protocol);
    this.#wss.handleUpgrade(request, socket, head, done);
  }

  /** Stops listening; resolves once every socket has closed (destroy or drain them meanwhile). */
  stopListening(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.#net.listening) {
        resolve();
        return;
      }
      this.#net.close(() => resolve());
    });
  }

  /** Destroys every TCP socket at once (no close frames), like a crash: nothing unread is processed. */
  destroyAll(): void {
    for (const socket of this.#sockets) destroyUnread(socket);
  }

  /**
   * Waits for `promise`, at most `timeoutMs` of real time.
   *
   * @param promise - what to wait for
   * @param timeoutMs - the longest wait
   */
  settle(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = realClock.setTimeout(resolve, timeoutMs);
      void promise.finally(() => {
        realClock.clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Closes the `ws` and HTTP layers (after {@link ServerTransport.stopListening}). */
  dispose(): void {
    this.#wss.close();
    this.#http.removeAllListeners('request');
  }
}

/**
 * Destroys a socket and throws away what Node had read from it but nobody had consumed yet (a paused
 * connection's buffer): `ws` would otherwise parse that buffer on close and deliver messages that,
 * on a real network gone dark, never arrived. Internal.
 */
export function destroyUnread(socket: Duplex): void {
  if (socket.readableLength > 0) {
    socket.removeAllListeners('data');
    while (socket.read() !== null);
  }
  socket.destroy();
}
