import type { Socket } from 'node:net';
import type { Clock } from '../clock/clock.js';
import { OptionsError } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { createRandom } from '../internal/random.js';
import type { Direction, LogFault } from './fault-log.js';
import {
  type ConnectionHost,
  type DirectionCounters,
  type DirectionSettings,
  ProxyConnection,
} from './proxy-connection.js';
import type { Upstream } from './upstream-pool.js';

function mix(seed: number, connection: number, direction: Direction, purpose: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const n of [connection, direction === 'toServer' ? 1 : 2, purpose === 'link' ? 3 : 4]) {
    h = Math.imul(h ^ n, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/**
 * The open connections of a `ChaosProxy` (internal), by id (1, 2, … in pairing order), and the host
 * they share: clock, fault log, counters, and a random source per connection, direction and purpose
 * derived from the seed.
 */
export class ConnectionRegistry {
  readonly #open = new Map<number, ProxyConnection>();
  readonly #host: ConnectionHost;
  #nextId = 1;

  /**
   * @param clock - the proxy's clock
   * @param seed - the seed every random draw derives from
   * @param log - the proxy's fault log
   * @param counters - the proxy's counters, per direction
   */
  constructor(
    clock: Clock,
    seed: number,
    log: LogFault,
    counters: Readonly<Record<Direction, DirectionCounters>>,
  ) {
    this.#host = {
      clock,
      log,
      random: (connection, direction, purpose) => createRandom(mix(seed, connection, direction, purpose)),
      counters: (direction) => counters[direction],
      ended: (connection) => this.#open.delete(connection.id),
    };
  }

  /** How many are open now. */
  get size(): number {
    return this.#open.size;
  }

  /** How many were paired since the start. */
  get total(): number {
    return this.#nextId - 1;
  }

  /** The ids of the connections open now. */
  ids(): number[] {
    return [...this.#open.keys()];
  }

  /** The connections open now. */
  values(): IterableIterator<ProxyConnection> {
    return this.#open.values();
  }

  /**
   * Pairs a client with its upstream as the next connection, kept here until it ends.
   *
   * @param upstream - the upstream `server` is connected to
   * @param client - the client's socket
   * @param server - the upstream socket
   * @param settings - the conditions and faults to start with
   * @returns the new connection
   */
  add(
    upstream: Upstream,
    client: Socket,
    server: Socket,
    settings: Record<Direction, DirectionSettings>,
  ): ProxyConnection {
    const id = this.#nextId++;
    const c = new ProxyConnection(this.#host, id, upstream, client, server, settings);
    this.#open.set(id, c);
    return c;
  }

  /**
   * @param id - a connection id
   * @returns that open connection
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when it is not open
   */
  get(id: number): ProxyConnection {
    const c = this.#open.get(id);
    if (!c) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `ChaosProxy: no open connection ${formatValue(id)}`,
        {
          expected: `one of ${this.ids().join(', ') || '(none open)'}`,
          received: id,
        },
      );
    }
    return c;
  }

  /**
   * @param id - one connection's id, or `undefined` for all
   * @returns every open connection, or the one with that id
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `id` is given and not open
   */
  pick(id: number | undefined): ProxyConnection[] {
    return id === undefined ? [...this.#open.values()] : [this.get(id)];
  }
}
