/**
 * The WebSocket subprotocol names of the ws-kit wire protocol and the server's choice among them.
 */

/** The WebSocket subprotocol name of wire protocol version 1 (`Sec-WebSocket-Protocol: semantest-v1`). */
export const SEMANTEST_V1 = 'semantest-v1';

/**
 * Picks the subprotocol a server answers with: the first of `supported` (the server's preference
 * order) that the client offered. Matching is exact and case-sensitive, as RFC 6455 §4.2.2 requires
 * (subprotocol names are tokens compared as strings). A client offering `semantest-v2, semantest-v1`
 * to a server supporting only `semantest-v1` gets `semantest-v1`.
 *
 * @param offered - the client's `Sec-WebSocket-Protocol` entries, in its order (e.g. ws's `protocols` set)
 * @param supported - what the server speaks, most preferred first
 * @returns the chosen name, or `undefined` when nothing matches (the server then rejects the
 *   upgrade or accepts with no subprotocol, as it is configured)
 * @see https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2
 * @example
 * ```ts
 * selectSubprotocol(['semantest-v2', 'semantest-v1'], [SEMANTEST_V1]); // 'semantest-v1'
 * ```
 */
export function selectSubprotocol(
  offered: Iterable<string>,
  supported: readonly string[],
): string | undefined {
  const offers = new Set(offered);
  return supported.find((name) => offers.has(name));
}
