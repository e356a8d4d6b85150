import type { AuthRequest } from './types.js';

/**
 * Where `createJwtAuthenticator` looks for the token:
 * - `'header'` — `Authorization: Bearer <token>` (scheme case-insensitive);
 * - `'query'` — a query parameter of the request URL (`?token=<token>`, name configurable);
 * - `'protocol'` — an entry of the offered `Sec-WebSocket-Protocol` list that starts with the
 *   protocol prefix (`bearer.<token>`), for browsers, which cannot set headers on a WebSocket.
 */
export type TokenSource = 'header' | 'query' | 'protocol';

/** Where a token was found, and the token. */
export interface FoundToken {
  /** The source it came from. */
  readonly source: TokenSource;
  /** The compact JWT. */
  readonly token: string;
}

function headerValue(request: AuthRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Splits a `Sec-WebSocket-Protocol` header value into its entries (comma-separated, trimmed, empty
 * entries dropped).
 *
 * @param header - the header value, or `undefined`
 * @returns the offered protocols in order
 */
export function parseProtocolHeader(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Removes the token-carrying entries (those starting with `prefix`) from the subprotocols a client
 * offered, so that the server never selects the token as the negotiated protocol. Call it on the
 * list before negotiation (e.g. in `ws`'s `handleProtocols(protocols, request)`).
 *
 * @param protocols - the offered protocols (a `Set` as `ws` gives them, or any iterable)
 * @param prefix - the token prefix used by the authenticator
 * @default prefix 'bearer.'
 * @returns the offered protocols without the token entries, in order
 *
 * @example
 * ```ts
 * stripTokenProtocol(new Set(['bearer.eyJhbGciOi…', 'semantest-v1'])); // ['semantest-v1']
 * ```
 */
export function stripTokenProtocol(protocols: Iterable<string>, prefix = 'bearer.'): string[] {
  return [...protocols].filter((p) => !p.startsWith(prefix));
}

/**
 * Finds the first token in `request`, trying `sources` in order (internal to the authenticator,
 * exported for servers that verify tokens themselves).
 *
 * @param request - the upgrade request (`headers` and `url`)
 * @param sources - where to look, in order
 * @param queryParam - the query parameter name
 * @param protocolPrefix - the subprotocol prefix
 * @returns the first token found, or `undefined`
 */
export function findToken(
  request: AuthRequest,
  sources: readonly TokenSource[],
  queryParam: string,
  protocolPrefix: string,
): FoundToken | undefined {
  for (const source of sources) {
    const token = read(request, source, queryParam, protocolPrefix);
    if (token !== undefined && token.length > 0) return { source, token };
  }
  return undefined;
}

function read(
  request: AuthRequest,
  source: TokenSource,
  queryParam: string,
  protocolPrefix: string,
): string | undefined {
  if (source === 'header') {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
    return match?.[1];
  }
  if (source === 'query') {
    if (request.url === undefined) return undefined;
    try {
      return new URL(request.url, 'http://localhost').searchParams.get(queryParam) ?? undefined;
    } catch {
      return undefined;
    }
  }
  const entry = parseProtocolHeader(headerValue(request, 'sec-websocket-protocol')).find((p) =>
    p.startsWith(protocolPrefix),
  );
  return entry?.slice(protocolPrefix.length);
}
