import { isWsKitError, OptionsError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import type { ConnectionClose } from '../server/index.js';
import { realClock } from '../server/index.js';
import {
  type ClosedWithOptions,
  DEFAULT_MATCHER_OPTIONS,
  type MatcherContext,
  type MatcherResult,
  type WebSocketLike,
} from './matcher-types.js';

const READY_STATES = ['connecting', 'open', 'closing', 'closed'] as const;

interface ConnectionLike {
  readonly id: string;
  readonly isOpen: boolean;
  closed(options?: { readonly timeoutMs?: number }): Promise<ConnectionClose>;
}

type Subject =
  | { readonly kind: 'connection'; readonly label: string; readonly connection: ConnectionLike }
  | { readonly kind: 'websocket'; readonly label: string; readonly socket: WebSocketLike };

function subjectOf(name: string, received: unknown): Subject {
  const value = received as Partial<ConnectionLike & WebSocketLike> | null;
  if (typeof value === 'object' && value !== null) {
    if (
      typeof value.isOpen === 'boolean' &&
      typeof value.id === 'string' &&
      typeof value.closed === 'function'
    )
      return { kind: 'connection', label: `connection ${value.id}`, connection: value as ConnectionLike };
    if (typeof value.readyState === 'number') {
      const url = typeof value.url === 'string' && value.url !== '' ? ` ${value.url}` : '';
      return { kind: 'websocket', label: `WebSocket${url}`, socket: value as WebSocketLike };
    }
  }
  throw new OptionsError(
    'WS_KIT_ERR_INVALID_ARGUMENT',
    `${name}() expects a MockConnection or a WebSocket (with readyState), got ${received === null ? 'null' : typeof received}`,
    { expected: 'MockConnection | WebSocket', received },
  );
}

function stateOf(subject: Subject): string {
  if (subject.kind === 'connection') return subject.connection.isOpen ? 'open' : 'closed';
  return READY_STATES[subject.socket.readyState] ?? `in readyState ${subject.socket.readyState}`;
}

function stateMatcher(name: string, wanted: 'open' | 'closed', received: unknown): MatcherResult {
  const subject = subjectOf(name, received);
  const state = stateOf(subject);
  const pass = state === wanted;
  return {
    pass,
    message: () =>
      pass
        ? `expected ${subject.label} not to be ${wanted}, but it is ${state}`
        : `expected ${subject.label} to be ${wanted}, but it is ${state}`,
  };
}

/**
 * `expect(connectionOrSocket).toBeOpen()`: a `MockConnection` whose `isOpen` is true, or a
 * WebSocket whose `readyState` is 1 (OPEN).
 *
 * Failure: `expected connection c1 to be open, but it is closed`; `expected WebSocket
 * ws://127.0.0.1:5/ to be open, but it is connecting`. With `.not`: `… not to be open, but it is open`.
 *
 * @param this - the runner's matcher state
 * @param received - a `MockConnection`, `ws` WebSocket or browser WebSocket
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for anything else
 */
export function toBeOpen(this: MatcherContext | undefined, received: unknown): MatcherResult {
  return stateMatcher('toBeOpen', 'open', received);
}

/**
 * `expect(connectionOrSocket).toBeClosed()`: a `MockConnection` that has closed, or a WebSocket
 * whose `readyState` is 3 (CLOSED; CLOSING is not closed yet). It checks the state now; to wait
 * for a close, `await connection.closed()` first or use {@link toHaveClosedWith}.
 *
 * Failure: `expected connection c1 to be closed, but it is open`. With `.not`: `expected
 * connection c1 not to be closed, but it is closed`.
 *
 * @param this - the runner's matcher state
 * @param received - a `MockConnection`, `ws` WebSocket or browser WebSocket
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for anything else
 */
export function toBeClosed(this: MatcherContext | undefined, received: unknown): MatcherResult {
  return stateMatcher('toBeClosed', 'closed', received);
}

function socketClose(
  socket: WebSocketLike,
  label: string,
  timeoutMs: number,
): Promise<ConnectionClose | undefined> {
  if (socket.readyState === 3) {
    return Promise.reject(
      new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `toHaveClosedWith(): ${label} had already closed, and a WebSocket does not keep its close code; ` +
          'call the matcher before it closes (it waits for the close event)',
      ),
    );
  }
  if (typeof socket.addEventListener !== 'function') {
    return Promise.reject(
      new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `toHaveClosedWith(): ${label} has no addEventListener()`,
      ),
    );
  }
  return new Promise((resolve) => {
    const listener = (event: { readonly code: number; readonly reason?: string }): void => {
      realClock.clearTimeout(timer);
      resolve({ code: event.code, reason: typeof event.reason === 'string' ? event.reason : '' });
    };
    const timer = realClock.setTimeout(() => {
      socket.removeEventListener?.('close', listener);
      resolve(undefined);
    }, timeoutMs);
    socket.addEventListener?.('close', listener);
  });
}

/**
 * `await expect(connectionOrSocket).toHaveClosedWith(code, { timeoutMs })`: waits until the
 * connection has closed (at once if it already has) and passes when its close code is `code`. For
 * a `MockConnection` the code is the one `connection.closed()` reports (1006 after an abrupt end);
 * for a WebSocket, the code of its next `close` event — a WebSocket that has already closed cannot
 * be asked, so the matcher must be called before it closes.
 *
 * Failure: `expected connection c1 to close with code 4001, but it closed with code 1000 ("bye")`;
 * `expected connection c1 to close with code 4001 within 50 ms, but it is still open`. With `.not`:
 * `expected connection c1 not to close with code 4001, but it did ("kicked")`.
 *
 * @param this - the runner's matcher state
 * @param received - a `MockConnection`, `ws` WebSocket or browser WebSocket
 * @param code - the expected close code
 * @param options - the timeout
 * @returns the matcher result
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for another subject, a non-integer code, a bad `timeoutMs`,
 *   or a WebSocket that had already closed
 */
export async function toHaveClosedWith(
  this: MatcherContext | undefined,
  received: unknown,
  code: number,
  options: ClosedWithOptions = {},
): Promise<MatcherResult> {
  const subject = subjectOf('toHaveClosedWith', received);
  checkNumber('toHaveClosedWith code', code, { integer: true, min: 0 }, 'argument');
  if (options.timeoutMs !== undefined)
    checkNumber('timeoutMs', options.timeoutMs, { min: 0, exclusiveMin: true }, 'argument');
  let close: ConnectionClose | undefined;
  let waited = options.timeoutMs;
  if (subject.kind === 'connection') {
    try {
      close = await subject.connection.closed(
        options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      );
    } catch (error) {
      if (!isWsKitError(error) || error.code !== 'WS_KIT_ERR_TIMEOUT') throw error;
      waited ??= Number(/timed out after (\d+(?:\.\d+)?) ms/.exec(error.message)?.[1]);
    }
  } else {
    waited ??= DEFAULT_MATCHER_OPTIONS.timeoutMs;
    close = await socketClose(subject.socket, subject.label, waited);
  }
  const wanted = `close with code ${code}`;
  if (close === undefined) {
    const within = waited === undefined || Number.isNaN(waited) ? '' : ` within ${waited} ms`;
    const state = stateOf(subject);
    return {
      pass: false,
      message: () => `expected ${subject.label} to ${wanted}${within}, but it is still ${state}`,
    };
  }
  const reason = close.reason === '' ? '' : ` (${JSON.stringify(close.reason)})`;
  const pass = close.code === code;
  return {
    pass,
    message: () =>
      pass
        ? `expected ${subject.label} not to ${wanted}, but it did${reason}`
        : `expected ${subject.label} to ${wanted}, but it closed with code ${close.code}${reason}`,
  };
}
