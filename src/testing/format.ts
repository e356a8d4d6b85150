import type { ReceivedMessage } from '../server/index.js';

const MAX_LISTED = 10;
const MAX_TEXT = 60;

function hex(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `<${bytes.byteLength} bytes${bytes.byteLength === 0 ? '' : `: ${shown}`}${bytes.byteLength > 16 ? ' …' : ''}>`;
}

function isAsymmetric(value: object): value is { asymmetricMatch(other: unknown): boolean } {
  return typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
}

/**
 * Renders an expected value for a failure message: JSON-like, with bytes as hex and asymmetric
 * matchers by name (`ObjectContaining {"type":"hello"}`, `Any<String>`).
 *
 * @param value - what a matcher was asked for
 * @returns a one-line description
 */
export function formatExpected(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Uint8Array) return hex(value);
  if (value instanceof RegExp) return String(value);
  if (isAsymmetric(value)) {
    const matcher = value as { toAsymmetricMatcher?: () => string; sample?: unknown };
    if (typeof matcher.toAsymmetricMatcher === 'function') return matcher.toAsymmetricMatcher();
    const name = String(value);
    return 'sample' in matcher ? `${name} ${formatExpected(matcher.sample)}` : name;
  }
  if (Array.isArray(value)) return `[${value.map(formatExpected).join(',')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${formatExpected(v)}`);
  return `{${entries.join(',')}}`;
}

/**
 * Renders a received message: `c1:"hello"`, `c2:<3 bytes: 01 02 03>`, `c1#news/4:{"a":1}`.
 *
 * @param message - the message
 * @returns a one-line description
 */
export function formatReceived(message: ReceivedMessage): string {
  const { data } = message;
  let shown: string;
  if (typeof data === 'string')
    shown = JSON.stringify(data.length > MAX_TEXT ? `${data.slice(0, MAX_TEXT - 3)}...` : data);
  else if (data instanceof Uint8Array) shown = hex(data);
  else shown = formatExpected(data);
  const where = message.channel === '' ? '' : `#${message.channel}/${message.seq}`;
  return `${message.connectionId}${where}:${shown}`;
}

/**
 * `1 message`, `2 messages`, `no messages`.
 *
 * @param count - how many
 * @returns the count with its noun
 */
export function messageCount(count: number): string {
  if (count === 0) return 'no messages';
  return `${count} message${count === 1 ? '' : 's'}`;
}

/**
 * Lists values for a failure message, the first ten and how many more.
 *
 * @param items - the rendered items
 * @returns `a, b, c` or `a, …, j … and 5 more`
 */
export function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown} … and ${items.length - MAX_LISTED} more` : shown;
}

/**
 * `received 2 messages: c1:"a", c1:"b"` or `received no messages`.
 *
 * @param messages - what arrived
 * @returns the line
 */
export function receivedLine(messages: readonly ReceivedMessage[]): string {
  if (messages.length === 0) return 'received no messages';
  return `received ${messageCount(messages.length)}: ${list(messages.map(formatReceived))}`;
}

/**
 * How a message names its subject: `connection c1` for a `MockConnection`, `server` otherwise.
 *
 * @param subject - a `MockServer` or `MockConnection`
 * @returns the label
 */
export function sourceLabel(subject: object): string {
  const id = (subject as { id?: unknown }).id;
  return typeof id === 'string' && 'isOpen' in subject ? `connection ${id}` : 'server';
}
