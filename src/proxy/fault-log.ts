/** A direction through the proxy: client → server, or server → client. */
export type Direction = 'toServer' | 'toClient';

/** Every kind of fault the proxy injects and logs. */
export type FaultKind =
  | 'drop'
  | 'duplicate'
  | 'corrupt'
  | 'delay'
  | 'reorder'
  | 'loss'
  | 'blackout'
  | 'restore'
  | 'timeout'
  | 'reset'
  | 'limit'
  | 'slow-close'
  | 'refused';

/**
 * One injected fault: the proxy's ground truth, to compare with what validators and checksums saw.
 * Message faults name the data message by its index on that connection and direction (0 = the
 * first data message after the handshake; control frames are not counted).
 */
export interface FaultRecord {
  /** Position in the log, from 0. */
  readonly n: number;
  /** Milliseconds since the proxy started. */
  readonly atMs: number;
  /** What was done. */
  readonly kind: FaultKind;
  /** The proxy connection's id (from 1); 0 for proxy-wide events. */
  readonly connection: number;
  /** The direction, for faults on one direction. */
  readonly direction?: Direction;
  /** The data message's index on `connection` and `direction`, for message faults. */
  readonly message?: number;
  /** Fault parameters: `bit` and `frame` (corrupt), `ms` (delay, loss, timeout, blackout), `after` (delay, reorder: later messages that passed it), `held` (a drop of a message a delay or reorder held when its connection was destroyed), `bytes`, `upstream` (a reset by `upstream(i).down()`). */
  readonly detail?: Readonly<Record<string, number | string>>;
}

/** Appends to the proxy's fault log (internal). */
export type LogFault = (record: Omit<FaultRecord, 'n' | 'atMs'>) => void;
