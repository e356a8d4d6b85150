/** Helpers of ClientCore around its socket, beside client-socket.ts (internal). */
import type { EventEmitter } from 'eventemitter3';
import { isWsKitError } from '../errors.js';
import { listenerError, rethrow } from './client-errors.js';
import type { ResolvedClientOptions } from './client-options.js';
import { openSocket, type SocketHandlers, type SocketLike, type SocketRequest } from './client-socket.js';
import type { ResilientClientEvents } from './client-types.js';
import type { ErrorReason } from './close-policy.js';

/** Where ClientCore emits its events: the ResilientClient. */
export type Events = Pick<EventEmitter<ResilientClientEvents>, 'emit'>;

// Captured at load: fake timers (Jest fakes queueMicrotask by default) must not hold writes or errors back.
const realQueueMicrotask = globalThis.queueMicrotask.bind(globalThis);

/**
 * Node (`ws`): holds this tick's writes in the TCP socket and flushes them as one `writev` when
 * the tick's synchronous work is done — a burst of sends costs one syscall, not one each.
 *
 * @returns a function to call before each write: it corks the socket's TCP socket once per tick
 */
export function createCork(): (socket: SocketLike) => void {
  let corked = false;
  return (socket) => {
    if (corked) return;
    const tcp = socket._socket;
    if (!tcp || typeof tcp.cork !== 'function') return;
    corked = true;
    tcp.cork();
    realQueueMicrotask(() => {
      corked = false;
      tcp.uncork();
    });
  };
}

/**
 * @param error - what resolving an attempt's URL (`url()`) or token (`getToken()`) threw
 * @returns why the attempt ended: `protocol` (no retry) for a URL that does not parse, which will
 *   never work; `error` for a failing `url()` or `getToken()`, which may recover
 */
export function targetFailure(error: unknown): ErrorReason {
  const kind = isWsKitError(error) && error.code === 'WS_KIT_ERR_INVALID_ARGUMENT' ? 'protocol' : 'error';
  return { kind, error: error as Error };
}

/**
 * Opens one attempt's socket. A URL the WebSocket refuses will never work: then `handlers.ended`
 * gets a `protocol` reason (no retry), at once.
 *
 * @param target - the attempt's URL, subprotocols and headers
 * @param o - the client's options
 * @param handlers - the socket's events
 * @returns the socket, or `undefined` when it could not be opened
 */
export function openAttempt(
  target: Pick<SocketRequest, 'url' | 'protocols' | 'headers'>,
  o: ResolvedClientOptions,
  handlers: SocketHandlers,
): SocketLike | undefined {
  try {
    return openSocket(
      { ...target, perMessageDeflate: o.perMessageDeflate, WebSocket: o.WebSocket },
      handlers,
    );
  } catch (error) {
    handlers.ended({ kind: 'protocol', error: error as Error });
    return undefined;
  }
}

/**
 * Wraps `events.emit` so that a listener that throws cannot break the client: the throw becomes an
 * `error` event (`WS_KIT_ERR_INTERNAL`). When nobody listens to `error`, or an `error` listener throws
 * too, the throw is rethrown from a microtask, so it is never lost.
 *
 * @param events - the emitter
 * @returns its `emit`, guarded
 */
export function guardedEmit(events: Events): Events['emit'] {
  const emit = (event: keyof ResilientClientEvents, ...args: unknown[]): boolean => {
    try {
      return events.emit(event, ...(args as []));
    } catch (thrown) {
      let unreported = thrown;
      if (event !== 'error') {
        try {
          if (events.emit('error', listenerError(`a '${event}' listener`, thrown))) return true;
        } catch (again) {
          unreported = again;
        }
      }
      realQueueMicrotask(() => rethrow(unreported));
      return true;
    }
  };
  return emit as Events['emit'];
}
