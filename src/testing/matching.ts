/** The result of {@link assignMessages}: indexes left without a partner on either side. */
export interface Assignment {
  /** Indexes into the expected list that no received message matched. */
  readonly unmatchedExpected: number[];
  /** Indexes into the received list that matched no expected entry. */
  readonly unmatchedReceived: number[];
}

/**
 * Pairs received messages with expected entries one-to-one, as many as possible (a maximum
 * bipartite matching by augmenting paths), so that an asymmetric matcher listed first cannot
 * take the message a more specific entry needs.
 *
 * @param received - the received items
 * @param expected - the expected entries
 * @param matches - whether a received item satisfies an expected entry
 * @returns the indexes left unmatched on each side
 */
export function assignMessages<R, E>(
  received: readonly R[],
  expected: readonly E[],
  matches: (received: R, expected: E) => boolean,
): Assignment {
  const fits = expected.map((e) => received.flatMap((r, i) => (matches(r, e) ? [i] : [])));
  const owner = new Array<number>(received.length).fill(-1);
  const augment = (e: number, seen: boolean[]): boolean => {
    for (const r of fits[e]!) {
      if (seen[r]) continue;
      seen[r] = true;
      if (owner[r] === -1 || augment(owner[r]!, seen)) {
        owner[r] = e;
        return true;
      }
    }
    return false;
  };
  const unmatchedExpected: number[] = [];
  for (let e = 0; e < expected.length; e++) {
    if (!augment(e, new Array<boolean>(received.length).fill(false))) unmatchedExpected.push(e);
  }
  const unmatchedReceived = owner.flatMap((e, r) => (e === -1 ? [r] : []));
  return { unmatchedExpected, unmatchedReceived };
}
