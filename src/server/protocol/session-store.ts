import { EventEmitter } from 'eventemitter3';
import { type Clock, systemClock } from '../../clock/index.js';
import { OptionsError, ProtocolError } from '../../errors.js';
import { checkKnownKeys, checkNumber, checkObject, formatValue } from '../../internal/options.js';
import { ProtocolSession } from './protocol-session.js';

/** Options of {@link SessionStore}; every field is optional. */
export interface SessionStoreOptions {
  /**
   * The most sessions kept (an integer ≥ 1). Creating one more evicts the session idle longest
   * (emitting `evicted`); when every session is attached, creation fails with `WS_KIT_ERR_SESSION_LIMIT`.
   * @default 10000
   */
  readonly maxSessions?: number;
  /**
   * The clock for `createdAt`, `lastActiveAt` and idle times; endpoints attached to the store use it by default.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Makes a new session id; must return a string not in use.
   * @default () => globalThis.crypto.randomUUID()
   */
  readonly createId?: () => string;
}

/** The defaults of every {@link SessionStoreOptions} field. */
export const DEFAULT_SESSION_STORE_OPTIONS: Readonly<Required<SessionStoreOptions>> = Object.freeze({
  maxSessions: 10_000,
  clock: systemClock,
  createId: (): string => globalThis.crypto.randomUUID(),
});

/** The payload of a {@link SessionStore} `evicted` event. */
export interface SessionEvictedEvent {
  /** The evicted session's id; a later `hello` with it gets a new session. */
  readonly sessionId: string;
  /** Why: `'capacity'` (a new session needed the room). */
  readonly reason: 'capacity';
  /** How long it had been idle (no connection attached), in ms. */
  readonly idleMs: number;
  /** Server → client frames the client never acked, lost with the session (named, never silent). */
  readonly unackedFrames: number;
}

/** The events of a {@link SessionStore}. */
export interface SessionStoreEvents {
  /** A session was evicted to make room. */
  evicted: (event: SessionEvictedEvent) => void;
}

/**
 * The `semantest-v1` sessions of a server, by id. Sessions outlive connections: a client that
 * reconnects with its session id in `hello` resumes where it left off. Keep one store for the
 * server's lifetime (across restarts) and hand it to every {@link ServerProtocolEndpoint}.
 * Bounded: past `maxSessions` the session idle longest is evicted, with an `evicted` event.
 * Pure: no sockets; ids from `crypto.randomUUID()`.
 *
 * @example
 * ```ts
 * const store = new SessionStore({ maxSessions: 1000 });
 * store.on('evicted', (e) => console.warn(`session ${e.sessionId} evicted after ${e.idleMs} ms idle`));
 * ```
 */
export class SessionStore extends EventEmitter<SessionStoreEvents> {
  /** The store's clock (endpoints default to it). */
  readonly clock: Clock;
  readonly #max: number;
  readonly #createId: () => string;
  /** Ordered from least to most recently active (re-inserted on every attach/detach). */
  readonly #sessions = new Map<string, ProtocolSession>();

  /**
   * @param options - see {@link SessionStoreOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown option or a value out of range
   */
  constructor(options: SessionStoreOptions = {}) {
    super();
    checkObject('SessionStore options', options);
    checkKnownKeys('SessionStore', options, DEFAULT_SESSION_STORE_OPTIONS);
    const o = { ...DEFAULT_SESSION_STORE_OPTIONS, ...options };
    this.#max = checkNumber('SessionStore.maxSessions', o.maxSessions, { integer: true, min: 1 });
    if (typeof o.clock?.now !== 'function' || typeof o.clock.setTimeout !== 'function') {
      throw new OptionsError('WS_KIT_ERR_INVALID_OPTION', 'SessionStore.clock must be a Clock', {
        expected: 'Clock',
        received: o.clock,
      });
    }
    if (typeof o.createId !== 'function') {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        `SessionStore.createId must be a function, got ${formatValue(o.createId)}`,
        { expected: 'function', received: o.createId },
      );
    }
    this.clock = o.clock;
    this.#createId = o.createId;
  }

  /** The number of sessions kept. */
  get size(): number {
    return this.#sessions.size;
  }

  /** The most sessions kept. */
  get maxSessions(): number {
    return this.#max;
  }

  /**
   * Looks a session up (on resume).
   *
   * @param id - the session id from a `hello`
   * @returns the session, or `undefined` when unknown or evicted
   */
  get(id: string): ProtocolSession | undefined {
    return this.#sessions.get(id);
  }

  /**
   * Creates a session with a fresh id, evicting the session idle longest if the store is full.
   *
   * @returns the new session (not yet attached)
   * @throws {@link ProtocolError} `WS_KIT_ERR_SESSION_LIMIT` when full and every session is attached
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when `createId` returns an id in use or not a string
   */
  create(): ProtocolSession {
    if (this.#sessions.size >= this.#max) this.#evictIdlest();
    const id = this.#createId();
    if (typeof id !== 'string' || id.length === 0 || this.#sessions.has(id)) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `SessionStore.createId returned ${formatValue(id)}, which is not a new non-empty string`,
        { received: id },
      );
    }
    const session = new ProtocolSession(id, this.clock.now());
    this.#sessions.set(id, session);
    return session;
  }

  /**
   * Moves a session to the most-recently-active end (called by endpoints on attach and detach).
   *
   * @param session - a session of this store
   */
  touch(session: ProtocolSession): void {
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    this.#sessions.set(session.id, session);
  }

  /**
   * Forgets a session (its unacked frames go with it).
   *
   * @param id - the session id
   * @returns `true` when a session was removed
   */
  delete(id: string): boolean {
    return this.#sessions.delete(id);
  }

  /** Forgets every session. */
  clear(): void {
    this.#sessions.clear();
  }

  /**
   * Lists the sessions, least recently active first.
   *
   * @returns an iterator over the sessions
   */
  sessions(): IterableIterator<ProtocolSession> {
    return this.#sessions.values();
  }

  #evictIdlest(): void {
    for (const session of this.#sessions.values()) {
      if (session.attached) continue;
      this.#sessions.delete(session.id);
      this.emit('evicted', {
        sessionId: session.id,
        reason: 'capacity',
        idleMs: this.clock.now() - session.lastActiveAt,
        unackedFrames: session.outbound.size,
      });
      return;
    }
    throw new ProtocolError(
      'WS_KIT_ERR_SESSION_LIMIT',
      `SessionStore: ${this.#max} sessions, all attached; none can be evicted for a new one`,
      { expected: this.#max, received: this.#sessions.size },
    );
  }
}
