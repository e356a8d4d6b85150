import type { FaultKind, FaultRecord } from './fault-log.js';
import type { DirectionCounters } from './proxy-connection.js';

/** Events of a {@link ChaosProxy}. */
export interface ChaosProxyEvents {
  /** A client connected and was paired with an upstream. */
  connection: (info: { id: number; upstream: number }) => void;
  /** A fault was injected (the same record as in {@link ChaosProxy.faults}). */
  fault: (record: FaultRecord) => void;
}

/** Connection counts in {@link ChaosProxyStats}. */
export interface ProxyConnectionCounts {
  /** Open now. */
  readonly now: number;
  /** Paired with an upstream since the start. */
  readonly total: number;
}

/** What {@link ChaosProxy.stats} reports. */
export interface ChaosProxyStats {
  /** Connections open now, and in total. */
  readonly connections: ProxyConnectionCounts;
  /** Per direction: bytes read and written, WebSocket frames and data messages seen. */
  readonly toServer: Readonly<DirectionCounters>;
  /** Server → client, as `toServer`. */
  readonly toClient: Readonly<DirectionCounters>;
  /** Faults injected, by kind. */
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
}
