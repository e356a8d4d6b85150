import type { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/index.js';
import { encodeFrame, encodeJsonFrame, type Frame } from '../../framing/index.js';
import { utf8Length } from '../../framing/utf8.js';
import type { ServerProtocolEvents, ServerProtocolStats } from './protocol-events.js';
import type { ServerProtocolOptions } from './protocol-options.js';
import type { ProtocolSession } from './protocol-session.js';
import type { SessionStore } from './session-store.js';

/** Where a {@link ServerProtocolEndpoint} is in its life. */
export type EndpointState = 'awaiting-hello' | 'open' | 'detached' | 'displaced' | 'failed' | 'closed';

/** The writable counters behind {@link ServerProtocolStats}. Internal to the endpoint. */
export type EndpointCounters = { -readonly [K in keyof ServerProtocolStats]: number };

/** What an {@link EndpointCore} is built from. Internal to the endpoint. */
export interface EndpointCoreInit {
  /** Sends one WebSocket message (binary for bytes, text for a JSON envelope). */
  readonly send: (data: Uint8Array | string) => void;
  /** The server's sessions. */
  readonly store: SessionStore;
  /** Time and timers. */
  readonly clock: Clock;
  /** The resolved options. */
  readonly options: Readonly<Required<ServerProtocolOptions>>;
  /** Where events go: the endpoint itself. */
  readonly events: EventEmitter<ServerProtocolEvents>;
}

/**
 * The state one {@link ServerProtocolEndpoint} shares with its helpers ({@link EndpointInbound},
 * {@link EndpointOutbound}, {@link answerHello}): life-cycle state, the session, the wire encoding,
 * the counters, and the one way out to the socket ({@link EndpointCore.write}). Internal.
 */
export class EndpointCore {
  /** The server's sessions. */
  readonly store: SessionStore;
  /** Time and timers. */
  readonly clock: Clock;
  /** The resolved options. */
  readonly options: Readonly<Required<ServerProtocolOptions>>;
  /** Where events go: the endpoint itself. */
  readonly events: EventEmitter<ServerProtocolEvents>;
  /** The codec limits every encode and decode uses. */
  readonly codec: { maxPayloadBytes: number };
  /** The counters {@link ServerProtocolEndpoint.stats} snapshots. */
  readonly counters: EndpointCounters = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    delivered: 0,
    acksSent: 0,
    acksReceived: 0,
    nacksSent: 0,
    nacksReceived: 0,
    replays: 0,
    duplicatesDropped: 0,
    checksumFailures: 0,
    overflows: 0,
    protocolErrors: 0,
  };
  /** Where the endpoint is in its life. */
  state: EndpointState = 'awaiting-hello';
  /** The session once `hello` was answered. */
  session: ProtocolSession | undefined;
  /** The answered `hello`'s body (JSON), to recognise a duplicate of it. */
  helloKey: string | undefined;
  /** Whether frames go out as JSON text messages (else binary). */
  text: boolean;
  readonly #send: (data: Uint8Array | string) => void;

  /** @param init - the socket's `send`, the store, clock, resolved options and event target */
  constructor(init: EndpointCoreInit) {
    this.#send = init.send;
    this.store = init.store;
    this.clock = init.clock;
    this.options = init.options;
    this.events = init.events;
    this.text = init.options.encoding === 'json';
    this.codec = { maxPayloadBytes: init.options.maxPayloadBytes };
  }

  /** Whether the endpoint still handles input (awaiting `hello` or open). */
  get live(): boolean {
    return this.state === 'awaiting-hello' || this.state === 'open';
  }

  /**
   * Counts one incoming message (`framesIn`, `bytesIn`).
   *
   * @param input - the message as received
   */
  countIn(input: Uint8Array | string): void {
    this.counters.framesIn++;
    this.counters.bytesIn +=
      typeof input === 'string' ? utf8Length(input) : ((input as Uint8Array | undefined)?.length ?? 0);
  }

  /**
   * Sends a sequenced data frame already in the replay buffer, reusing its binary encoding.
   *
   * @param frame - the frame
   * @param binary - its binary encoding (ignored when sending text)
   */
  transmit(frame: Frame, binary: Uint8Array): void {
    this.write(frame, this.text ? undefined : binary);
  }

  /**
   * Encodes a frame for the connection's encoding, counts it, and sends it.
   *
   * @param frame - the frame
   * @param binary - its binary encoding, if already known
   */
  write(frame: Frame, binary?: Uint8Array): void {
    const data = this.text ? encodeJsonFrame(frame, this.codec) : (binary ?? encodeFrame(frame, this.codec));
    this.counters.framesOut++;
    this.counters.bytesOut += typeof data === 'string' ? utf8Length(data) : data.length;
    this.#send(data);
  }
}
