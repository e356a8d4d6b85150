/**
 * The per-stream sequence state of an `OrderingValidator` (internal; not exported from the package).
 *
 * Memory is fixed at construction: a ring of `reorderWindow` bits plus a few numbers, whatever the
 * stream length. The state is:
 *
 * - `highest` (H): the highest seq delivered so far (`firstSeq − 1` before any).
 * - `watermark` (W): every seq ≤ W is settled — delivered, or forgotten (see `forgotten`).
 * - a bitmap of the seqs in `(W, W + reorderWindow]` that were delivered; H always lies in it.
 * - `forgotten` (F): the highest seq whose delivery status was dropped because the stream moved on
 *   by more than `reorderWindow` while it was still undelivered. A later arrival of a seq in
 *   `[firstSeq, F]` cannot be told apart from a duplicate and is classified `beyond-window`.
 *
 * docs/ordering-validator.md states the classification rules this class implements.
 */

/** How one message was classified by sequence (cross-talk is decided before a stream is involved). */
export type SeqVerdict = 'in-order' | 'duplicate' | 'out-of-order' | 'beyond-window';

/** Sequence state and counters of one stream (a channel, or the whole stream in `strict` mode). */
export class SeqStream {
  /** The stream's channel, or `null` in `strict` mode. */
  readonly channel: string | null;
  /** H: the highest seq delivered so far; `firstSeq − 1` before any. */
  highest: number;
  /** W: every seq ≤ W is settled. */
  watermark: number;
  /** F: the highest forgotten seq; `firstSeq − 1` while nothing was forgotten. */
  forgotten: number;
  /** Seqs ≥ firstSeq delivered at least once (first deliveries: in-order + out-of-order). */
  distinct = 0;
  /** Messages classified on this stream. */
  observed = 0;
  /** In-order messages (a new highest seq). */
  inOrder = 0;
  /** Gap events: an in-order message whose seq is more than H + 1. */
  gaps = 0;
  /** Duplicate messages. */
  duplicates = 0;
  /** Out-of-order messages. */
  outOfOrder = 0;
  /** Beyond-window messages. */
  beyondWindow = 0;
  /** The seq skipped over by the latest gap event starts at this value (valid right after a gap). */
  lastExpected = 0;

  readonly #first: number;
  readonly #window: number;
  readonly #bits: Uint32Array;

  /**
   * @param channel - the channel, or `null` for the single stream of `strict` mode
   * @param firstSeq - the first seq of the stream
   * @param reorderWindow - how many seqs above the watermark are remembered individually
   */
  constructor(channel: string | null, firstSeq: number, reorderWindow: number) {
    this.channel = channel;
    this.#first = firstSeq;
    this.#window = reorderWindow;
    this.#bits = new Uint32Array(Math.ceil(reorderWindow / 32));
    this.highest = firstSeq - 1;
    this.watermark = firstSeq - 1;
    this.forgotten = firstSeq - 1;
  }

  /** Seqs in `[firstSeq, H]` never delivered (or forgotten while undelivered). */
  get missing(): number {
    return this.highest - this.#first + 1 - this.distinct;
  }

  /**
   * Classifies one delivery of `seq` and updates the state and counters.
   *
   * @param seq - a non-negative safe integer (the caller validated it)
   * @returns the verdict
   */
  deliver(seq: number): SeqVerdict {
    this.observed++;
    const h = this.highest;
    if (seq > h) {
      if (seq === h + 1 && this.watermark === h) {
        // Fast path: the next seq with nothing outstanding — no bitmap work.
        this.highest = seq;
        this.watermark = seq;
      } else {
        if (seq > h + 1) {
          this.gaps++;
          this.lastExpected = h + 1;
        }
        this.highest = seq;
        if (seq - this.#window > this.watermark) this.#forget(seq - this.#window);
        this.#mark(seq);
      }
      this.distinct++;
      this.inOrder++;
      return 'in-order';
    }
    if (seq < this.#first) {
      this.duplicates++;
      return 'duplicate';
    }
    if (seq <= this.forgotten) {
      this.beyondWindow++;
      return 'beyond-window';
    }
    if (seq <= this.watermark || this.#isMarked(seq)) {
      this.duplicates++;
      return 'duplicate';
    }
    this.#mark(seq);
    this.distinct++;
    this.outOfOrder++;
    return 'out-of-order';
  }

  #isMarked(seq: number): boolean {
    const slot = seq % this.#window;
    return (this.#bits[slot >>> 5]! & (1 << (slot & 31))) !== 0;
  }

  /** Marks `seq` (which lies in `(W, W + window]`) delivered, then advances W over delivered seqs. */
  #mark(seq: number): void {
    const slot = seq % this.#window;
    this.#bits[slot >>> 5]! |= 1 << (slot & 31);
    if (seq === this.watermark + 1) this.#advance();
  }

  /** Advances W while W + 1 is marked, clearing each bit it passes (its slot is reused later). */
  #advance(): void {
    const bits = this.#bits;
    let w = this.watermark;
    for (;;) {
      const slot = (w + 1) % this.#window;
      const word = bits[slot >>> 5]!;
      const mask = 1 << (slot & 31);
      if ((word & mask) === 0) break;
      bits[slot >>> 5] = word & ~mask;
      w++;
    }
    this.watermark = w;
  }

  /**
   * Moves W up to `to`, forgetting every seq in `(W, to]` (W + 1 is undelivered, so at least one
   * undelivered seq is forgotten), so that the window can hold a new highest seq `to + window`.
   */
  #forget(to: number): void {
    const from = this.watermark;
    if (to - from >= this.#window) {
      this.#bits.fill(0);
    } else {
      for (let s = from + 1; s <= to; s++) {
        const slot = s % this.#window;
        this.#bits[slot >>> 5]! &= ~(1 << (slot & 31));
      }
    }
    this.watermark = to;
    this.forgotten = to;
    this.#advance();
  }
}
