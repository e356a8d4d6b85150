import type { MessageData, ReceivedMessage } from '../server/index.js';

/**
 * What a matcher gets as `this` from the test runner: Vitest's and Jest's `MatcherState` both fit.
 * Every field is optional so the matchers also run outside a runner (then `.not` is off and
 * equality falls back to a built-in deep equality that honours asymmetric matchers).
 */
export interface MatcherContext {
  /** Whether the assertion was negated with `.not` (only used to phrase messages). */
  readonly isNot?: boolean;
  /** The runner's deep equality (`this.equals`), which understands asymmetric matchers. */
  readonly equals?: (a: unknown, b: unknown, customTesters?: never[]) => boolean;
  /** The runner's custom equality testers (`expect.addEqualityTesters`), passed on to `equals`. */
  readonly customTesters?: unknown[];
}

/** What every matcher returns: whether it passed, and the message shown when the assertion fails. */
export interface MatcherResult {
  /** Whether the received value satisfied the matcher (before `.not` is applied). */
  readonly pass: boolean;
  /** The failure message: "expected … not to …" when `pass` is true, "expected … to …" otherwise. */
  readonly message: () => string;
}

/**
 * Something that records messages and can wait for one: a `MockServer` (across its connections)
 * or a `MockConnection`.
 */
export interface MessageSource {
  /** Every message received since the last flush, oldest first. */
  readonly messages: readonly ReceivedMessage[];
  /**
   * Resolves with the first message, received so far or later, that satisfies `predicate`.
   *
   * @param predicate - the condition
   * @param options - the timeout
   * @returns the message
   */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    options?: { readonly timeoutMs?: number },
  ): Promise<ReceivedMessage>;
}

/** A `ws` or browser `WebSocket` (anything with a numeric `readyState`, 0..3). */
export interface WebSocketLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  readonly readyState: number;
  /** The URL it connects to (shown in messages when present). */
  readonly url?: string;
  /**
   * Subscribes to an event (`toHaveClosedWith` listens for `close`).
   *
   * @param type - the event name
   * @param listener - the handler
   */
  addEventListener?(type: 'close', listener: (event: { readonly code: number }) => void): void;
  /**
   * Unsubscribes from an event.
   *
   * @param type - the event name
   * @param listener - the handler
   */
  removeEventListener?(type: 'close', listener: (event: { readonly code: number }) => void): void;
}

/** Anything with a data `report()` and a throwing `assert()`, such as the library's validators. */
export interface ValidatorLike {
  /**
   * Summarises what the validator observed.
   *
   * @returns the report
   */
  report(): unknown;
  /** Throws (naming the first violations) when the observations break the validator's rules. */
  assert(): void;
}

/**
 * What `toReceiveMessage` and `toHaveReceivedMessages` compare a message's `data` with: the data
 * itself (a string, bytes or a JSON value), an asymmetric matcher such as `expect.objectContaining`,
 * or a `RegExp` tested against text messages.
 */
export type ExpectedMessage = MessageData | RegExp | object;

/** Options of `toReceiveMessage`. */
export interface ReceiveMessageOptions {
  /** How long to wait for a matching message, ms > 0. Default: the server's `timeoutMs` (2000). */
  readonly timeoutMs?: number;
}

/** Options of `toHaveReceivedMessages`. */
export interface ReceivedMessagesOptions {
  /**
   * `true`: the messages must have arrived in the listed order; `false`: in any order (each listed
   * message matches a different received one). Either way nothing else may have arrived.
   * @default true
   */
  readonly ordered?: boolean;
}

/** Options of `toHaveClosedWith`. */
export interface ClosedWithOptions {
  /**
   * How long to wait for the close, ms > 0. Default: the connection's `timeoutMs` for a
   * `MockConnection`, `DEFAULT_MATCHER_OPTIONS.timeoutMs` for a WebSocket.
   */
  readonly timeoutMs?: number;
}

/** The shape of {@link DEFAULT_MATCHER_OPTIONS}. */
export interface MatcherDefaults {
  /** How long `toHaveClosedWith` waits for a WebSocket's close event, ms (a `MockServer`/`MockConnection` uses its own `timeoutMs`). */
  readonly timeoutMs: number;
  /** Whether `toHaveReceivedMessages` compares in order. */
  readonly ordered: boolean;
}

/** Defaults of the matchers' options, where the subject has none of its own. */
export const DEFAULT_MATCHER_OPTIONS: Readonly<MatcherDefaults> = Object.freeze({
  timeoutMs: 2000,
  ordered: true,
});
