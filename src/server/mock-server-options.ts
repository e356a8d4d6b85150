import type { Clock } from '../clock/index.js';
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, checkOneOf, formatValue } from '../internal/options.js';
import type { Authenticate } from './auth/index.js';
import type { MockConnection } from './mock-connection.js';
import type { ServerProtocolOptions, SessionStoreOptions } from './protocol/index.js';
import { realClock } from './real-clock.js';
import type { ReceivedMessage } from './received-message.js';

/** A handler called for every message a `MockServer` receives (`onMessage` option). */
export type MessageHandler = (connection: MockConnection, message: ReceivedMessage) => void | Promise<void>;

/** A key and certificate (PEM) that make a `MockServer` listen with TLS (`wss://`). */
export interface MockServerTls {
  /** The private key, PEM. */
  readonly key: string | Uint8Array;
  /** The certificate chain, PEM. */
  readonly cert: string | Uint8Array;
}

/** The per-connection rate limit of a `MockServer` (a token bucket per connection). */
export interface MockServerRateLimit {
  /** Messages per second refilled into the bucket; a finite number > 0. */
  readonly ratePerSecond: number;
  /** Bucket size: the largest burst accepted at once; an integer ≥ 1 (default: `ratePerSecond` rounded up). */
  readonly burst?: number | undefined;
  /**
   * What happens to a message over the limit: `'close'` closes the connection with 1008 (policy
   * violation); `'error-frame'` drops the message and answers with an error (a `semantest-v1` error
   * frame, or a JSON text `{ "error": "WS_KIT_ERR_RATE_LIMITED" }` on plain connections).
   * @default 'close'
   */
  readonly action?: 'close' | 'error-frame' | undefined;
}

/** Ways a `MockServer` can fail to answer the opening handshake, to test client connect timeouts. */
export type HangMode = 'none' | 'tcp' | 'upgrade';

/** Options of `MockServer.start`; every field is optional. */
export interface MockServerOptions {
  /** The address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The port; `0` picks a free ephemeral port (kept across `restart()`). @default 0 */
  readonly port?: number;
  /** Key and certificate to serve `wss://`; `undefined` serves `ws://`. @default undefined */
  readonly tls?: MockServerTls | undefined;
  /**
   * The subprotocols the server supports, most preferred first (e.g. `['semantest-v2', 'semantest-v1']`).
   * Empty: every upgrade is accepted with no subprotocol.
   * @default []
   */
  readonly protocols?: readonly string[];
  /**
   * Whose order picks among the subprotocols both sides support: `'client'` takes the first one the
   * client offered that the server supports; `'server'` takes the first one in `protocols` that
   * the client offered.
   * @default 'client'
   */
  readonly protocolPreference?: 'client' | 'server';
  /**
   * What to do when the client offers subprotocols and the server supports none of them:
   * `'reject'` answers the upgrade with HTTP 400; `'accept-none'` completes it with no subprotocol.
   * @default 'reject'
   */
  readonly protocolMismatch?: 'reject' | 'accept-none';
  /** Whether to send every received message back to its sender. @default false */
  readonly echo?: boolean;
  /** Called for every received message, after it is recorded. @default undefined */
  readonly onMessage?: MessageHandler | undefined;
  /**
   * The most messages `server.messages` (and each connection's `messages`) keeps; beyond it the
   * oldest are forgotten — counted in `stats().forgottenMessages`, and announced once (until the
   * next `flush()`) by an `error` event with `WS_KIT_ERR_BUFFER_OVERFLOW`. Waits still see every
   * message as it arrives. An integer ≥ 1, or `Infinity` to keep everything.
   * @default 100000
   */
  readonly maxMessages?: number;
  /** The default timeout of every wait (`nextConnection`, `nextMessage`, `waitFor`…), ms > 0. @default 2000 */
  readonly timeoutMs?: number;
  /**
   * The clock for waits, delays, pacing and receive times. The default keeps real time under
   * `vi.useFakeTimers()` / `jest.useFakeTimers()`; pass a clock to opt into fake time on purpose.
   * @default realClock
   */
  readonly clock?: Clock;
  /** The largest incoming message accepted; a bigger one closes the connection with 1009. @default 16777216 */
  readonly maxPayloadBytes?: number;
  /** The most connections open at once; the next upgrade gets HTTP 503. @default Infinity */
  readonly maxConnections?: number;
  /** The `Origin` values accepted; another origin (or none) gets HTTP 403. `undefined` accepts any. @default undefined */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** A per-connection rate limit on incoming messages; `undefined` sets none. @default undefined */
  readonly rateLimit?: MockServerRateLimit | undefined;
  /** How long to hold every upgrade before answering it, ms ≥ 0. @default 0 */
  readonly handshakeDelayMs?: number;
  /**
   * `'tcp'`: accept TCP connections and never read or answer them; `'upgrade'`: read the upgrade
   * request and never answer it; `'none'`: answer normally. Changeable later with `server.hang()`.
   * @default 'none'
   */
  readonly hang?: HangMode;
  /** How long after opening a connection the server holds its first outgoing message, ms ≥ 0. @default 0 */
  readonly firstMessageDelayMs?: number;
  /**
   * Called during every upgrade, before it is accepted: its result gives the connection's
   * `userId`, `roles` and `tags`; a rejection answers with its HTTP status (a throw: 500).
   * @default undefined
   */
  readonly authenticate?: Authenticate | undefined;
  /**
   * Tunables of the `semantest-v1` endpoint run on every connection that negotiated it (ack
   * batching, replay buffer bounds, overflow policy…); see `ServerProtocolOptions`.
   * @default {}
   */
  readonly protocol?: ServerProtocolOptions;
  /** Bounds of the server's `semantest-v1` session store (`maxSessions`…); see `SessionStoreOptions`. @default {} */
  readonly sessions?: Omit<SessionStoreOptions, 'clock'>;
}

/** The defaults of every {@link MockServerOptions} field. */
export const DEFAULT_MOCK_SERVER_OPTIONS: Readonly<Required<MockServerOptions>> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  tls: undefined,
  protocols: Object.freeze([]) as readonly string[],
  protocolPreference: 'client',
  protocolMismatch: 'reject',
  echo: false,
  onMessage: undefined,
  maxMessages: 100_000,
  timeoutMs: 2000,
  clock: realClock,
  maxPayloadBytes: 16 * 1024 * 1024,
  maxConnections: Number.POSITIVE_INFINITY,
  allowedOrigins: undefined,
  rateLimit: undefined,
  handshakeDelayMs: 0,
  hang: 'none',
  firstMessageDelayMs: 0,
  authenticate: undefined,
  protocol: Object.freeze({}),
  sessions: Object.freeze({}),
} as const);

function invalid(name: string, expected: string, value: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_OPTION',
    `MockServer.${name} must be ${expected}, got ${formatValue(value)}`,
    {
      expected,
      received: value,
    },
  );
}

function checkStrings(name: string, value: unknown): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    invalid(name, 'an array of non-empty strings', value);
  }
}

/**
 * Validates `MockServer` options (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveMockServerOptions(options: MockServerOptions): Required<MockServerOptions> {
  if (typeof options !== 'object' || options === null) invalid('options', 'an object', options);
  checkKnownKeys('MockServer', options, DEFAULT_MOCK_SERVER_OPTIONS);
  const o: Required<MockServerOptions> = { ...DEFAULT_MOCK_SERVER_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  if (typeof o.host !== 'string' || o.host === '') invalid('host', 'a non-empty string', o.host);
  checkNumber('MockServer.port', o.port, { integer: true, min: 0, max: 65535 });
  if (o.tls !== undefined && (typeof o.tls !== 'object' || !o.tls.key || !o.tls.cert)) {
    invalid('tls', 'an object with key and cert', o.tls);
  }
  checkStrings('protocols', o.protocols);
  checkOneOf('MockServer.protocolPreference', o.protocolPreference, ['client', 'server']);
  checkOneOf('MockServer.protocolMismatch', o.protocolMismatch, ['reject', 'accept-none']);
  if (typeof o.echo !== 'boolean') invalid('echo', 'a boolean', o.echo);
  if (o.onMessage !== undefined && typeof o.onMessage !== 'function')
    invalid('onMessage', 'a function', o.onMessage);
  if (o.maxMessages !== Number.POSITIVE_INFINITY) {
    checkNumber('MockServer.maxMessages', o.maxMessages, { integer: true, min: 1 });
  }
  checkNumber('MockServer.timeoutMs', o.timeoutMs, { min: 0, exclusiveMin: true });
  const clock = o.clock as Partial<Clock> | null;
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function') {
    invalid('clock', 'a Clock (now, setTimeout, clearTimeout)', o.clock);
  }
  checkNumber('MockServer.maxPayloadBytes', o.maxPayloadBytes, { integer: true, min: 1 });
  if (o.maxConnections !== Number.POSITIVE_INFINITY) {
    checkNumber('MockServer.maxConnections', o.maxConnections, { integer: true, min: 0 });
  }
  if (o.allowedOrigins !== undefined) checkStrings('allowedOrigins', o.allowedOrigins);
  if (o.rateLimit !== undefined) {
    if (typeof o.rateLimit !== 'object' || o.rateLimit === null)
      invalid('rateLimit', 'an object', o.rateLimit);
    checkKnownKeys('MockServer.rateLimit', o.rateLimit, { ratePerSecond: 0, burst: 0, action: 0 });
    checkNumber('MockServer.rateLimit.ratePerSecond', o.rateLimit.ratePerSecond, {
      min: 0,
      exclusiveMin: true,
    });
    if (o.rateLimit.burst !== undefined) {
      checkNumber('MockServer.rateLimit.burst', o.rateLimit.burst, { integer: true, min: 1 });
    }
    if (o.rateLimit.action !== undefined) {
      checkOneOf('MockServer.rateLimit.action', o.rateLimit.action, ['close', 'error-frame']);
    }
  }
  checkNumber('MockServer.handshakeDelayMs', o.handshakeDelayMs, { min: 0 });
  checkOneOf('MockServer.hang', o.hang, ['none', 'tcp', 'upgrade']);
  checkNumber('MockServer.firstMessageDelayMs', o.firstMessageDelayMs, { min: 0 });
  if (o.authenticate !== undefined && typeof o.authenticate !== 'function') {
    invalid('authenticate', 'a function', o.authenticate);
  }
  if (typeof o.protocol !== 'object' || o.protocol === null) invalid('protocol', 'an object', o.protocol);
  if (typeof o.sessions !== 'object' || o.sessions === null) invalid('sessions', 'an object', o.sessions);
  return o;
}
