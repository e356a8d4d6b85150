import { WsKitError } from '../errors.js';
import { type DisconnectReason, describeReason } from './close-policy.js';

/** The subprotocol of ResilientClient's acked mode. */
export const SEMANTEST_V1 = 'semantest-v1';

/**
 * @param reason - why the client closed, if it has
 * @returns the error of a call on a closed client (`WS_KIT_ERR_CONNECTION_CLOSED`)
 */
export function closedError(reason: DisconnectReason | undefined): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_CONNECTION_CLOSED',
    `ResilientClient is closed${reason ? ` (${describeReason(reason)})` : ''}`,
    { received: reason },
  );
}

/**
 * @param reason - why the client closed
 * @param n - how many messages were not acked
 * @returns the error those messages are rejected with (`WS_KIT_ERR_CONNECTION_CLOSED`)
 */
export function unackedError(reason: DisconnectReason, n: number): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_CONNECTION_CLOSED',
    `ResilientClient closed (${describeReason(reason)}) with ${n} messages not acked`,
    { received: n },
  );
}

/**
 * @param attempts - the reconnect attempts made
 * @param reason - why the last one ended
 * @returns the error emitted when backoff's `maxAttempts` ran out (`WS_KIT_ERR_CONNECTION_CLOSED`)
 */
export function gaveUpError(attempts: number, reason: DisconnectReason): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_CONNECTION_CLOSED',
    `ResilientClient: gave up after ${attempts} reconnect attempts (maxAttempts); last: ${describeReason(reason)}`,
    { received: reason },
  );
}

/**
 * @param chosen - the subprotocol the server chose (`''` for none)
 * @returns the error of a server that did not choose `semantest-v1` (`WS_KIT_ERR_PROTOCOL`)
 */
export function subprotocolError(chosen: string): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_PROTOCOL',
    `ResilientClient: the server chose subprotocol ${chosen === '' ? 'none' : `'${chosen}'`}, not 'semantest-v1' (use protocol: 'plain' for servers without it)`,
    { expected: SEMANTEST_V1, received: chosen },
  );
}

/**
 * @param kind - the frame kind the client did not expect
 * @param when - what makes it unexpected, e.g. `' on a welcomed connection'`
 * @returns the error emitted for it (`WS_KIT_ERR_PROTOCOL`); the frame is ignored
 */
export function unexpectedFrameError(kind: string, when = ''): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_PROTOCOL',
    `ResilientClient: unexpected '${kind}' frame${when}; ignored`,
    {
      received: kind,
    },
  );
}

/**
 * @param who - what threw: `a 'message' listener`, `shouldReconnect()`
 * @param thrown - what it threw
 * @param then - what the client does about it
 * @returns the `error` event reporting it (`WS_KIT_ERR_INTERNAL`, with the throw as `cause`)
 */
export function listenerError(who: string, thrown: unknown, then = 'the client carries on'): WsKitError {
  return new WsKitError(
    'WS_KIT_ERR_INTERNAL',
    `ResilientClient: ${who} threw (${then}): ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    { cause: thrown },
  );
}

/** Throws `thrown` (from a microtask: an `error` listener's own throw, which must not vanish). */
export function rethrow(thrown: unknown): never {
  throw thrown;
}
