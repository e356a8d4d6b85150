import type { Frame } from '../../framing/frame.js';

/** What {@link ReceiveWindow.offer} did with a frame. */
export type OfferResult =
  /** The frame is the next in order: it counts as delivered now; deliver it, then drain with `takeNext`. */
  | 'next'
  /** Already delivered, or already held: drop it. */
  | 'duplicate'
  /** Ahead of a gap: held until the gap fills. */
  | 'held'
  /** Ahead of a gap, but the reorder limit is reached: not accepted (the sender still holds it). */
  | 'full';

interface ChannelState {
  delivered: number;
  held: Map<number, Frame>;
}

/**
 * The client → server side of one session: per channel, the last seq delivered in order and the
 * frames held ahead of a gap. Dedupes by (channel, seq) and releases frames strictly in order.
 * Pure: no clock, no I/O.
 */
export class ReceiveWindow {
  readonly #channels = new Map<string, ChannelState>();
  #held = 0;

  #state(channel: string): ChannelState {
    let state = this.#channels.get(channel);
    if (state === undefined) {
      state = { delivered: 0, held: new Map() };
      this.#channels.set(channel, state);
    }
    return state;
  }

  /** The number of frames held ahead of gaps, over all channels. */
  get held(): number {
    return this.#held;
  }

  /**
   * Offers a sequenced (seq ≥ 1) data frame.
   *
   * @param frame - the decoded frame
   * @param maxHeld - the reorder limit over all channels
   * @returns what happened to it; see {@link OfferResult}
   */
  offer(frame: Frame, maxHeld: number): OfferResult {
    const state = this.#state(frame.channel);
    if (frame.seq <= state.delivered || state.held.has(frame.seq)) return 'duplicate';
    if (frame.seq === state.delivered + 1) {
      state.delivered = frame.seq;
      return 'next';
    }
    if (this.#held >= maxHeld) return 'full';
    state.held.set(frame.seq, frame);
    this.#held++;
    return 'held';
  }

  /**
   * Releases the held frame that is now next in order on `channel`, if any, and counts it delivered.
   *
   * @param channel - the channel to drain
   * @returns the frame, or `undefined` when the next one has not arrived
   */
  takeNext(channel: string): Frame | undefined {
    const state = this.#channels.get(channel);
    const frame = state?.held.get(state.delivered + 1);
    if (state === undefined || frame === undefined) return undefined;
    state.held.delete(frame.seq);
    state.delivered = frame.seq;
    this.#held--;
    return frame;
  }

  /**
   * Reads the last seq delivered in order on a channel.
   *
   * @param channel - the channel
   * @returns the seq, `0` when nothing was delivered
   */
  delivered(channel: string): number {
    return this.#channels.get(channel)?.delivered ?? 0;
  }

  /**
   * Tells whether frames are held ahead of a gap on a channel.
   *
   * @param channel - the channel
   * @returns `true` when the channel has a gap
   */
  hasGap(channel: string): boolean {
    return (this.#channels.get(channel)?.held.size ?? 0) > 0;
  }

  /**
   * The last seq delivered per channel (channels with nothing delivered are absent), as a
   * `welcome` frame carries it.
   *
   * @returns a fresh object
   */
  lastSeqs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [channel, state] of this.#channels) if (state.delivered > 0) out[channel] = state.delivered;
    return out;
  }
}
