import type { TimerHandle } from '../clock/clock.js';
import type { WsKitError } from '../errors.js';
import { Backoff } from './backoff.js';
import { countMessage, newCounters, outageMs } from './client-counters.js';
import {
  closedError,
  gaveUpError,
  listenerError,
  SEMANTEST_V1,
  subprotocolError,
  unackedError,
} from './client-errors.js';
import type { ResolvedClientOptions } from './client-options.js';
import { type ClientUrl, destroy, detach, resolveTarget, type SocketLike } from './client-socket.js';
import { createCork, type Events, guardedEmit, openAttempt, targetFailure } from './client-socket-extras.js';
import type { ClientMessage, ClientOverflowEvent, ClientState, ClientStats } from './client-types.js';
import { type DisconnectReason, defaultShouldReconnect } from './close-policy.js';
import { Heartbeat } from './heartbeat.js';
import { Receiver, type ReceiverHost } from './receiver.js';
import { Sender, type SenderHost } from './sender.js';
import { Waiters } from './waiters.js';

/**
 * The connection life cycle of a ResilientClient (internal): connect, hello/welcome, heartbeat,
 * loss, backoff and reconnect, and the final close. Sending and receiving live in {@link Sender}
 * and {@link Receiver}; {@link ResilientClient} is the public face.
 */
export class ClientCore implements SenderHost, ReceiverHost {
  readonly o: ResolvedClientOptions;
  readonly sender: Sender;
  readonly receiver: Receiver;
  readonly waiters: Waiters;
  state: ClientState = 'idle';
  socket: SocketLike | undefined;
  closeReason: DisconnectReason | undefined;
  /** Messages still held when the client closed (rejected then): `drained()` must not resolve. */
  rejectedOnClose = 0;
  readonly #url: ClientUrl;
  readonly #emit: Events['emit'];
  readonly #backoff: Backoff;
  readonly #heartbeat: Heartbeat | undefined;
  /** Bumped for every attempt and every loss: callbacks of an older attempt are ignored. */
  #attempt = 0;
  #ready = false;
  #everReady = false;
  #connectTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #stableTimer: TimerHandle | undefined;
  #attemptsSinceReady = 0;
  #resentOnResume = 0;
  readonly #cork = createCork();
  readonly #pongListened = new WeakSet<SocketLike>();
  #lostAt: number | undefined;
  readonly #s = newCounters();

  constructor(url: ClientUrl, o: ResolvedClientOptions, events: Events) {
    this.o = o;
    this.#url = url;
    this.#emit = guardedEmit(events);
    this.#backoff = new Backoff(o.backoff, o.random);
    this.sender = new Sender(this);
    this.receiver = new Receiver(this);
    this.waiters = new Waiters(o.clock);
    const hb = o.heartbeat;
    if (hb) {
      this.#heartbeat = new Heartbeat(
        o.clock,
        hb.intervalMs,
        hb.timeoutMs,
        () => this.#ping(),
        () => this.#lost(this.#attempt, { kind: 'heartbeat-timeout' }),
      );
    }
  }

  /** Welcomed (or, in plain mode, open) and the socket still OPEN: not yet CLOSING after a close frame. */
  ready(): boolean {
    return this.#ready && this.socket?.readyState === 1;
  }

  hasWelcome(): boolean {
    return this.#ready;
  }

  stats(): ClientStats {
    return {
      state: this.state,
      ...this.#s,
      downtimeMs: this.#s.downtimeMs + outageMs(this.o.clock, this.#lostAt),
      unacked: this.sender.count,
      duplicatesDropped: this.receiver.duplicates,
    };
  }

  connect(): void {
    if (this.state !== 'idle') return;
    this.#setState('connecting', undefined);
    void this.#attemptConnect();
  }

  /** Closes for good with `reason`: timers stopped, held messages rejected, `close` emitted. */
  finish(reason: DisconnectReason): void {
    if (this.state === 'closed') return;
    this.#attempt++;
    this.#teardown(reason.kind === 'user');
    this.o.clock.clearTimeout(this.#retryTimer);
    this.closeReason = reason;
    this.#s.downtimeMs += outageMs(this.o.clock, this.#lostAt);
    this.#lostAt = undefined;
    this.rejectedOnClose += this.sender.rejectAll((n) => unackedError(reason, n));
    this.#setState('closed', reason);
    this.waiters.end(this.closeError);
    this.#emit('close', reason);
  }

  readonly closeError = (): WsKitError => closedError(this.closeReason);

  // ---- hooks for Sender and Receiver ----

  write(data: Uint8Array | string): void {
    const socket = this.socket;
    // a CLOSING socket drops what is written (ws and browsers alike): the frame stays queued instead
    if (socket?.readyState !== 1) return;
    try {
      this.#cork(socket);
      socket.send(data);
    } catch (error) {
      this.#lost(this.#attempt, { kind: 'error', error: error as Error });
      return;
    }
    countMessage(this.#s, true, data);
  }

  overflowed(event: ClientOverflowEvent): void {
    this.#emit('overflow', event);
    if (event.policy === 'error') {
      this.#emit('error', event.error);
      this.finish({ kind: 'error', error: event.error });
    }
  }

  acked(channel: string, seq: number, count: number): void {
    this.#emit('ack', { channel, seq, count });
    this.waiters.check();
  }

  ackTimedOut(): void {
    this.#lost(this.#attempt, { kind: 'ack-timeout' });
  }

  resent(why: 'resume' | 'retry'): void {
    this.#s.resends++;
    if (why === 'resume') this.#resentOnResume++;
  }

  message(message: ClientMessage): void {
    this.#emit('message', message);
  }

  error(error: Error): void {
    this.#emit('error', error);
  }

  welcomed(): void {
    this.#becomeReady(this.#attempt);
  }

  broken(error: Error): void {
    this.#lost(this.#attempt, { kind: 'protocol', error });
  }

  alive(rttMs: number | undefined): void {
    if (rttMs !== undefined) this.#s.lastRttMs = rttMs;
    this.#heartbeat?.alive();
  }

  // ---- the life cycle ----

  async #attemptConnect(): Promise<void> {
    if (this.state === 'closed') return; // close() in a `state` listener during connect()
    const id = ++this.#attempt;
    this.#attemptsSinceReady++;
    // set first: the timeout covers url() and getToken() too, which may never settle
    this.#connectTimer = this.o.clock.setTimeout(
      () => this.#lost(id, { kind: 'connect-timeout' }),
      this.o.connectTimeoutMs,
    );
    let target: Awaited<ReturnType<typeof resolveTarget>>;
    try {
      target = await resolveTarget(this.#url, this.o);
    } catch (error) {
      if (id === this.#attempt) this.#lost(id, targetFailure(error));
      return;
    }
    if (id !== this.#attempt) return; // timed out, lost or closed (finish() bumps the attempt too)
    this.socket = openAttempt(target, this.o, {
      open: () => this.#socketOpen(id),
      message: (data) => {
        if (id !== this.#attempt) return;
        countMessage(this.#s, false, data);
        this.receiver.received(data);
      },
      ended: (reason) => this.#lost(id, reason),
    });
  }

  #socketOpen(id: number): void {
    if (id !== this.#attempt) return;
    const chosen = this.socket!.protocol;
    if (this.o.protocol === 'plain') this.#becomeReady(id);
    else if (chosen === SEMANTEST_V1) this.write(this.receiver.hello());
    else this.#lost(id, { kind: 'protocol', error: subprotocolError(chosen) });
  }

  #becomeReady(id: number): void {
    if (id !== this.#attempt) return;
    this.o.clock.clearTimeout(this.#connectTimer);
    this.#ready = true;
    const attempts = this.#attemptsSinceReady;
    this.#attemptsSinceReady = 0;
    this.o.clock.clearTimeout(this.#stableTimer);
    this.#stableTimer = this.o.clock.setTimeout(() => this.#backoff.reset(), this.o.backoff.stableMs);
    this.#heartbeat?.start();
    const first = !this.#everReady;
    this.#everReady = true;
    const downtimeMs = first ? 0 : outageMs(this.o.clock, this.#lostAt);
    this.#lostAt = undefined;
    if (!first) {
      this.#s.downtimeMs += downtimeMs;
      this.#s.reconnects++;
    }
    this.#setState('open', undefined);
    if (id !== this.#attempt) return; // a `state` listener closed the client, or the link dropped
    this.#resentOnResume = 0;
    this.sender.pump(); // resends what was unacked: counted in `resent` below
    if (first) this.#emit('open');
    else this.#emit('reconnected', { attempts, downtimeMs, resent: this.#resentOnResume });
    this.waiters.check();
  }

  /** The connection (or attempt) `id` ended: clean up, then reconnect or close for good. */
  #lost(id: number, reason: DisconnectReason): void {
    if (id !== this.#attempt || this.state === 'closed') return;
    this.#attempt++;
    this.#teardown();
    if (this.#everReady && this.#lostAt === undefined) this.#lostAt = this.o.clock.now();
    let decided: boolean;
    try {
      decided = this.o.shouldReconnect(reason) ?? defaultShouldReconnect(reason);
    } catch (thrown) {
      this.#emit('error', listenerError('shouldReconnect()', thrown, 'the client closes'));
      decided = false;
    }
    if (!decided || this.#backoff.exhausted) {
      if (decided) this.#emit('error', gaveUpError(this.#backoff.attempt, reason));
      this.finish(reason);
      return;
    }
    const delayMs = this.#backoff.next();
    const waiting = this.#attempt;
    this.#setState('reconnecting', reason);
    this.#emit('reconnecting', { attempt: this.#backoff.attempt, delayMs, reason });
    if (waiting !== this.#attempt || this.state !== 'reconnecting') return; // a listener called close()
    this.#retryTimer = this.o.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#attemptConnect();
    }, delayMs);
  }

  /**
   * Stops the current socket's listeners and timers; written-but-unacked messages go back to the
   * queue. The socket is destroyed, or (`keepSocket`, for `close()`'s close handshake) only detached.
   */
  #teardown(keepSocket = false): void {
    const socket = this.socket;
    if (socket && keepSocket) detach(socket);
    else if (socket) {
      this.socket = undefined;
      destroy(socket);
    }
    this.#ready = false;
    this.o.clock.clearTimeout(this.#connectTimer);
    this.o.clock.clearTimeout(this.#stableTimer);
    this.#heartbeat?.stop();
    this.receiver.disconnected();
    this.sender.disconnected();
  }

  #setState(to: ClientState, reason: DisconnectReason | undefined): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.#emit('state', { from, to, reason });
  }

  #ping(): void {
    const socket = this.socket;
    if (!socket || !this.#ready) return;
    if (this.o.protocol === SEMANTEST_V1) this.write(this.receiver.ping());
    else if (socket.ping && socket.on) {
      if (!this.#pongListened.has(socket)) {
        this.#pongListened.add(socket);
        socket.on('pong', () => this.#heartbeat?.alive());
      }
      socket.ping();
    } else this.#heartbeat?.alive(); // a browser in plain mode has no way to ping: see the docs
  }
}
