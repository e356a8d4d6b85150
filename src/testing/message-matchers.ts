import { isWsKitError, OptionsError } from '../errors.js';
import type { ReceivedMessage } from '../server/index.js';
import { dataMatches, equalityOf } from './equality.js';
import { formatExpected, formatReceived, list, messageCount, receivedLine, sourceLabel } from './format.js';
import {
  DEFAULT_MATCHER_OPTIONS,
  type MatcherContext,
  type MatcherResult,
  type MessageSource,
  type ReceivedMessagesOptions,
  type ReceiveMessageOptions,
} from './matcher-types.js';
import { assignMessages } from './matching.js';

function checkSource(name: string, received: unknown): MessageSource {
  const source = received as Partial<MessageSource> | null;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.waitFor !== 'function' ||
    !Array.isArray(source.messages)
  ) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `${name}() expects a MockServer or a MockConnection, got ${received === null ? 'null' : typeof received}`,
      { expected: 'MockServer | MockConnection', received },
    );
  }
  return source as MessageSource;
}

function within(error: Error, options: ReceiveMessageOptions): string {
  const ms = options.timeoutMs ?? /timed out after (\d+(?:\.\d+)?) ms/.exec(error.message)?.[1];
  return ms === undefined ? '' : ` within ${ms} ms`;
}

/**
 * `await expect(serverOrConnection).toReceiveMessage(expected, { timeoutMs })`: passes as soon as a
 * message whose `data` matches `expected` has arrived (already, or within the timeout). Matching
 * uses the runner's `equals`, so asymmetric matchers work; a `RegExp` tests text messages; a
 * non-string expectation also matches a text message holding it as JSON.
 *
 * Failure: `expected server to receive a message matching {"type":"hello"} within 50 ms` and, on the
 * next line, what arrived instead (`received 2 messages: c1:"a", c1:"b"`). With `.not`: `expected
 * server not to receive a message matching "a", but it received c1:"a"`.
 *
 * @param this - the runner's matcher state
 * @param received - a `MockServer` or `MockConnection`
 * @param expected - the data, an asymmetric matcher, or a RegExp
 * @param options - the timeout
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for another subject or a bad `timeoutMs`
 */
export async function toReceiveMessage(
  this: MatcherContext | undefined,
  received: unknown,
  expected: unknown,
  options: ReceiveMessageOptions = {},
): Promise<MatcherResult> {
  const source = checkSource('toReceiveMessage', received);
  const label = sourceLabel(source);
  const equals = equalityOf(this);
  const wanted = `a message matching ${formatExpected(expected)}`;
  const waitOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  let match: ReceivedMessage;
  try {
    match = await source.waitFor((m) => dataMatches(equals, m.data, expected), waitOptions);
  } catch (error) {
    if (!isWsKitError(error)) throw error;
    if (error.code === 'WS_KIT_ERR_INVALID_ARGUMENT') throw error;
    const messages = Array.isArray(error.received) ? (error.received as ReceivedMessage[]) : source.messages;
    const why =
      error.code === 'WS_KIT_ERR_TIMEOUT'
        ? `expected ${label} to receive ${wanted}${within(error, options)}`
        : `expected ${label} to receive ${wanted}, but ${error.message}`;
    return { pass: false, message: () => `${why}\n${receivedLine(messages)}` };
  }
  return {
    pass: true,
    message: () => `expected ${label} not to receive ${wanted}, but it received ${formatReceived(match)}`,
  };
}

/**
 * `expect(serverOrConnection).toHaveReceivedMessages(list, { ordered })`: passes when the messages
 * received so far (since the last flush) are exactly `list` — in that order by default, in any
 * order with `{ ordered: false }`. An empty list means "received nothing". Each entry matches as in
 * {@link toReceiveMessage}.
 *
 * Failure: `expected server to have received 2 messages in order: "a", "b"`, then what arrived
 * (`received 2 messages: c1:"b", c1:"a"`), then the first difference (`first difference at index 0:
 * expected "a", received c1:"b"`) or, unordered, the entries left unmatched on either side.
 *
 * @param this - the runner's matcher state
 * @param received - a `MockServer` or `MockConnection`
 * @param expected - the expected data, one entry per message
 * @param options - whether the order matters
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for another subject, a non-array list or a non-boolean `ordered`
 */
export function toHaveReceivedMessages(
  this: MatcherContext | undefined,
  received: unknown,
  expected: readonly unknown[],
  options: ReceivedMessagesOptions = {},
): MatcherResult {
  const source = checkSource('toHaveReceivedMessages', received);
  if (!Array.isArray(expected)) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `toHaveReceivedMessages() expects an array of messages, got ${typeof expected}`,
      { expected: 'array', received: expected },
    );
  }
  const ordered = options.ordered ?? DEFAULT_MATCHER_OPTIONS.ordered;
  if (typeof ordered !== 'boolean') {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `toHaveReceivedMessages() option ordered must be a boolean, got ${typeof ordered}`,
      { expected: 'boolean', received: ordered },
    );
  }
  const label = sourceLabel(source);
  const equals = equalityOf(this);
  const messages = [...source.messages];
  const matches = (m: ReceivedMessage, e: unknown): boolean => dataMatches(equals, m.data, e);
  const wanted =
    expected.length === 0
      ? 'no messages'
      : `${messageCount(expected.length)} ${ordered ? 'in order' : 'in any order'}: ${list(expected.map(formatExpected))}`;

  let detail: string | undefined;
  if (ordered) {
    const length = Math.max(messages.length, expected.length);
    for (let i = 0; i < length && detail === undefined; i++) {
      const m = messages[i];
      const e = i < expected.length ? formatExpected(expected[i]) : 'no more messages';
      if (m === undefined) detail = `first difference at index ${i}: expected ${e}, received nothing more`;
      else if (i >= expected.length || !matches(m, expected[i]))
        detail = `first difference at index ${i}: expected ${e}, received ${formatReceived(m)}`;
    }
  } else {
    const { unmatchedExpected, unmatchedReceived } = assignMessages(messages, expected, matches);
    if (unmatchedExpected.length > 0 || unmatchedReceived.length > 0) {
      const lines: string[] = [];
      if (unmatchedExpected.length > 0)
        lines.push(`not received: ${list(unmatchedExpected.map((i) => formatExpected(expected[i])))}`);
      if (unmatchedReceived.length > 0)
        lines.push(`not expected: ${list(unmatchedReceived.map((i) => formatReceived(messages[i]!)))}`);
      detail = lines.join('\n');
    }
  }
  if (detail !== undefined) {
    return {
      pass: false,
      message: () => `expected ${label} to have received ${wanted}\n${receivedLine(messages)}\n${detail}`,
    };
  }
  return {
    pass: true,
    message: () => `expected ${label} not to have received ${wanted}, but it did`,
  };
}
