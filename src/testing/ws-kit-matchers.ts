import { toBeClosed, toBeOpen, toHaveClosedWith } from './connection-matchers.js';
import type { ClosedWithOptions, ReceivedMessagesOptions, ReceiveMessageOptions } from './matcher-types.js';
import { toHaveReceivedMessages, toReceiveMessage } from './message-matchers.js';
import { toPass } from './validator-matchers.js';

/**
 * The matchers as the runners see them after `expect.extend(wsKitMatchers)`; `R` is what a
 * synchronous matcher returns (`void` in Vitest, Jest's `R`). The async ones must be awaited.
 *
 * @typeParam R - the runner's matcher return type
 */
export interface WsKitMatchers<R = void> {
  /**
   * Waits until a `MockServer` or `MockConnection` has received a message whose data matches
   * `expected` (the runner's equality: asymmetric matchers work; a RegExp tests text; an object
   * also matches JSON text). Await it.
   *
   * @param expected - the data, an asymmetric matcher, or a RegExp
   * @param options - `timeoutMs` (default: the server's)
   */
  toReceiveMessage(expected: unknown, options?: ReceiveMessageOptions): Promise<R>;
  /**
   * Checks that a `MockServer` or `MockConnection` has received exactly these messages since the
   * last flush: in order, or in any order with `{ ordered: false }`; `[]` means nothing.
   *
   * @param expected - one entry per message
   * @param options - `ordered` (default `true`)
   */
  toHaveReceivedMessages(expected: readonly unknown[], options?: ReceivedMessagesOptions): R;
  /** Checks that a validator's `assert()` does not throw; the failure message is its error's. */
  toPass(): R;
  /** Checks that a `MockConnection` is open, or a WebSocket's `readyState` is OPEN. */
  toBeOpen(): R;
  /** Checks that a `MockConnection` has closed, or a WebSocket's `readyState` is CLOSED. */
  toBeClosed(): R;
  /**
   * Waits until a `MockConnection` or WebSocket closes (at once if a `MockConnection` already has)
   * and checks its close code. Await it.
   *
   * @param code - the expected close code
   * @param options - `timeoutMs`
   */
  toHaveClosedWith(code: number, options?: ClosedWithOptions): Promise<R>;
}

/**
 * Every matcher, runner-agnostic: each returns `{ pass, message }` (or a promise of it). Register
 * them with `expect.extend(wsKitMatchers)` — `@semantest/ws-kit/vitest` and `@semantest/ws-kit/jest`
 * do that on import.
 */
export const wsKitMatchers: Readonly<{
  /** See {@link WsKitMatchers.toReceiveMessage}. */
  toReceiveMessage: typeof toReceiveMessage;
  /** See {@link WsKitMatchers.toHaveReceivedMessages}. */
  toHaveReceivedMessages: typeof toHaveReceivedMessages;
  /** See {@link WsKitMatchers.toPass}. */
  toPass: typeof toPass;
  /** See {@link WsKitMatchers.toBeOpen}. */
  toBeOpen: typeof toBeOpen;
  /** See {@link WsKitMatchers.toBeClosed}. */
  toBeClosed: typeof toBeClosed;
  /** See {@link WsKitMatchers.toHaveClosedWith}. */
  toHaveClosedWith: typeof toHaveClosedWith;
}> = Object.freeze({
  toReceiveMessage,
  toHaveReceivedMessages,
  toPass,
  toBeOpen,
  toBeClosed,
  toHaveClosedWith,
});
