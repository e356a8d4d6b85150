export type {
  Authenticate,
  AuthRejection,
  AuthRequest,
  AuthResult,
  FoundToken,
  JwtAuthenticatorOptions,
  JwtPublicKey,
  TokenSource,
} from './auth/index.js';
export {
  createJwtAuthenticator,
  DEFAULT_JWT_AUTHENTICATOR_OPTIONS,
  findToken,
  isAuthRejection,
  parseProtocolHeader,
  stripTokenProtocol,
} from './auth/index.js';
export type { ConnectionClose, SendOptions, WaitOptions } from './mock-connection.js';
export { MockConnection } from './mock-connection.js';
export { MockServer } from './mock-server.js';
export type {
  HangMode,
  MessageHandler,
  MockServerOptions,
  MockServerRateLimit,
  MockServerTls,
} from './mock-server-options.js';
export { DEFAULT_MOCK_SERVER_OPTIONS } from './mock-server-options.js';
export type { DropClose, DropMode, MockServerEvents, RestartOptions } from './mock-server-types.js';
export type {
  CorruptFrameEvent,
  DiscardedEvent,
  DisplacedEvent,
  DroppedFrame,
  EndpointState,
  OfferResult,
  OverflowEvent,
  OverflowPolicy,
  ProtocolEncoding,
  ProtocolErrorEvent,
  ReplayEntry,
  SendDataOptions,
  ServerProtocolEndpointInit,
  ServerProtocolEvents,
  ServerProtocolOptions,
  ServerProtocolStats,
  SessionEvent,
  SessionEvictedEvent,
  SessionOwner,
  SessionStoreEvents,
  SessionStoreOptions,
} from './protocol/index.js';
export {
  CLOSE_CODES,
  closeCodeFor,
  DEFAULT_SERVER_PROTOCOL_OPTIONS,
  DEFAULT_SESSION_STORE_OPTIONS,
  ProtocolSession,
  ReceiveWindow,
  ReplayBuffer,
  SEMANTEST_V1,
  ServerProtocolEndpoint,
  SessionStore,
  selectSubprotocol,
} from './protocol/index.js';
export { realClock } from './real-clock.js';
export type { MessageData, ReceivedMessage } from './received-message.js';
export type {
  PacedResult,
  PacedRun,
  PaceOptions,
  ProgressEvent,
  ProgressStreamOptions,
  RouteSubject,
  RouteTarget,
  TokenBucketOptions,
} from './routing/index.js';
export {
  checkRouteTarget,
  DEFAULT_PACE_OPTIONS,
  DEFAULT_PROGRESS_STREAM_OPTIONS,
  DEFAULT_TOKEN_BUCKET_OPTIONS,
  matchesTarget,
  pace,
  progressStream,
  TokenBucket,
} from './routing/index.js';
export type { ReplyMatch, ReplyOptions, ReplyResponse } from './scripted-replies.js';
export type { StreamOptions } from './server-routing.js';
export type { ConnectionCounts, InOut, ServerSecondStats, ServerStats } from './server-stats.js';
export type { SubprotocolChoice, SubprotocolChosen, SubprotocolMismatch } from './subprotocol.js';
export { negotiateSubprotocol } from './subprotocol.js';
