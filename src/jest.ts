/**
 * `@semantest/ws-kit/jest`: importing it registers the ws-kit matchers with Jest's global `expect`
 * (at import time, so list it in `setupFilesAfterEnv`) and adds their types to `jest.Matchers`
 * (`@types/jest`) and to the `expect` package's `Matchers` (`@jest/globals`). It imports nothing
 * from Jest. With `injectGlobals: false` there is no global `expect` and importing it only
 * provides `wsKitMatchers`: call `expect.extend(wsKitMatchers)` with the `expect` from
 * `@jest/globals` yourself. Node-only.
 *
 * @example
 * ```js
 * // jest.config.js: setupFilesAfterEnv: ['@semantest/ws-kit/jest']
 * await expect(server).toReceiveMessage({ type: 'hello' });
 * expect(connection).toBeOpen();
 * ```
 * @module
 */
// Brings the `expect` package's types into the program so that they can be augmented below (types only).
import type {} from 'expect';
import { type WsKitMatchers, wsKitMatchers } from './testing/index.js';

export type {
  ClosedWithOptions,
  ExpectedMessage,
  MatcherContext,
  MatcherDefaults,
  MatcherResult,
  MessageSource,
  ReceivedMessagesOptions,
  ReceiveMessageOptions,
  ValidatorLike,
  WebSocketLike,
  WsKitMatchers,
} from './testing/index.js';
export {
  DEFAULT_MATCHER_OPTIONS,
  toBeClosed,
  toBeOpen,
  toHaveClosedWith,
  toHaveReceivedMessages,
  toPass,
  toReceiveMessage,
  wsKitMatchers,
} from './testing/index.js';

declare global {
  namespace jest {
    // biome-ignore lint/complexity/noBannedTypes: merging requires @types/jest's exact type parameters
    interface Matchers<R, T = {}> extends WsKitMatchers<R> {}
  }
}

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends WsKitMatchers<R> {}
}

const globalExpect = (globalThis as { expect?: { extend?: (matchers: object) => void } }).expect;
if (typeof globalExpect?.extend === 'function') globalExpect.extend(wsKitMatchers);
