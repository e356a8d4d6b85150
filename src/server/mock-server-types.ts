import type { ConnectionClose, MockConnection } from './mock-connection.js';
import type { ReceivedMessage } from './received-message.js';

/** The events of a `MockServer` (subscribe with `server.on(name, listener)`). */
export interface MockServerEvents {
  /** A connection opened. */
  connection: (connection: MockConnection) => void;
  /** A message arrived (after it was recorded). */
  message: (message: ReceivedMessage, connection: MockConnection) => void;
  /** A connection closed. */
  close: (connection: MockConnection, close: ConnectionClose) => void;
  /** An upgrade was refused with an HTTP status. */
  refused: (status: number, reason: string) => void;
  /** A connection, handler or protocol error (the server keeps serving). */
  error: (error: Error, connection: MockConnection | undefined) => void;
}

/** Options of `restart()`. */
export interface RestartOptions {
  /**
   * `'graceful'`: close frames 1012 (service restart) to everyone, drain, listen again;
   * `'immediate'`: destroy every socket without a close frame, listen again. Same port either way.
   * @default 'graceful'
   */
  readonly mode?: 'graceful' | 'immediate';
}

/** How `drop()` ends a connection: a close frame with a code, or `'abrupt'` (socket destroyed, no close frame). */
export type DropMode = 'abrupt' | DropClose;

/** The close frame `drop()` sends. */
export interface DropClose {
  /** The close code (1000, 1001, 1008, 1011, 1012, 3000–4999…; not 1005/1006). @default 1000 */
  readonly code?: number;
  /** The close reason, at most 123 UTF-8 bytes. @default '' */
  readonly reason?: string;
}
