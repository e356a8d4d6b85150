import { createServer, type Server, type Socket } from 'node:net';
import { EventEmitter } from 'eventemitter3';
import { WsKitError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import type { ChaosProxyEvents, ChaosProxyStats } from './chaos-proxy-types.js';
import { ConnectionRegistry } from './connection-registry.js';
import { FaultLedger } from './fault-ledger.js';
import type { Direction, FaultRecord, LogFault } from './fault-log.js';
import { type AcceptHost, acceptClient } from './proxy-accept.js';
import type { DirectionSettings, ProxyConnection } from './proxy-connection.js';
import { LinkFaults } from './proxy-link-faults.js';
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
  readonly #connections: ConnectionRegistry;
  readonly #ledger: FaultLedger;
  readonly #schedules = new Set<ScheduleHandle>();
  readonly #pendingUpstreams = new Set<Socket>();
  readonly #link: LinkFaults;
  #settings = cleanSettings();
  #closed: Promise<void> | undefined;
  readonly #accepting: AcceptHost;

  private constructor(o: ResolvedProxyOptions, settings: ChaosSettings) {
    super();
    this.#o = o;
    this.#ledger = new FaultLedger(o.clock, (record) => this.emit('fault', record));
    const log: LogFault = (record) => this.#ledger.log(record);
    this.#settings = mergeSettings(cleanSettings(), settings);
    this.#pool = new UpstreamPool(
      o.targets.map((t, i) => parseTarget(t, i)),
      o.balance,
      o.clock,
      log,
    );
    this.#connections = new ConnectionRegistry(o.clock, o.seed, log, this.#ledger.counters);
    this.#link = new LinkFaults(o.clock, () => this.#connections.values(), log);
    this.#accepting = {
      clock: o.clock,
      connectTimeoutMs: o.connectTimeoutMs,
      tls: o.tls,
      log,
      pending: this.#pendingUpstreams,
      pick: () => (this.#link.refusing || this.#closed ? undefined : this.#pool.pick()),
      closed: () => this.#closed !== undefined,
      pair: (client, server, upstream) => this.#pair(client, server, upstream),
    };
    // half-open capable: a peer's FIN is passed on (see ProxyConnection), not answered at once
    this.#net = createServer({ noDelay: true, allowHalfOpen: true }, (socket) =>
      acceptClient(this.#accepting, socket),
    );
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
    return this.#ledger.faults;
  }

  /** The ids of the connections open now. */
  get connections(): readonly number[] {
    return this.#connections.ids();
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
      const c = this.#connections.get(connection);
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
   * @returns resolves when the blackout ends (also when the proxy closes); rejects with
   *   `WS_KIT_ERR_SERVER_CLOSED` after `close()`
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for `ms` not a number in [0, 2^31 − 1] (a timer's range)
   */
  blackout(ms?: number): Promise<void> {
    if (this.#closed) return Promise.reject(closedError('blackout'));
    if (ms !== undefined)
      checkNumber('ChaosProxy.blackout: ms', ms, { min: 0, max: 2 ** 31 - 1 }, 'argument');
    return this.#link.blackout(ms, () => this.restore());
  }

  /** Ends a blackout: held bytes flow again, in order. */
  restore(): void {
    this.#link.restore();
  }

  /**
   * Resets every open connection (TCP RST to both peers), or one.
   *
   * @param connection - only this connection's id
   */
  reset(connection?: number): void {
    for (const c of this.#connections.pick(connection)) {
      this.#ledger.log({ kind: 'reset', connection: c.id });
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
    for (const c of this.#connections.pick(connection)) {
      this.#ledger.log({ kind: 'timeout', connection: c.id, detail: { ms } });
      c.timeout(ms);
    }
  }

  /**
   * Slow close: a FIN from either peer is passed on only after `ms` (0 turns it off).
   *
   * @param ms - the delay
   */
  slowClose(ms: number): void {
    this.#link.slowClose(ms);
  }

  /**
   * Refuse new connections (accepted, then reset at once) — the upstream unreachable — or accept again.
   *
   * @param on - refuse or not
   */
  refuse(on = true): void {
    this.#link.refusing = on;
  }

  /**
   * Runs a schedule of blackouts: `intermittent` (on/off cycles), `blip`, or `outage` (blackout,
   * open connections reset, new ones refused, for `ms`).
   *
   * @param schedule - what to run
   * @returns a handle to cancel it, and `done` resolving when it ends
   * @throws `WS_KIT_ERR_SERVER_CLOSED` after `close()`
   */
  schedule(schedule: ChaosSchedule): ScheduleHandle {
    if (this.#closed) throw closedError('schedule');
    const handle = runSchedule(schedule, this.#o.clock, {
      blackout: () => void this.#link.blackout(undefined, () => this.restore()),
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
    return this.#ledger.stats({ now: this.#connections.size, total: this.#connections.total });
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

  #pair(client: Socket, server: Socket, upstream: Upstream): void {
    const c = this.#connections.add(upstream, client, server, this.#settings);
    c.settings = this.#settings;
    c.slowCloseMs = this.#link.slowCloseMs;
    if (this.#link.blackedOut) c.hold(true);
    client.resume();
    this.emit('connection', { id: c.id, upstream: upstream.index });
  }
}

const closedError = (what: string) =>
  new WsKitError('WS_KIT_ERR_SERVER_CLOSED', `ChaosProxy.${what}: the proxy is closed`);
