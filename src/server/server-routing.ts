import type { Clock } from '../clock/index.js';
import { encodeFrame, errorFrame, type Frame, type FramePayload } from '../framing/index.js';
import type { ConnectionControl, MockConnection, SendOptions } from './mock-connection.js';
import type { MockServerOptions, MockServerRateLimit } from './mock-server-options.js';
import {
  SEMANTEST_V1,
  ServerProtocolEndpoint,
  type ServerProtocolOptions,
  SessionStore,
} from './protocol/index.js';
import type { MessageData, ReceivedMessage } from './received-message.js';
import { WireMessage } from './wire-message.js';

/** What the routing layer needs from its server (internal). */
export interface RoutingHost {
  /** The open connections, each with its controls. */
  connections(): Iterable<[MockConnection, ConnectionControl]>;
  /** Sends to one connection; `wire` is the same message framed once for all plain receivers. */
  send(connection: MockConnection, data: MessageData, options: SendOptions, wire?: WireMessage): void;
  record(connection: MockConnection, message: ReceivedMessage): void;
  error(error: Error, connection: MockConnection): void;
  close(connection: MockConnection, code: number, reason: string): void;
}

import {
  checkRouteTarget,
  matchesTarget,
  type PacedRun,
  pace,
  type RouteTarget,
  TokenBucket,
} from './routing/index.js';

/** Options of `server.stream()`. */
export interface StreamOptions {
  /** Messages per second, scheduled at absolute times (no drift); a finite number > 0. */
  readonly ratePerSecond: number;
  /** The `semantest-v1` channel (defaults to `target.channel`, else `''`). */
  readonly channel?: string;
  /** The most overdue sends made in one timer tick when catching up. @default 100 */
  readonly maxBurst?: number;
}

/** The `semantest-v1` counters a `MockServer` reports in `stats()`. */
interface ProtocolCounters {
  acks: number;
  nacks: number;
  checksumFailures: number;
  replays: number;
  duplicates: number;
}

function payloadOf(data: MessageData): FramePayload {
  if (typeof data === 'string') return { kind: 'text', data };
  if (data instanceof Uint8Array) return { kind: 'binary', data };
  return { kind: 'json', data };
}

function payloadBytes(payload: FramePayload): number {
  if (payload.kind === 'binary') return payload.data.byteLength;
  return Buffer.byteLength(payload.kind === 'text' ? payload.data : JSON.stringify(payload.data));
}

/** The routing, rate-limit, streaming and `semantest-v1` layer of a `MockServer` (internal). */
export class ServerRouting {
  readonly #host: RoutingHost;
  readonly #clock: Clock;
  readonly #rateLimit: MockServerRateLimit | undefined;
  readonly #protocolOptions: ServerProtocolOptions;
  readonly #buckets = new WeakMap<MockConnection, TokenBucket>();
  readonly #endpoints = new Map<MockConnection, ServerProtocolEndpoint>();
  readonly #runs = new Set<PacedRun>();
  readonly #done: ProtocolCounters = { acks: 0, nacks: 0, checksumFailures: 0, replays: 0, duplicates: 0 };
  /** The `semantest-v1` sessions; they live as long as the server, across drops and restarts. */
  readonly sessions: SessionStore;

  constructor(host: RoutingHost, options: Required<MockServerOptions>) {
    this.#host = host;
    this.#clock = options.clock;
    this.#rateLimit = options.rateLimit;
    this.#protocolOptions = options.protocol;
    this.sessions = new SessionStore({ ...options.sessions, clock: options.clock });
  }

  attach(connection: MockConnection, control: ConnectionControl): void {
    if (this.#rateLimit) {
      const { ratePerSecond, burst } = this.#rateLimit;
      this.#buckets.set(connection, new TokenBucket({ ratePerSecond, burst, clock: this.#clock }));
    }
    if (connection.protocol !== SEMANTEST_V1) return;
    const endpoint = new ServerProtocolEndpoint({
      send: (data) => control.write(data, typeof data !== 'string'),
      store: this.sessions,
      clock: this.#clock,
      options: this.#protocolOptions,
    });
    endpoint.on('data', (frame: Frame) => this.#data(connection, frame));
    endpoint.on('protocolError', (event) => {
      this.#host.error(event.error, connection);
      this.#host.close(connection, event.closeCode, event.reason);
    });
    endpoint.on('displaced', (event) => this.#host.close(connection, event.closeCode, event.reason));
    endpoint.on('overflow', (event) => this.#host.error(event.error, connection));
    this.#endpoints.set(connection, endpoint);
  }

  detach(connection: MockConnection): void {
    const endpoint = this.#endpoints.get(connection);
    if (!endpoint) return;
    endpoint.detach();
    const s = endpoint.stats();
    this.#done.acks += s.acksSent;
    this.#done.nacks += s.nacksSent;
    this.#done.checksumFailures += s.checksumFailures;
    this.#done.replays += s.replays;
    this.#done.duplicates += s.duplicatesDropped;
    this.#endpoints.delete(connection);
  }

  /**
   * Applies the rate limit to one incoming message.
   *
   * @returns `false` when the message is over the limit (the connection was closed 1008 or told so)
   */
  admit(connection: MockConnection, control: ConnectionControl): boolean {
    const bucket = this.#buckets.get(connection);
    if (!bucket || bucket.take()) return true;
    if ((this.#rateLimit?.action ?? 'close') === 'close') {
      this.#host.close(connection, 1008, 'rate limit exceeded');
      return false;
    }
    const body = { code: 'WS_KIT_ERR_RATE_LIMITED', message: 'rate limit exceeded; message dropped' };
    if (connection.protocol === SEMANTEST_V1)
      control.write(encodeFrame(errorFrame(body, this.#clock.now())), true);
    else control.write(JSON.stringify({ error: body.code, message: body.message }), false);
    return false;
  }

  /** Feeds one message to the connection's `semantest-v1` endpoint; `false` if it has none. */
  receiveV1(connection: MockConnection, data: Buffer, binary: boolean): boolean {
    const endpoint = this.#endpoints.get(connection);
    if (!endpoint) return false;
    endpoint.receive(binary ? data : data.toString('utf8'), binary);
    return true;
  }

  /** Sends through the connection's `semantest-v1` endpoint (sequenced, replay-buffered); `false` if it has none. */
  sendV1(connection: MockConnection, data: MessageData, options: SendOptions): boolean {
    const endpoint = this.#endpoints.get(connection);
    if (!endpoint) return false;
    const sendOptions = options.priority === undefined ? {} : { priority: options.priority };
    endpoint.sendData(options.channel ?? '', payloadOf(data), sendOptions);
    return true;
  }

  /** The `semantest-v1` session id of a connection, once its `hello` was answered. */
  sessionId(connection: MockConnection): string | undefined {
    return this.#endpoints.get(connection)?.sessionId;
  }

  /**
   * Sends `data` to every open connection `target` addresses.
   *
   * @returns the ids of the receivers
   */
  broadcast(data: MessageData, target: RouteTarget, options: SendOptions): string[] {
    checkRouteTarget(target);
    const ids: string[] = [];
    const wire = new WireMessage(data);
    // the channel through the connection's control: reading `channels` would create a set for each
    // connection that never subscribed
    const { channel, ...others } = target;
    for (const [connection, control] of [...this.#host.connections()]) {
      if (channel !== undefined && !control.hasChannel(channel)) continue;
      if (!matchesTarget(connection, others)) continue;
      // a semantest-v1 connection whose session moved on (displaced) or failed is closing: sending
      // there would throw, or reach the session's new connection a second time under another seq
      const endpoint = this.#endpoints.get(connection);
      if (endpoint && endpoint.state !== 'open' && endpoint.state !== 'awaiting-hello') continue;
      this.#host.send(connection, data, options, wire);
      ids.push(connection.id);
    }
    return ids;
  }

  /** Broadcasts each value of `source` to `target` at `ratePerSecond`, on absolute times. */
  stream(target: RouteTarget, source: Iterable<MessageData | object>, options: StreamOptions): PacedRun {
    checkRouteTarget(target);
    const iterator = source[Symbol.iterator]();
    const channel = options.channel ?? target.channel;
    const sendOptions = channel === undefined ? {} : { channel };
    const run = pace(
      () => {
        const next = iterator.next();
        if (next.done) return false;
        this.broadcast(next.value as MessageData, target, sendOptions);
        return true;
      },
      {
        ratePerSecond: options.ratePerSecond,
        clock: this.#clock,
        ...(options.maxBurst ? { maxBurst: options.maxBurst } : {}),
      },
    );
    this.#runs.add(run);
    void run.done.then(
      () => this.#runs.delete(run),
      () => this.#runs.delete(run),
    );
    return run;
  }

  protocolCounters(): ProtocolCounters {
    const total = { ...this.#done };
    for (const endpoint of this.#endpoints.values()) {
      const s = endpoint.stats();
      total.acks += s.acksSent;
      total.nacks += s.nacksSent;
      total.checksumFailures += s.checksumFailures;
      total.replays += s.replays;
      total.duplicates += s.duplicatesDropped;
    }
    return total;
  }

  stopStreams(): void {
    for (const run of this.#runs) run.stop();
  }

  async close(): Promise<void> {
    this.stopStreams();
    await Promise.all([...this.#endpoints.values()].map((endpoint) => endpoint.close()));
    this.sessions.clear();
  }

  #data(connection: MockConnection, frame: Frame): void {
    const { payload } = frame;
    this.#host.record(connection, {
      connectionId: connection.id,
      data: payload.data, // binary: a view into the socket read (its neighbours are logged too)
      binary: payload.kind === 'binary',
      channel: frame.channel,
      seq: frame.seq,
      receivedAt: this.#clock.now(),
      bytes: payloadBytes(payload),
    });
  }
}
