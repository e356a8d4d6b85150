import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Clock, TimerHandle } from '../clock/index.js';
import { BytePipe } from './byte-pipe.js';
import type { Direction, LogFault } from './fault-log.js';
import type { ResolvedLinkConditions } from './link-conditions.js';
import { hasMessageFaults, MessageFaulter, type ResolvedMessageFaults } from './message-faults.js';
import type { Upstream } from './upstream-pool.js';
import { WsFrameScanner } from './ws-frame-scanner.js';

/** Counters of one direction (internal; summed into `proxy.stats()`). */
export interface DirectionCounters {
  /** Bytes read from the sending side. */
  bytesIn: number;
  /** Bytes written to the receiving side (duplicates included, drops not). */
  bytesOut: number;
  /** WebSocket frames seen (data and control). */
  frames: number;
  /** Whole WebSocket data messages seen. */
  messages: number;
}

/** What one direction is set to (internal). */
export interface DirectionSettings {
  readonly link: ResolvedLinkConditions;
  readonly faults: ResolvedMessageFaults;
}

/** What a connection needs from its proxy (internal). */
export interface ConnectionHost {
  readonly clock: Clock;
  readonly log: LogFault;
  random(connection: number, direction: Direction, purpose: 'link' | 'faults'): () => number;
  counters(direction: Direction): DirectionCounters;
  ended(connection: ProxyConnection): void;
}

/** One direction: source socket → frame scanner → message faults → byte pipe → sink socket. */
class Lane {
  readonly pipe: BytePipe;
  readonly faulter: MessageFaulter;
  readonly #scanner = new WsFrameScanner({ handshake: true });
  readonly #counters: DirectionCounters;
  #faults: ResolvedMessageFaults;
  #unitMode = false;

  constructor(
    host: ConnectionHost,
    id: number,
    direction: Direction,
    source: Socket,
    sink: Socket,
    s: DirectionSettings,
    onLimit: () => void,
  ) {
    this.#counters = host.counters(direction);
    this.#faults = s.faults;
    this.pipe = new BytePipe(
      host.clock,
      host.random(id, direction, 'link'),
      sink,
      {
        pressure: (paused) => (paused ? source.pause() : source.resume()),
        limit: () => {
          host.log({
            kind: 'limit',
            connection: id,
            direction,
            detail: { bytes: this.pipe.conditions.limitBytes },
          });
          onLimit();
        },
        lost: (bytes) =>
          host.log({
            kind: 'loss',
            connection: id,
            direction,
            detail: { bytes, ms: this.pipe.conditions.retransmitMs },
          }),
        forwarded: (bytes) => {
          this.#counters.bytesOut += bytes;
        },
      },
      s.link,
    );
    this.faulter = new MessageFaulter(
      host.clock,
      host.random(id, direction, 'faults'),
      { connection: id, direction },
      host.log,
      (bytes) => this.pipe.push(bytes),
    );
    this.faulter.faults = s.faults;
    sink.on('drain', () => this.pipe.drained());
    source.on('data', (chunk: Buffer) => this.#data(chunk, sink));
  }

  set(s: DirectionSettings): void {
    this.pipe.conditions = s.link;
    this.#faults = s.faults;
    this.faulter.faults = s.faults;
  }

  #data(chunk: Buffer, sink: Socket): void {
    this.#counters.bytesIn += chunk.byteLength;
    const want = hasMessageFaults(this.#faults);
    if (want && !this.#unitMode && this.#scanner.pending > 0) {
      // faults were switched on mid-unit: forward the rest of that unit as it is, the units after it whole
      const rest = this.#scanner.bytesToBoundary;
      if (rest !== undefined && rest > 0 && rest < chunk.byteLength) {
        this.#scan(chunk.subarray(0, rest), sink);
        chunk = chunk.subarray(rest);
      }
    }
    // the mode changes only between whole units, so no byte is forwarded twice or held forever, and
    // not while the faulter holds delayed or reordered messages (released between whole units)
    if (this.#scanner.pending === 0 && !this.faulter.holding) this.#unitMode = want;
    this.#scan(chunk, sink);
  }

  #scan(chunk: Buffer, sink: Socket): void {
    if (!this.#unitMode) {
      // no message faults: the bytes go on as they came; the scanner only counts (no payload copies)
      const { messages, frames } = this.#scanner.count(chunk);
      this.#counters.messages += messages;
      this.#counters.frames += frames;
      this.faulter.skip(messages); // message indexes count from the first message, faults on or not
      this.pipe.push(chunk);
      return;
    }
    const units = this.#scanner.push(chunk);
    for (const u of units) {
      if (u.kind === 'message') {
        this.#counters.messages++;
        this.#counters.frames += u.frames.length;
      } else if (u.kind === 'control') this.#counters.frames++;
    }
    sink.cork();
    for (const u of units) this.faulter.unit(u);
    sink.uncork();
  }
}

/**
 * One client connection through the proxy and its upstream connection (internal): two lanes, and the
 * connection-wide faults (blackout, timeout, reset, slow close).
 */
export class ProxyConnection {
  readonly id: number;
  readonly upstream: Upstream;
  /** What this connection's directions are set to (the proxy's, or its own after `set(…, id)`). */
  settings: Record<Direction, DirectionSettings>;
  readonly #host: ConnectionHost;
  readonly #client: Socket;
  readonly #server: Socket;
  readonly #lanes: Record<Direction, Lane>;
  #slowCloseMs = 0;
  #timers = new Set<TimerHandle>();
  readonly #finSeen = new Set<Socket>();
  #ended = false;

  constructor(
    host: ConnectionHost,
    id: number,
    upstream: Upstream,
    client: Socket,
    server: Socket,
    settings: Record<Direction, DirectionSettings>,
  ) {
    this.#host = host;
    this.id = id;
    this.upstream = upstream;
    this.settings = settings;
    this.#client = client;
    this.#server = server;
    const limit = () => this.close();
    this.#lanes = {
      toServer: new Lane(host, id, 'toServer', client, server, settings.toServer, limit),
      toClient: new Lane(host, id, 'toClient', server, client, settings.toClient, limit),
    };
    for (const [socket, other] of [
      [client, server],
      [server, client],
    ] as const) {
      socket.setNoDelay(true);
      socket.on('end', () => {
        this.#finSeen.add(socket);
        this.#halfClose(other);
      });
      // Both sockets are half-open capable: a FIN is passed on (after what is queued, and after a
      // slow close), and the pair ends once both FINs went through. A socket that closes without
      // its FIN, or with an error, broke the link: the other goes at once.
      socket.on('close', (hadError: boolean) => {
        if (hadError || !this.#finSeen.has(socket) || other.destroyed) this.#destroy();
      });
      socket.on('error', () => this.#destroy());
    }
    upstream.open.add(this);
  }

  /** Changes one direction's conditions and faults. */
  set(direction: Direction, settings: DirectionSettings): void {
    this.#lanes[direction].set(settings);
  }

  /** Delays passing on a FIN by `ms` (slow close). */
  set slowCloseMs(ms: number) {
    this.#slowCloseMs = ms;
  }

  /** Bytes still queued in the proxy, both ways. */
  get queuedBytes(): number {
    return this.#lanes.toServer.pipe.queuedBytes + this.#lanes.toClient.pipe.queuedBytes;
  }

  /** Blackout on or off: hold every byte, both ways; the sockets stay open. */
  hold(on: boolean): void {
    this.#lanes.toServer.pipe.hold(on);
    this.#lanes.toClient.pipe.hold(on);
  }

  /** Timeout: data stops (discarded), and after `ms` (unless 0) the connection closes. */
  timeout(ms: number): void {
    for (const lane of Object.values(this.#lanes)) {
      lane.pipe.hold(true);
      lane.pipe.discard();
      lane.faulter.close(); // held messages are lost with the data: logged as drops now
    }
    this.#client.removeAllListeners('data');
    this.#server.removeAllListeners('data');
    this.#client.resume();
    this.#server.resume();
    if (ms > 0) this.#after(ms, () => this.close());
  }

  /** Both sockets reset (TCP RST): the peers see a connection reset, not a close. */
  reset(): void {
    for (const s of [this.#client, this.#server]) {
      if (s.destroyed) continue;
      // Node resets only plain TCP handles: a wss:// upstream's TLS socket is closed instead
      if (s instanceof TLSSocket) s.destroy();
      else s.resetAndDestroy();
    }
    this.#destroy();
  }

  /** Both sockets closed (FIN), after what is queued is thrown away. */
  close(): void {
    for (const lane of Object.values(this.#lanes)) {
      lane.pipe.close();
      lane.faulter.close(); // held messages will not go out now: logged as drops
    }
    for (const s of [this.#client, this.#server]) s.end();
    this.#after(1000, () => this.#destroy());
  }

  /** Destroys both sockets at once. */
  destroy(): void {
    this.#client.destroy();
    this.#server.destroy();
    this.#destroy();
  }

  #halfClose(other: Socket): void {
    const lane = other === this.#server ? this.#lanes.toServer : this.#lanes.toClient;
    lane.faulter.flush();
    const end = () => {
      if (lane.pipe.queuedBytes > 0 || lane.pipe.held || lane.faulter.holding) {
        this.#after(5, end); // the FIN goes after the bytes ahead of it, as TCP would (none during a blackout)
        return;
      }
      other.end();
    };
    if (this.#slowCloseMs > 0) {
      this.#host.log({ kind: 'slow-close', connection: this.id, detail: { ms: this.#slowCloseMs } });
      this.#after(this.#slowCloseMs, end);
    } else end();
  }

  #after(ms: number, fn: () => void): void {
    const timer = this.#host.clock.setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #destroy(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const t of this.#timers) this.#host.clock.clearTimeout(t);
    this.#timers.clear();
    for (const lane of Object.values(this.#lanes)) {
      lane.pipe.close();
      lane.faulter.close();
    }
    this.#client.destroy();
    this.#server.destroy();
    this.upstream.open.delete(this);
    this.#host.ended(this);
  }
}
