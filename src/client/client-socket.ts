import IsomorphicWebSocket from 'isomorphic-ws';
import { OptionsError } from '../errors.js';
import type { ResolvedClientOptions } from './client-options.js';
import type { DisconnectReason } from './close-policy.js';

/** Where a client connects: a URL, or a function giving one (called before every attempt). */
export type ClientUrl = string | URL | (() => string | URL | Promise<string | URL>);

/** The part of a WebSocket (`ws` in Node, the native one in browsers) a client uses. Internal. */
export interface SocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { error?: unknown; message?: string }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  /** `ws` only. */
  terminate?(): void;
  /** `ws` only: its TCP socket (a `ws` internal, stable across ws 8), corked around a burst of writes. */
  readonly _socket?: { cork(): void; uncork(): void } | null;
  ping?(): void;
  on?(event: 'pong', listener: () => void): void;
}

type SocketClass = new (url: string, protocols?: string[], options?: object) => SocketLike;

/** What a connection attempt reports back. */
export interface SocketHandlers {
  open(): void;
  message(data: string | Uint8Array): void;
  /** The socket ended (or never opened), once. */
  ended(reason: DisconnectReason): void;
}

/** How to open one socket. */
export interface SocketRequest {
  readonly url: string;
  readonly protocols: readonly string[];
  readonly headers: Record<string, string>;
  readonly perMessageDeflate: boolean;
  readonly WebSocket: unknown;
}

/**
 * The URL, subprotocols and headers of one attempt: `url()` and `getToken()` are awaited, and the
 * token placed as configured. Internal.
 *
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for a URL that does not parse (retrying cannot help);
 *   whatever `url()` or `getToken()` throw
 */
export async function resolveTarget(
  url: ClientUrl,
  o: ResolvedClientOptions,
): Promise<Pick<SocketRequest, 'url' | 'protocols' | 'headers'>> {
  const given = String(typeof url === 'function' ? await url() : url);
  let target: URL;
  try {
    target = new URL(given);
  } catch {
    throw new OptionsError('WS_KIT_ERR_INVALID_ARGUMENT', `ResilientClient: '${given}' is not a URL`, {
      expected: 'a ws:// or wss:// URL',
      received: given,
    });
  }
  const protocols = [...o.subprotocols];
  const headers: Record<string, string> = {};
  if (o.getToken) {
    const token = await o.getToken();
    if (o.tokenIn === 'query') target.searchParams.set(o.tokenQueryParam, token);
    else if (o.tokenIn === 'header') headers.Authorization = `Bearer ${token}`;
    else protocols.push(`bearer.${token}`);
  }
  return { url: target.toString(), protocols, headers };
}

const UPGRADE_STATUS = /Unexpected server response: (\d{3})/;
const SUBPROTOCOL_REFUSED = /Server sent (no|an invalid|a) subprotocol/;

/** Whether a WebSocket class is `ws` (Node), which takes options and has ping/terminate. */
function isWs(Impl: SocketClass): boolean {
  return typeof (Impl.prototype as { terminate?: unknown }).terminate === 'function';
}

/**
 * Opens a WebSocket and turns its events into {@link SocketHandlers} calls, classifying how it
 * ended: an HTTP status at the upgrade, a network error, or a close code. Internal.
 *
 * @returns the socket
 * @throws what the WebSocket constructor throws for a bad URL (a `SyntaxError`)
 */
export function openSocket(request: SocketRequest, handlers: SocketHandlers): SocketLike {
  const Impl = (request.WebSocket ?? IsomorphicWebSocket) as SocketClass;
  const node = isWs(Impl);
  if (!node && Object.keys(request.headers).length > 0) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      "ResilientClient: tokenIn 'header' needs Node's ws: a browser WebSocket cannot send headers (use 'protocol' or 'query')",
      { expected: "tokenIn 'protocol' or 'query'", received: 'header' },
    );
  }
  const protocols = [...request.protocols];
  const socket = node
    ? new Impl(request.url, protocols, {
        perMessageDeflate: request.perMessageDeflate,
        headers: request.headers,
      })
    : new Impl(request.url, protocols);
  socket.binaryType = node ? 'nodebuffer' : 'arraybuffer';
  let opened = false;
  let lastError: Error | undefined;
  let ended = false;
  socket.onopen = () => {
    opened = true;
    handlers.open();
  };
  socket.onmessage = (event) => {
    const { data } = event;
    if (typeof data === 'string') handlers.message(data);
    else if (data instanceof Uint8Array) handlers.message(data);
    else if (data instanceof ArrayBuffer) handlers.message(new Uint8Array(data));
  };
  socket.onerror = (event) => {
    const error = event.error;
    lastError =
      error instanceof Error
        ? error
        : new Error(event.message ?? 'WebSocket error (the browser gives no detail)');
  };
  socket.onclose = (event) => {
    if (ended) return;
    ended = true;
    detach(socket);
    const status = lastError === undefined ? undefined : UPGRADE_STATUS.exec(lastError.message)?.[1];
    if (status !== undefined) handlers.ended({ kind: 'upgrade', status: Number(status) });
    else if (!opened && lastError !== undefined && SUBPROTOCOL_REFUSED.test(lastError.message))
      handlers.ended({ kind: 'protocol', error: lastError }); // ws refuses a missing or unoffered subprotocol
    else if (!opened && lastError !== undefined) handlers.ended({ kind: 'error', error: lastError });
    else handlers.ended({ kind: 'close', code: event.code, reason: event.reason });
  };
  return socket;
}

/** Stops listening to a socket (its later events are ignored). */
export function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // keep an error listener: `ws` would otherwise throw an 'error' event nobody listens to
  socket.onerror = () => undefined;
}

/**
 * Ends a socket without waiting for the peer: `terminate()` in Node (no close handshake — right for
 * a dead link), else `close()`.
 */
export function destroy(socket: SocketLike): void {
  detach(socket);
  try {
    if (socket.terminate) socket.terminate();
    else socket.close(4000, 'replaced');
  } catch {
    // already closed, or closing
  }
}
