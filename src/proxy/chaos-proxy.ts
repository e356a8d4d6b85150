import { createServer, isIP, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { EventEmitter } from 'eventemitter3';
import type { TimerHandle } from '../clock/clock.js';
import { OptionsError } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { createRandom } from '../internal/random.js';
import type { Direction, FaultKind, FaultRecord } from './fault-log.js';
import {
  type ConnectionHost,
  type DirectionCounters,
  type DirectionSettings,
  ProxyConnection,
} from './proxy-connection.js';
import {
  type ChaosProxyOptions,
  type ChaosSettings,
  cleanSettings,
  mergeSettings,
  type ResolvedProxyOptions,
  resolveProxyOptions,
} from './proxy-options.js';
import { type ChaosSchedule, runSchedule, type ScheduleHandle } from './schedules.js';
import { parseTarget, type Upstream, type UpstreamHandle, UpstreamPool } from './upstream-pool.js';

/** Events of a {@link ChaosProxy}. */
export interface ChaosProxyEvents {
  /** A client connected and was paired with an upstream. */
  connection: (info: { id: number; upstream: number }) => void;
  /** A fault was injected (the same record as in {@link ChaosProxy.faults}). */
  fault: (record: FaultRecord) => void;
}

/** Connection counts in {@link ChaosProxyStats}. */
export interface ProxyConnectionCounts {
  /** Open now. */
  readonly now: number;
  /** Paired with an upstream since the start. */
  readonly total: number;
}

/** What {@link ChaosProxy.stats} reports. */
export interface ChaosProxyStats {
  /** Connections open now, and in total. */
  readonly connections: ProxyConnectionCounts;
  /** Per direction: bytes read and written, WebSocket frames and data messages seen. */
  readonly toServer: Readonly<DirectionCounters>;
  /** Server → client, as `toServer`. */
  readonly toClient: Readonly<DirectionCounters>;
  /** Faults injected, by kind. */
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
}

function mix(seed: number, connection: number, direction: Direction, purpose: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const n of [connection, direction === 'toServer' ? 1 : 2, purpose === 'link' ? 3 : 4]) {
    h = Math.imul(h ^ n, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * A fault-injecting TCP proxy for WebSocket traffic, inside the test process: network conditions
 * (latency, jitter, bandwidth, slicing, TCP loss as retransmission delays, byte limits), link faults
 * (blackout, timeout, reset, slow close, schedules) and frame-level faults on individual WebSocket
 * messages (drop, duplicate, corrupt, delay, reorder), per direction, changed at runtime, seeded, and
 * logged as ground truth — plus several upstreams with health checks and failover.
 *
 * @example
 * ```ts
 * await using proxy = await ChaosProxy.start({ target: server.url, profile: 'regional', seed: 7 });
 * const client = new ResilientClient(proxy.url);
 * proxy.set({ toServer: { drop: 0.01, corrupt: 0.01 } });
 * await proxy.blackout(2000); // half-open for 2 s, sockets kept
 * ```
 */
export class ChaosProxy extends EventEmitter<ChaosProxyEvents> {
  readonly #o: ResolvedProxyOptions;
  readonly #net: Server;
  readonly #pool: UpstreamPool;
  readonly #connections = new Map<number, ProxyConnection>();
  readonly #faults: FaultRecord[] = [];
  readonly #faultCounts: Partial<Record<FaultKind, number>> = {};
  readonly #counters: Record<Direction, DirectionCounters> = {
    toServer: { bytesIn: 0, bytesOut: 0, frames: 0, messages: 0 },
    toClient: { bytesIn: 0, bytesOut: 0, frames: 0, messages: 0 },
  };
  readonly #schedules = new Set<ScheduleHandle>();
  readonly #pendingUpstreams = new Set<Socket>();
  readonly #startedAt: number;
  #settings = cleanSettings();
  #nextId = 1;
  #blackout = false;
  #blackoutTimer: TimerHandle | undefined;
  #blackoutEnded: (() => void) | undefined;
  #refusing = false;
  #slowCloseMs = 0;
  #closed: Promise<void> | undefined;
  readonly #host: ConnectionHost;

  private constructor(o: ResolvedProxyOptions, settings: ChaosSettings) {
    super();
    this.#o = o;
    this.#startedAt = o.clock.now();
    this.#settings = mergeSettings(cleanSettings(), settings);
    this.#pool = new UpstreamPool(
      o.targets.map((t, i) => parseTarget(t, i)),
      o.balance,
      o.clock,
      (record) => this.#log(record),
    );
    this.#host = {
      clock: o.clock,
      log: (record) => this.#log(record),
      random: (connection, direction, purpose) => createRandom(mix(o.seed, connection, direction, purpose)),
      counters: (direction) => this.#counters[direction],
      ended: (connection) => this.#connections.delete(connection.id),
    };
    // half-open capable: a peer's FIN is passed on (see ProxyConnection), not answered at once
    this.#net = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.#accept(socket));
    this.#net.on('error', () => undefined);
  }

  /**
   * Starts a proxy listening on `host:port` (127.0.0.1, a free port by default).
   *
   * @param options - see {@link ChaosProxyOptions}
   * @returns the listening proxy
   * @throws `WS_KIT_ERR_INVALID_OPTION` naming a bad option
   */
  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const o = resolveProxyOptions(options);
    const proxy = new ChaosProxy(o, options);
    await new Promise<void>((resolve, reject) => {
      proxy.#net.once('error', reject);
      proxy.#net.listen(o.port, o.host, () => {
        proxy.#net.off('error', reject);
        resolve();
      });
    });
    if (o.healthCheck) proxy.#pool.startHealthChecks(o.healthCheck);
    return proxy;
  }

  /** The proxy's address as a `ws://` URL: point clients here. */
  get url(): string {
    const { port } = this.#net.address() as { port: number };
    const host = this.#o.host.includes(':') ? `[${this.#o.host}]` : this.#o.host;
    return `ws://${host}:${port}`;
  }

  /** The seed every random draw derives from. */
  get seed(): number {
    return this.#o.seed;
  }

  /** Every fault injected so far, in order: the ground truth. */
  get faults(): readonly FaultRecord[] {
    return this.#faults;
  }

  /** The ids of the connections open now. */
  get connections(): readonly number[] {
    return [...this.#connections.keys()];
  }

  /**
   * Changes conditions and faults at runtime, for open connections and the next ones. Each field
   * merges over what is in force — on each open connection, over what `set(…, id)` gave it — and
   * `set({ profile: 'local' })` or {@link ChaosProxy.clear} resets.
   *
   * @param settings - a profile and/or per-direction conditions and faults
   * @param connection - only this connection (its id), not the proxy's defaults
   * @throws `WS_KIT_ERR_INVALID_OPTION` naming a bad field (nothing changes then);
   *   `WS_KIT_ERR_INVALID_ARGUMENT` for a connection id not open
   */
  set(settings: ChaosSettings, connection?: number): void {
    if (connection !== undefined) {
      const c = this.#connection(connection);
      this.#apply(c, mergeSettings(c.settings, settings));
      return;
    }
    // merged over each connection's own settings, so what set(…, id) gave one connection stays
    // unless this call changes the same field; every merge is checked before anything changes
    const next = mergeSettings(this.#settings, settings);
    const open = [...this.#connections.values()].map(
      (c) => [c, mergeSettings(c.settings, settings)] as const,
    );
    this.#settings = next;
    for (const [c, s] of open) this.#apply(c, s);
  }

  /** Back to a clean link: no conditions, no faults (open connections too, their own settings included). */
  clear(): void {
    this.#settings = cleanSettings();
    for (const c of this.#connections.values()) this.#apply(c, this.#settings);
  }

  #apply(c: ProxyConnection, settings: Record<Direction, DirectionSettings>): void {
    c.settings = settings;
    c.set('toServer', settings.toServer);
    c.set('toClient', settings.toClient);
  }

  /**
   * Blackout: stop forwarding both ways while keeping every socket open (a half-open link), for
   * open connections and new ones. Bytes are held, as TCP would retransmit them, and flow again on
   * {@link ChaosProxy.restore}; a peer that gives up first closes its side.
   *
   * @param ms - end the blackout after this long; omit to hold until `restore()`
   * @returns resolves when the blackout ends
   */
  blackout(ms?: number): Promise<void> {
    this.#o.clock.clearTimeout(this.#blackoutTimer);
    if (!this.#blackout) {
      this.#blackout = true;
      for (const c of this.#connections.values()) c.hold(true);
    }
    this.#log({ kind: 'blackout', connection: 0, ...(ms === undefined ? {} : { detail: { ms } }) });
    const ended = new Promise<void>((resolve) => {
      const previous = this.#blackoutEnded;
      this.#blackoutEnded = () => {
        previous?.();
        resolve();
      };
    });
    if (ms !== undefined) this.#blackoutTimer = this.#o.clock.setTimeout(() => this.restore(), ms);
    return ended;
  }

  /** Ends a blackout: held bytes flow again, in order. */
  restore(): void {
    this.#o.clock.clearTimeout(this.#blackoutTimer);
    if (!this.#blackout) return;
    this.#blackout = false;
    this.#log({ kind: 'restore', connection: 0 });
    for (const c of this.#connections.values()) c.hold(false);
    const ended = this.#blackoutEnded;
    this.#blackoutEnded = undefined;
    ended?.();
  }

  /**
   * Resets every open connection (TCP RST to both peers), or one.
   *
   * @param connection - only this connection's id
   */
  reset(connection?: number): void {
    for (const c of this.#pick(connection)) {
      this.#log({ kind: 'reset', connection: c.id });
      c.reset();
    }
  }

  /**
   * Timeout (Toxiproxy's): data stops and is discarded, then after `ms` the connection closes; with
   * `ms` 0 it stays a black hole until the peers give up.
   *
   * @param ms - how long before closing
   * @param connection - only this connection's id
   */
  timeout(ms: number, connection?: number): void {
    for (const c of this.#pick(connection)) {
      this.#log({ kind: 'timeout', connection: c.id, detail: { ms } });
      c.timeout(ms);
    }
  }

  /**
   * Slow close: a FIN from either peer is passed on only after `ms` (0 turns it off).
   *
   * @param ms - the delay
   */
  slowClose(ms: number): void {
    this.#slowCloseMs = ms;
    for (const c of this.#connections.values()) c.slowCloseMs = ms;
  }

  /**
   * Refuse new connections (accepted, then reset at once) — the upstream unreachable — or accept again.
   *
   * @param on - refuse or not
   */
  refuse(on = true): void {
    this.#refusing = on;
  }

  /**
   * Runs a schedule of blackouts: `intermittent` (on/off cycles), `blip`, or `outage` (blackout,
   * open connections reset, new ones refused, for `ms`).
   *
   * @param schedule - what to run
   * @returns a handle to cancel it, and `done` resolving when it ends
   */
  schedule(schedule: ChaosSchedule): ScheduleHandle {
    const handle = runSchedule(schedule, this.#o.clock, {
      blackout: () => void this.blackout(),
      restore: () => this.restore(),
      reset: () => this.reset(),
      refuse: (on) => this.refuse(on),
    });
    this.#schedules.add(handle);
    void handle.done.then(() => this.#schedules.delete(handle));
    return handle;
  }

  /**
   * One upstream, to take down, bring up or remove.
   *
   * @param index - its position in `target`
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for no such upstream
   */
  upstream(index: number): UpstreamHandle {
    return this.#pool.handle(index);
  }

  /** Counters since the start. */
  stats(): ChaosProxyStats {
    return {
      connections: { now: this.#connections.size, total: this.#nextId - 1 },
      toServer: { ...this.#counters.toServer },
      toClient: { ...this.#counters.toClient },
      faults: { ...this.#faultCounts },
    };
  }

  /** Closes the listener, every connection, schedule and health check. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      for (const s of this.#schedules) s.cancel();
      this.restore();
      const listening = new Promise<void>((resolve) => this.#net.close(() => resolve()));
      for (const s of this.#pendingUpstreams) s.destroy();
      for (const c of [...this.#connections.values()]) c.destroy();
      await Promise.all([listening, this.#pool.close()]);
    })();
    return this.#closed;
  }

  /** Same as {@link ChaosProxy.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #connection(id: number): ProxyConnection {
    const c = this.#connections.get(id);
    if (!c) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `ChaosProxy: no open connection ${formatValue(id)}`,
        {
          expected: `one of ${this.connections.join(', ') || '(none open)'}`,
          received: id,
        },
      );
    }
    return c;
  }

  #pick(id: number | undefined): ProxyConnection[] {
    return id === undefined ? [...this.#connections.values()] : [this.#connection(id)];
  }

  #log(record: Omit<FaultRecord, 'n' | 'atMs'>): void {
    const full: FaultRecord = {
      n: this.#faults.length,
      atMs: this.#o.clock.now() - this.#startedAt,
      ...record,
    };
    this.#faults.push(full);
    this.#faultCounts[record.kind] = (this.#faultCounts[record.kind] ?? 0) + 1;
    this.emit('fault', full);
  }

  #accept(client: Socket): void {
    client.on('error', () => undefined);
    const upstream = this.#refusing || this.#closed ? undefined : this.#pool.pick();
    if (!upstream) {
      this.#log({ kind: 'refused', connection: 0 });
      client.resetAndDestroy();
      return;
    }
    client.pause();
    const server = this.#dial(upstream);
    this.#pendingUpstreams.add(server);
    upstream.dialling++;
    const timer = this.#o.clock.setTimeout(() => server.destroy(), this.#o.connectTimeoutMs);
    const settle = () => {
      this.#o.clock.clearTimeout(timer);
      if (this.#pendingUpstreams.delete(server)) upstream.dialling--;
    };
    const fail = () => {
      settle();
      if (!client.destroyed) client.resetAndDestroy();
    };
    const gone = () => server.destroy();
    server.once('error', fail);
    server.once('close', fail);
    client.once('close', gone);
    server.once(upstream.tls ? 'secureConnect' : 'connect', () => {
      settle();
      server.off('error', fail);
      server.off('close', fail);
      client.off('close', gone); // from here the connection decides (a clean close passes a FIN on)
      if (client.destroyed || this.#closed) {
        server.destroy();
        return;
      }
      this.#pair(client, server, upstream);
    });
  }

  #dial(u: Upstream): Socket {
    if (!u.tls) return tcpConnect({ host: u.host, port: u.port, allowHalfOpen: true });
    // SNI takes a host name only (an IP address there is deprecated, RFC 6066)
    const sni = isIP(u.host) === 0 ? { servername: u.host } : {};
    // allowHalfOpen reaches the TLS socket (Node passes it on), though ConnectionOptions omits it
    const options: ConnectionOptions & { allowHalfOpen: boolean } = {
      host: u.host,
      port: u.port,
      ...sni,
      ...this.#o.tls,
      allowHalfOpen: true,
    };
    return tlsConnect(options);
  }

  #pair(client: Socket, server: Socket, upstream: Upstream): void {
    const id = this.#nextId++;
    const c = new ProxyConnection(this.#host, id, upstream, client, server, this.#settings);
    c.settings = this.#settings;
    c.slowCloseMs = this.#slowCloseMs;
    if (this.#blackout) c.hold(true);
    this.#connections.set(id, c);
    client.resume();
    this.emit('connection', { id, upstream: upstream.index });
  }
}
