export { ChaosProxy } from './chaos-proxy.js';
export type { ChaosProxyEvents, ChaosProxyStats, ProxyConnectionCounts } from './chaos-proxy-types.js';
export type { Direction, FaultKind, FaultRecord } from './fault-log.js';
export type {
  LinkConditions,
  NetworkProfile,
  NetworkProfileName,
  ResolvedLinkConditions,
} from './link-conditions.js';
export { DEFAULT_LINK_CONDITIONS, NETWORK_PROFILES } from './link-conditions.js';
export type { Chance, MessageFaults, MessageInfo, ResolvedMessageFaults } from './message-faults.js';
export { DEFAULT_MESSAGE_FAULTS } from './message-faults.js';
export type { DirectionCounters } from './proxy-connection.js';
export type { ChaosProxyOptions, ChaosSettings, DirectionFaults } from './proxy-options.js';
export { DEFAULT_CHAOS_PROXY_OPTIONS } from './proxy-options.js';
export type {
  BlipSchedule,
  ChaosSchedule,
  IntermittentSchedule,
  OutageSchedule,
  ScheduleHandle,
} from './schedules.js';
export type { BalanceMode, HealthCheckOptions, UpstreamHandle, UpstreamState } from './upstream-pool.js';
export type {
  FrameHeader,
  ScanControl,
  ScanCounts,
  ScanHandshake,
  ScanMessage,
  ScanRaw,
  ScanUnit,
  WsFrameScannerOptions,
} from './ws-frame-scanner.js';
export {
  DEFAULT_WS_FRAME_SCANNER_OPTIONS,
  flipPayloadBit,
  readFrameHeader,
  WsFrameScanner,
} from './ws-frame-scanner.js';
