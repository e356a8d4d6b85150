/**
 * Why a `ResilientClient` connection ended or failed, as its `close` / `reconnecting` events and
 * the `shouldReconnect` option see it.
 */
export type DisconnectReason = CloseReason | UpgradeReason | ErrorReason | TimeoutReason;

/**
 * A timeout: `'connect-timeout'` (the attempt took longer than `connectTimeoutMs`),
 * `'heartbeat-timeout'` (a ping went unanswered for `heartbeat.timeoutMs`: a half-open connection)
 * or `'ack-timeout'` (sent frames went unacked through `ack.maxRetries` resends).
 */
export interface TimeoutReason {
  /** Which timeout. */
  readonly kind: 'connect-timeout' | 'heartbeat-timeout' | 'ack-timeout';
}

/** The peer (or the network: 1006) closed the WebSocket, or (`'user'`) the user called `close()`. */
export interface CloseReason {
  /** `'close'`: the peer or network; `'user'`: `client.close()`. */
  readonly kind: 'close' | 'user';
  /** The close code. */
  readonly code: number;
  /** The close reason. */
  readonly reason: string;
}

/** The upgrade was answered with an HTTP status (401, 403, 503 …); only known in Node. */
export interface UpgradeReason {
  /** Always `'upgrade'`. */
  readonly kind: 'upgrade';
  /** The HTTP status. */
  readonly status: number;
}

/** `'error'`: the connection could not be made (refused, reset …); `'protocol'`: the peer broke `semantest-v1` or picked another subprotocol. */
export interface ErrorReason {
  /** `'error'` (retried by default) or `'protocol'` (not retried). */
  readonly kind: 'error' | 'protocol';
  /** What went wrong. */
  readonly error: Error;
}

/** Close codes after which the default policy reconnects: going away, abnormal, internal error, service restart, try again later. */
export const RECONNECT_CLOSE_CODES: readonly number[] = Object.freeze([1001, 1006, 1011, 1012, 1013]);

/**
 * The default reconnect policy:
 * - reconnect after close codes 1001, 1006, 1011, 1012, 1013, network errors, connect and
 *   heartbeat timeouts, ack timeouts, and upgrades answered 408, 429 or 5xx;
 * - stay closed after the user's own `close()`, 1000, 1008 (policy violation), other 1xxx codes,
 *   4000–4999 (application codes: opt in through `shouldReconnect`), an upgrade answered with
 *   another 4xx (401 and 403: authentication), and protocol errors.
 *
 * @param reason - why the connection ended
 * @returns whether to reconnect
 */
export function defaultShouldReconnect(reason: DisconnectReason): boolean {
  switch (reason.kind) {
    case 'close':
      return RECONNECT_CLOSE_CODES.includes(reason.code);
    case 'upgrade':
      return reason.status === 408 || reason.status === 429 || reason.status >= 500;
    case 'error':
    case 'connect-timeout':
    case 'heartbeat-timeout':
    case 'ack-timeout':
      return true;
    default:
      return false;
  }
}

/**
 * Renders a reason for messages and logs: `close 1006`, `upgrade 401`, `heartbeat-timeout`.
 *
 * @param reason - the reason
 * @returns a short description
 */
export function describeReason(reason: DisconnectReason): string {
  switch (reason.kind) {
    case 'close':
    case 'user':
      return `${reason.kind} ${reason.code}${reason.reason ? ` (${reason.reason})` : ''}`;
    case 'upgrade':
      return `upgrade ${reason.status}`;
    case 'error':
    case 'protocol':
      return `${reason.kind}: ${reason.error.message}`;
    default:
      return reason.kind;
  }
}
