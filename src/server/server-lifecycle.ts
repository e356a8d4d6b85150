import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TimerHandle } from '../clock/index.js';
import { WsKitError } from '../errors.js';
import type { ConnectionHub } from './connection-hub.js';
import type { HangMode, MockServerOptions } from './mock-server-options.js';
import type { ServerRouting } from './server-routing.js';
import type { StatsCollector } from './server-stats.js';
import type { ServerTransport } from './server-transport.js';
import { runUpgrade } from './upgrade-gate.js';

/** How long close() and restart('graceful') wait for clients to answer their close frames (real time). */
const DRAIN_MS = 2000;

/** The parts of a `MockServer` its lifecycle drives (internal). */
export interface LifecycleParts {
  readonly options: Required<MockServerOptions>;
  readonly transport: () => ServerTransport;
  readonly hub: ConnectionHub;
  readonly routing: ServerRouting;
  readonly stats: StatsCollector;
  readonly refused: (status: number, reason: string) => void;
}

/**
 * The state machine of a `MockServer` (internal): accepting upgrades through the gates, restarts
 * on the same port, and close.
 */
export class ServerLifecycle {
  readonly #p: LifecycleParts;
  readonly #timers = new Set<TimerHandle>();
  #state: 'listening' | 'restarting' | 'closed' = 'listening';
  #hang: HangMode;
  /** Pending `rejectNext` batches, oldest first (`left` may be `Infinity`). */
  #rejections: { left: number; status: number }[] = [];
  #closing: Promise<void> | undefined;
  #restarting: Promise<void> | undefined;

  constructor(parts: LifecycleParts) {
    this.#p = parts;
    this.#hang = parts.options.hang;
  }

  get hangMode(): HangMode {
    return this.#hang;
  }

  set hangMode(mode: HangMode) {
    this.#hang = mode;
  }

  rejectNext(count: number, status: number): void {
    if (count === 0) this.#rejections = [];
    else this.#rejections.push({ left: count, status });
  }

  #takeRejection(): number | undefined {
    const head = this.#rejections[0];
    if (head === undefined) return undefined;
    head.left -= 1;
    if (head.left <= 0) this.#rejections.shift();
    return head.status;
  }

  closedError(what: string): WsKitError {
    return new WsKitError('WS_KIT_ERR_SERVER_CLOSED', `MockServer ${what}: the server is closed`);
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { options, hub, stats } = this.#p;
    void runUpgrade(
      {
        options,
        hangMode: () => this.#hang,
        takeRejection: () => this.#takeRejection(),
        openCount: () => hub.open.size,
        accepting: () => this.#state === 'listening',
        delay: (ms) => this.#delay(ms),
        refused: (status, reason) => {
          stats.rejected(status);
          this.#p.refused(status, reason);
        },
        accept: (req, sock, bytes, identity, protocol) =>
          this.#p
            .transport()
            .accept(req, sock, bytes, protocol, (ws) => hub.opened(ws, req, identity, protocol)),
      },
      request,
      socket,
      head,
    );
  }

  async restart(mode: 'graceful' | 'immediate'): Promise<void> {
    while (this.#restarting) await this.#restarting; // one restart at a time
    if (this.#state !== 'listening') throw this.closedError('restart');
    this.#state = 'restarting';
    this.#restarting = (async () => {
      await this.#shutdown(mode === 'graceful' ? 1012 : undefined);
      if (this.#state === 'closed') throw this.closedError('restart');
      const transport = this.#p.transport();
      await transport.listen(transport.port);
      if (this.#state === 'restarting') this.#state = 'listening'; // close() may have come meanwhile
    })().finally(() => {
      this.#restarting = undefined;
    });
    await this.#restarting;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#state = 'closed';
      for (const timer of this.#timers) this.#p.options.clock.clearTimeout(timer);
      this.#timers.clear();
      this.#p.routing.stopStreams();
      await this.#restarting?.catch(() => undefined);
      await this.#shutdown(1001);
      await this.#p.routing.close();
      this.#p.transport().dispose();
      this.#p.hub.connections.end(() => this.closedError('wait'));
      this.#p.hub.messages.end(() => this.closedError('wait'));
    })();
    return this.#closing;
  }

  async #shutdown(code: number | undefined): Promise<void> {
    const { hub } = this.#p;
    const transport = this.#p.transport();
    const stopped = transport.stopListening();
    if (code === undefined) transport.destroyAll();
    else {
      const closing = [...hub.open.keys()].map((connection) => {
        hub.close(connection, code, code === 1012 ? 'service restart' : 'going away');
        return connection.closed({ timeoutMs: DRAIN_MS });
      });
      // bounded on real time, so that a manual or fake clock cannot stall close()
      await transport.settle(Promise.allSettled(closing), DRAIN_MS);
    }
    transport.destroyAll(); // unanswered (hung) sockets, and connections that did not answer
    await stopped;
  }

  #delay(ms: number): Promise<boolean> {
    const clock = this.#p.options.clock;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => {
        this.#timers.delete(timer);
        resolve(this.#state === 'listening');
      }, ms);
      this.#timers.add(timer);
    });
  }
}
