import { connect } from 'node:net';
import type { Clock, TimerHandle } from '../clock/index.js';
import { OptionsError } from '../errors.js';
import { formatValue } from '../internal/options.js';
import type { LogFault } from './fault-log.js';

/** How a new connection picks its upstream among the available ones. */
export type BalanceMode = 'round-robin' | 'least-connections';

/** Periodic health checks of every upstream. */
export interface HealthCheckOptions {
  /** Between checks, ms. @default 1000 */
  readonly intervalMs?: number;
  /** A check not answered in this time failed, ms. @default 500 */
  readonly timeoutMs?: number;
  /** The check; the default opens a TCP connection to the upstream. Resolve `false` (or reject) for unhealthy. */
  readonly check?: (url: URL) => Promise<boolean>;
}

/** The state of one upstream, as {@link UpstreamHandle.state} reports it. */
export type UpstreamState = 'up' | 'down' | 'unhealthy' | 'removed';

/** One upstream (backend) of a ChaosProxy, to take down, bring up, or remove at runtime. */
export interface UpstreamHandle {
  /** Its position in the `target` list. */
  readonly index: number;
  /** Its URL. */
  readonly url: string;
  /** `up` (taking connections), `down` (taken down by the test), `unhealthy` (failing its health check), `removed`. */
  readonly state: UpstreamState;
  /** Connections open through it now. */
  readonly connections: number;
  /** Takes it out of rotation and resets its open connections (the backend died), each logged as a `reset` fault. */
  down(): void;
  /** Puts it back into rotation. */
  up(): void;
  /** Removes it for good; its open connections are closed (a backend taken out of the pool). */
  remove(): void;
}

/** @internal */
export interface Upstream {
  readonly index: number;
  readonly url: URL;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  manualDown: boolean;
  healthy: boolean;
  removed: boolean;
  readonly open: Set<{ readonly id: number; reset(): void; close(): void }>;
  /** Connections being dialled (counted by least-connections, so a burst of clients spreads). */
  dialling: number;
}

/**
 * Parses a `ws://` / `wss://` target.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` for anything else
 */
export function parseTarget(target: unknown, index: number): Upstream {
  let url: URL | undefined;
  try {
    url = new URL(String(target));
  } catch {
    url = undefined;
  }
  if (typeof target !== 'string' || !url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `ChaosProxy: target ${index} must be a ws:// or wss:// URL, got ${formatValue(target)}`,
      { expected: 'a ws:// or wss:// URL', received: target },
    );
  }
  const tls = url.protocol === 'wss:';
  return {
    index,
    url,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (tls ? 443 : 80) : Number(url.port),
    tls,
    manualDown: false,
    healthy: true,
    removed: false,
    open: new Set(),
    dialling: 0,
  };
}

/** A TCP connect to the upstream within `timeoutMs`. */
function tcpCheck(u: Upstream, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: u.host, port: u.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The upstreams of a proxy (internal): selection by round-robin or least connections among those up
 * and healthy, runtime down/up/remove, and health checks.
 */
export class UpstreamPool {
  readonly upstreams: Upstream[];
  readonly #mode: BalanceMode;
  readonly #clock: Clock;
  readonly #log: LogFault;
  #next = 0;
  #timer: TimerHandle | undefined;
  #closed = false;
  #running: Promise<void> | undefined;

  constructor(upstreams: Upstream[], mode: BalanceMode, clock: Clock, log: LogFault) {
    this.upstreams = upstreams;
    this.#mode = mode;
    this.#clock = clock;
    this.#log = log;
  }

  /** The upstream for a new connection, or `undefined` when none is available. */
  pick(): Upstream | undefined {
    const live = this.upstreams.filter((u) => !u.manualDown && u.healthy && !u.removed);
    if (live.length === 0) return undefined;
    if (this.#mode === 'least-connections') {
      const load = (u: Upstream) => u.open.size + u.dialling;
      return live.reduce((best, u) => (load(u) < load(best) ? u : best));
    }
    // round-robin over the whole list, skipping the unavailable, so the order is stable
    for (let i = 0; i < this.upstreams.length; i++) {
      const u = this.upstreams[(this.#next + i) % this.upstreams.length]!;
      if (live.includes(u)) {
        this.#next = (u.index + 1) % this.upstreams.length;
        return u;
      }
    }
    return undefined;
  }

  /** The public handle of upstream `i`. */
  handle(i: number): UpstreamHandle {
    const u = this.upstreams[i];
    if (!u) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `ChaosProxy.upstream: no upstream ${formatValue(i)} (there are ${this.upstreams.length})`,
        { expected: `0 … ${this.upstreams.length - 1}`, received: i },
      );
    }
    return {
      index: u.index,
      url: u.url.toString(),
      get state(): UpstreamState {
        return u.removed ? 'removed' : u.manualDown ? 'down' : u.healthy ? 'up' : 'unhealthy';
      },
      get connections() {
        return u.open.size;
      },
      down: () => {
        u.manualDown = true;
        for (const c of [...u.open]) {
          this.#log({ kind: 'reset', connection: c.id, detail: { upstream: u.index } });
          c.reset();
        }
      },
      up: () => {
        u.manualDown = false;
      },
      remove: () => {
        u.removed = true;
        for (const c of [...u.open]) c.close();
      },
    };
  }

  /** Starts periodic health checks (the first runs at once). */
  startHealthChecks(
    o: Required<Omit<HealthCheckOptions, 'check'>> & Pick<HealthCheckOptions, 'check'>,
  ): void {
    const checkOne = async (u: Upstream): Promise<void> => {
      if (!o.check) {
        u.healthy = await tcpCheck(u, o.timeoutMs);
        return;
      }
      let timer: TimerHandle | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = this.#clock.setTimeout(() => resolve(false), o.timeoutMs);
      });
      // a check that throws, or returns a plain boolean instead of a promise, still counts
      const check = o.check;
      const ok = await Promise.race([
        Promise.resolve()
          .then(() => check(u.url))
          .catch(() => false),
        timeout,
      ]);
      this.#clock.clearTimeout(timer);
      u.healthy = ok === true;
    };
    const run = async (): Promise<void> => {
      await Promise.all(this.upstreams.filter((u) => !u.removed).map(checkOne));
      if (!this.#closed) this.#timer = this.#clock.setTimeout(() => this.#track(run()), o.intervalMs);
    };
    this.#track(run());
  }

  #track(run: Promise<void>): void {
    this.#running = run;
  }

  /** Stops the health checks (waits for one in flight). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clock.clearTimeout(this.#timer);
    await this.#running;
  }
}
