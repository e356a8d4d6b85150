export { CLOSE_CODES, closeCodeFor } from './frame-faults.js';
export type {
  CorruptFrameEvent,
  DiscardedEvent,
  DisplacedEvent,
  OverflowEvent,
  ProtocolErrorEvent,
  ServerProtocolEvents,
  ServerProtocolStats,
  SessionEvent,
} from './protocol-events.js';
export type { OverflowPolicy, ProtocolEncoding, ServerProtocolOptions } from './protocol-options.js';
export { DEFAULT_SERVER_PROTOCOL_OPTIONS } from './protocol-options.js';
export type { SessionOwner } from './protocol-session.js';
export { ProtocolSession } from './protocol-session.js';
export type { OfferResult } from './receive-window.js';
export { ReceiveWindow } from './receive-window.js';
export type { DroppedFrame, ReplayEntry } from './replay-buffer.js';
export { ReplayBuffer } from './replay-buffer.js';
export type {
  EndpointState,
  SendDataOptions,
  ServerProtocolEndpointInit,
} from './server-protocol-endpoint.js';
export { ServerProtocolEndpoint } from './server-protocol-endpoint.js';
export type { SessionEvictedEvent, SessionStoreEvents, SessionStoreOptions } from './session-store.js';
export { DEFAULT_SESSION_STORE_OPTIONS, SessionStore } from './session-store.js';
export { SEMANTEST_V1, selectSubprotocol } from './subprotocol.js';
