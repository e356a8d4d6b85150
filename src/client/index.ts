export type { BackoffOptions, JitterMode } from './backoff.js';
export { Backoff, DEFAULT_BACKOFF_OPTIONS } from './backoff.js';
export type {
  ClientAckOptions,
  ClientBufferOptions,
  ClientHeartbeatOptions,
  ClientOverflowPolicy,
  ClientProtocol,
  ResilientClientOptions,
  TokenPlacement,
} from './client-options.js';
export {
  DEFAULT_CLIENT_ACK_OPTIONS,
  DEFAULT_CLIENT_BUFFER_OPTIONS,
  DEFAULT_CLIENT_HEARTBEAT_OPTIONS,
  DEFAULT_RESILIENT_CLIENT_OPTIONS,
} from './client-options.js';
export type {
  AckEvent,
  ClientData,
  ClientMessage,
  ClientOverflowEvent,
  ClientSendOptions,
  ClientState,
  ClientStateChange,
  ClientStats,
  ReconnectedEvent,
  ReconnectingEvent,
  ResilientClientEvents,
} from './client-types.js';
export type {
  CloseReason,
  DisconnectReason,
  ErrorReason,
  TimeoutReason,
  UpgradeReason,
} from './close-policy.js';
export { defaultShouldReconnect, describeReason, RECONNECT_CLOSE_CODES } from './close-policy.js';
export type { ClientUrl } from './resilient-client.js';
export { ResilientClient } from './resilient-client.js';
