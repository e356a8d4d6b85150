/** The outcome of {@link negotiateSubprotocol}. */
export type SubprotocolChoice = SubprotocolChosen | SubprotocolMismatch;

/** {@link negotiateSubprotocol} found a protocol to answer with (`''`: none). */
export interface SubprotocolChosen {
  /** Always `true`. */
  readonly ok: true;
  /** The protocol to answer with, `''` for none. */
  readonly protocol: string;
}

/** {@link negotiateSubprotocol} found no protocol both sides support. */
export interface SubprotocolMismatch {
  /** Always `false`. */
  readonly ok: false;
  /** What the client offered (credential entries removed). */
  readonly offered: readonly string[];
}

/**
 * Picks the subprotocol for an upgrade, as `MockServer` does (a richer form of `selectSubprotocol`).
 *
 * - The client offered nothing, or the server supports nothing: `{ ok: true, protocol: '' }`
 *   (accept with no subprotocol).
 * - `preference: 'client'`: the first offered protocol the server supports; `'server'`: the first
 *   of `supported` that was offered.
 * - No common protocol: `{ ok: false, offered }` — the caller rejects or accepts with none.
 *
 * Offered entries starting with one of `ignorePrefixes` (credentials such as `bearer.<token>`) are
 * never selected and do not count as offers.
 *
 * @param offered - the client's subprotocols, in its order
 * @param supported - the server's subprotocols, most preferred first
 * @param preference - whose order decides
 * @param ignorePrefixes - prefixes of offered entries that are not protocols
 * @default ignorePrefixes ['bearer.']
 * @returns the choice
 */
export function negotiateSubprotocol(
  offered: readonly string[],
  supported: readonly string[],
  preference: 'client' | 'server',
  ignorePrefixes: readonly string[] = ['bearer.'],
): SubprotocolChoice {
  const real = offered.filter((p) => !ignorePrefixes.some((prefix) => p.startsWith(prefix)));
  if (real.length === 0 || supported.length === 0) return { ok: true, protocol: '' };
  const first =
    preference === 'client'
      ? real.find((p) => supported.includes(p))
      : supported.find((p) => real.includes(p));
  return first === undefined ? { ok: false, offered: real } : { ok: true, protocol: first };
}
