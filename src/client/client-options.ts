import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, checkOneOf, type NumberRule } from '../internal/options.js';
import { type BackoffOptions, resolveBackoffOptions } from './backoff.js';
import { type DisconnectReason, defaultShouldReconnect } from './close-policy.js';

/** What `ResilientClient` speaks: `semantest-v1` (acks, resume, zero loss) or plain WebSocket messages. */
export type ClientProtocol = 'semantest-v1' | 'plain';

/** What the offline buffer does when a `send()` would exceed its bounds. */
export type ClientOverflowPolicy =
  /** The new message is refused: its `send()` rejects with `WS_KIT_ERR_BUFFER_OVERFLOW`. */
  | 'reject'
  /** The oldest message not yet written is dropped (its `send()` rejects), the new one kept. */
  | 'drop-oldest'
  /** The new message is refused and the client closes with an `error` event: fail fast. */
  | 'error';

/** Bounds of the messages a client holds: not yet written, or written and not yet acked. */
export interface ClientBufferOptions {
  /** The most messages held. @default 10000 */
  readonly maxMessages?: number;
  /** The most payload bytes held. @default 16777216 */
  readonly maxBytes?: number;
  /** What a `send()` beyond the bounds does. @default 'reject' */
  readonly overflow?: ClientOverflowPolicy;
}

/** Ack and retry tunables (`semantest-v1`). */
export interface ClientAckOptions {
  /** The most data frames written and not yet acked; later ones wait (pipelining, never one at a time). @default 1024 */
  readonly window?: number;
  /** How long without ack progress before the unacked frames are written again, ms > 0. @default 3000 */
  readonly timeoutMs?: number;
  /** Resends of the same frames without progress before the connection is treated as dead and replaced. @default 3 */
  readonly maxRetries?: number;
  /** Frames received per channel that trigger an ack at once. @default 32 */
  readonly ackEvery?: number;
  /** The longest an ack of received frames waits, ms > 0. @default 20 */
  readonly ackDelayMs?: number;
  /** The most received frames held ahead of a gap, over all channels. @default 4096 */
  readonly maxHeld?: number;
}

/** Heartbeat tunables: detects half-open connections (a silent peer), then reconnects. */
export interface ClientHeartbeatOptions {
  /** Time between pings, ms > 0. @default 10000 */
  readonly intervalMs?: number;
  /** How long a ping may go unanswered before the connection is dropped, ms > 0. @default 5000 */
  readonly timeoutMs?: number;
}

/** Where `getToken()`'s token goes: the `bearer.<token>` subprotocol, a query parameter, or an `Authorization` header (Node only). */
export type TokenPlacement = 'protocol' | 'query' | 'header';

/** Options of {@link ResilientClient}. */
export interface ResilientClientOptions {
  /** `'semantest-v1'` (acks, resend, resume, dedupe) or `'plain'` (reconnect and buffer only). @default 'semantest-v1' */
  readonly protocol?: ClientProtocol;
  /**
   * Subprotocols offered, most preferred first. With `semantest-v1` they must include it (others,
   * e.g. `semantest-v2`, may come first: a v1 server picks v1). @default ['semantest-v1'] ([] when plain)
   */
  readonly subprotocols?: readonly string[];
  /** The reconnect schedule. @default {} */
  readonly backoff?: BackoffOptions;
  /** How long a connection attempt may take (TCP + upgrade + welcome), ms > 0. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Pings and pong timeout, or `false` for none. @default {} */
  readonly heartbeat?: ClientHeartbeatOptions | false;
  /** Bounds of held messages and the overflow policy. @default {} */
  readonly buffer?: ClientBufferOptions;
  /** Ack window, retries and ack batching (`semantest-v1`). @default {} */
  readonly ack?: ClientAckOptions;
  /**
   * Decides whether to reconnect after a disconnect the user did not ask for. Return `true` or
   * `false`, or `undefined` for the default (`defaultShouldReconnect`).
   * @default defaultShouldReconnect
   */
  readonly shouldReconnect?: (reason: DisconnectReason) => boolean | undefined;
  /** Called before every connection attempt; its token is sent as `tokenIn` says. @default undefined */
  readonly getToken?: (() => string | Promise<string>) | undefined;
  /** Where the token goes. @default 'protocol' */
  readonly tokenIn?: TokenPlacement;
  /** The query parameter for `tokenIn: 'query'`. @default 'token' */
  readonly tokenQueryParam?: string;
  /** Offer permessage-deflate (Node only; browsers decide themselves). Refused by the server → uncompressed. @default false */
  readonly perMessageDeflate?: boolean;
  /** Time and timers (fake timers are honoured by the default). @default systemClock */
  readonly clock?: Clock;
  /** Randomness for jitter, floats in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** The `WebSocket` class (default: `ws` in Node, the native one in browsers, via isomorphic-ws). @default undefined */
  readonly WebSocket?: unknown;
  /** Connect at once; `false` waits for `client.connect()`. @default true */
  readonly autoConnect?: boolean;
}

/** The defaults of every {@link ResilientClientOptions} field. */
export const DEFAULT_RESILIENT_CLIENT_OPTIONS: Readonly<Required<ResilientClientOptions>> = Object.freeze({
  protocol: 'semantest-v1',
  subprotocols: Object.freeze(['semantest-v1']) as readonly string[],
  backoff: Object.freeze({}) as BackoffOptions,
  connectTimeoutMs: 10_000,
  heartbeat: Object.freeze({}) as ClientHeartbeatOptions,
  buffer: Object.freeze({}) as ClientBufferOptions,
  ack: Object.freeze({}) as ClientAckOptions,
  shouldReconnect: defaultShouldReconnect,
  getToken: undefined,
  tokenIn: 'protocol',
  tokenQueryParam: 'token',
  perMessageDeflate: false,
  clock: systemClock,
  random: Math.random,
  WebSocket: undefined,
  autoConnect: true,
});

/** The defaults of every {@link ClientBufferOptions} field. */
export const DEFAULT_CLIENT_BUFFER_OPTIONS: Readonly<Required<ClientBufferOptions>> = Object.freeze({
  maxMessages: 10_000,
  maxBytes: 16 * 1024 * 1024,
  overflow: 'reject',
});

/** The defaults of every {@link ClientAckOptions} field. */
export const DEFAULT_CLIENT_ACK_OPTIONS: Readonly<Required<ClientAckOptions>> = Object.freeze({
  window: 1024,
  timeoutMs: 3000,
  maxRetries: 3,
  ackEvery: 32,
  ackDelayMs: 20,
  maxHeld: 4096,
});

/** The defaults of every {@link ClientHeartbeatOptions} field. */
export const DEFAULT_CLIENT_HEARTBEAT_OPTIONS: Readonly<Required<ClientHeartbeatOptions>> = Object.freeze({
  intervalMs: 10_000,
  timeoutMs: 5000,
});

/** Every option resolved (internal). */
export interface ResolvedClientOptions {
  readonly protocol: ClientProtocol;
  readonly subprotocols: readonly string[];
  readonly backoff: Required<BackoffOptions>;
  readonly connectTimeoutMs: number;
  readonly heartbeat: Required<ClientHeartbeatOptions> | false;
  readonly buffer: Required<ClientBufferOptions>;
  readonly ack: Required<ClientAckOptions>;
  readonly shouldReconnect: (reason: DisconnectReason) => boolean | undefined;
  readonly getToken: (() => string | Promise<string>) | undefined;
  readonly tokenIn: TokenPlacement;
  readonly tokenQueryParam: string;
  readonly perMessageDeflate: boolean;
  readonly clock: Clock;
  readonly random: () => number;
  readonly WebSocket: unknown;
  readonly autoConnect: boolean;
}

function invalid(name: string, expected: string, value: unknown): never {
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_OPTION',
    `ResilientClient: option '${name}' must be ${expected}, got ${String(value)}`,
    { expected, received: value },
  );
}

const POSITIVE: NumberRule = { min: 0, exclusiveMin: true };
const COUNT: NumberRule = { integer: true, min: 1 };
const COUNT_OR_ZERO: NumberRule = { integer: true, min: 0 };

/** Checks an options section: an object of known keys, each numeric one within its rule; fills in the defaults. */
function section<T extends object>(
  name: string,
  value: unknown,
  defaults: Readonly<Required<T>>,
  numbers: Readonly<Partial<Record<keyof T, NumberRule>>>,
): Required<T> {
  if (typeof value !== 'object' || value === null) invalid(name, 'an object', value);
  checkKnownKeys(`ResilientClient.${name}`, value, defaults);
  const out = { ...defaults } as Required<T>;
  for (const [key, v] of Object.entries(value))
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  for (const [key, rule] of Object.entries(numbers) as [keyof T & string, NumberRule][])
    checkNumber(`ResilientClient.${name}.${key}`, out[key], rule);
  return out;
}

/**
 * Checks `ResilientClient` options and fills in the defaults.
 *
 * @param options - what the user passed
 * @returns every option
 * @throws `WS_KIT_ERR_INVALID_OPTION` naming the option
 */
export function resolveClientOptions(options: ResilientClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) invalid('options', 'an object', options);
  checkKnownKeys('ResilientClient', options, DEFAULT_RESILIENT_CLIENT_OPTIONS);
  const o = { ...DEFAULT_RESILIENT_CLIENT_OPTIONS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) if (value !== undefined) o[key] = value;
  const protocol = checkOneOf('ResilientClient.protocol', o.protocol, ['semantest-v1', 'plain']);
  const subprotocols =
    options.subprotocols === undefined
      ? protocol === 'plain'
        ? []
        : ['semantest-v1']
      : options.subprotocols;
  if (!Array.isArray(subprotocols) || subprotocols.some((p) => typeof p !== 'string' || p === '')) {
    invalid('subprotocols', 'an array of non-empty strings', subprotocols);
  }
  if (protocol === 'semantest-v1' && !subprotocols.includes('semantest-v1')) {
    invalid('subprotocols', "a list including 'semantest-v1' (protocol 'semantest-v1')", subprotocols);
  }
  checkNumber('ResilientClient.connectTimeoutMs', o.connectTimeoutMs, POSITIVE);
  const heartbeat =
    o.heartbeat === false
      ? false
      : section<ClientHeartbeatOptions>('heartbeat', o.heartbeat, DEFAULT_CLIENT_HEARTBEAT_OPTIONS, {
          intervalMs: POSITIVE,
          timeoutMs: POSITIVE,
        });
  const buffer = section<ClientBufferOptions>('buffer', o.buffer, DEFAULT_CLIENT_BUFFER_OPTIONS, {
    maxMessages: COUNT,
    maxBytes: COUNT,
  });
  checkOneOf('ResilientClient.buffer.overflow', buffer.overflow, ['reject', 'drop-oldest', 'error']);
  const ack = section<ClientAckOptions>('ack', o.ack, DEFAULT_CLIENT_ACK_OPTIONS, {
    window: COUNT,
    timeoutMs: POSITIVE,
    maxRetries: COUNT_OR_ZERO,
    ackEvery: COUNT,
    ackDelayMs: POSITIVE,
    maxHeld: COUNT_OR_ZERO,
  });
  if (typeof o.shouldReconnect !== 'function') invalid('shouldReconnect', 'a function', o.shouldReconnect);
  if (o.getToken !== undefined && typeof o.getToken !== 'function')
    invalid('getToken', 'a function', o.getToken);
  checkOneOf('ResilientClient.tokenIn', o.tokenIn, ['protocol', 'query', 'header']);
  if (typeof o.tokenQueryParam !== 'string' || o.tokenQueryParam === '')
    invalid('tokenQueryParam', 'a non-empty string', o.tokenQueryParam);
  if (typeof o.perMessageDeflate !== 'boolean')
    invalid('perMessageDeflate', 'a boolean', o.perMessageDeflate);
  const clock = o.clock as Partial<Clock> | null;
  if (
    typeof clock?.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    invalid('clock', 'a Clock (now, setTimeout, clearTimeout)', o.clock);
  }
  if (typeof o.random !== 'function') invalid('random', 'a function returning floats in [0, 1)', o.random);
  if (o.WebSocket !== undefined && typeof o.WebSocket !== 'function')
    invalid('WebSocket', 'a WebSocket class', o.WebSocket);
  if (typeof o.autoConnect !== 'boolean') invalid('autoConnect', 'a boolean', o.autoConnect);
  return {
    protocol,
    subprotocols: [...subprotocols],
    backoff: resolveBackoffOptions(o.backoff as BackoffOptions),
    connectTimeoutMs: o.connectTimeoutMs as number,
    heartbeat,
    buffer,
    ack,
    shouldReconnect: o.shouldReconnect as ResolvedClientOptions['shouldReconnect'],
    getToken: o.getToken as ResolvedClientOptions['getToken'],
    tokenIn: o.tokenIn as TokenPlacement,
    tokenQueryParam: o.tokenQueryParam as string,
    perMessageDeflate: o.perMessageDeflate as boolean,
    clock: o.clock as Clock,
    random: o.random as () => number,
    WebSocket: o.WebSocket,
    autoConnect: o.autoConnect as boolean,
  };
}
