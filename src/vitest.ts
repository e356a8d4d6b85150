/**
 * `@semantest/ws-kit/vitest`: importing it registers the ws-kit matchers with Vitest's `expect`
 * and adds their types to Vitest's `Assertion`. Use it as a setup file
 * (`test: { setupFiles: ['@semantest/ws-kit/vitest'] }`) or import it in a test file. Node-only.
 *
 * @example
 * ```ts
 * import '@semantest/ws-kit/vitest';
 *
 * await expect(server).toReceiveMessage({ type: 'hello' });
 * expect(server).toHaveReceivedMessages(['a', 'b']);
 * expect(validator).toPass();
 * ```
 * @module
 */
import { expect } from 'vitest';
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

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: merging requires Vitest's exact type parameters
  interface Matchers<T = any> extends WsKitMatchers<void> {}
}

expect.extend(wsKitMatchers);
