export { toBeClosed, toBeOpen, toHaveClosedWith } from './connection-matchers.js';
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
} from './matcher-types.js';
export { DEFAULT_MATCHER_OPTIONS } from './matcher-types.js';
export { toHaveReceivedMessages, toReceiveMessage } from './message-matchers.js';
export { toPass } from './validator-matchers.js';
export type { WsKitMatchers } from './ws-kit-matchers.js';
export { wsKitMatchers } from './ws-kit-matchers.js';
