import type { JsonValue } from '../framing/index.js';

/**
 * What a {@link ReceivedMessage} carries: a `string` for a text message, a `Uint8Array` for a
 * binary one; on a `semantest-v1` connection, the decoded payload of the data frame (a string, bytes
 * or a JSON value).
 */
export type MessageData = string | Uint8Array | JsonValue;

/** One message a `MockServer` received, as listed in `server.messages` and returned by waits. */
export interface ReceivedMessage {
  /** The id of the connection it arrived on (`MockConnection.id`). */
  readonly connectionId: string;
  /** The message: text as a string, binary as bytes, or the decoded `semantest-v1` payload. */
  readonly data: MessageData;
  /** Whether it arrived as a binary WebSocket message. */
  readonly binary: boolean;
  /** The `semantest-v1` channel of the data frame; `''` on plain connections. */
  readonly channel: string;
  /** The `semantest-v1` sequence number of the data frame; `0` (not sequenced) on plain connections. */
  readonly seq: number;
  /** When it arrived, on the server's clock (milliseconds). */
  readonly receivedAt: number;
  /** Its size in bytes: the WebSocket message, or the data frame's payload on `semantest-v1` connections. */
  readonly bytes: number;
}

/**
 * Renders a message for timeout errors: `c1:"hello"`, `c2:<12 bytes>`.
 *
 * @param message - the message
 * @returns a short one-line description
 */
export function describeMessage(message: ReceivedMessage): string {
  const { data } = message;
  let shown: string;
  if (typeof data === 'string') shown = JSON.stringify(data.length > 40 ? `${data.slice(0, 37)}...` : data);
  else if (data instanceof Uint8Array) shown = `<${data.byteLength} bytes>`;
  else {
    const json = JSON.stringify(data);
    shown = json.length > 40 ? `${json.slice(0, 37)}...` : json;
  }
  const where = message.channel === '' ? '' : `#${message.channel}/${message.seq}`;
  return `${message.connectionId}${where}:${shown}`;
}
