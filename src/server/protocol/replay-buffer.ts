import type { Frame } from '../../framing/index.js';

/** One unacked server → client data frame kept for replay. */
export interface ReplayEntry {
  /** The frame as first sent (its timestamp is the original send time). */
  readonly frame: Frame;
  /** Its size in the binary encoding, counted against `maxReplayBytes`. */
  readonly bytes: number;
}

/** A frame a {@link ReplayBuffer} gave up on, named by channel and seq. */
export interface DroppedFrame {
  /** The channel of the dropped frame. */
  readonly channel: string;
  /** Its sequence number. */
  readonly seq: number;
}

/**
 * The unacked server → client data frames of one session, in send order, bounded by the caller's
 * limits. Cumulative acks release frames per channel; the rest are replayed after a resume.
 * Pure: no clock, no I/O.
 */
export class ReplayBuffer {
  #order = 0;
  /** Send order → entry; a Map iterates in insertion order, so the first key is the oldest. */
  readonly #entries = new Map<number, ReplayEntry>();
  /** Per channel, the send-order keys of its entries, in seq order. */
  readonly #byChannel = new Map<string, number[]>();
  #bytes = 0;

  /** The number of unacked frames held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The bytes (binary encoding) of the unacked frames held. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Tells whether one more frame of `bytes` fits within the limits.
   *
   * @param bytes - the new frame's size
   * @param maxFrames - the frame limit
   * @param maxBytes - the byte limit
   * @returns `true` when it fits without dropping anything
   */
  fits(bytes: number, maxFrames: number, maxBytes: number): boolean {
    return this.#entries.size + 1 <= maxFrames && this.#bytes + bytes <= maxBytes;
  }

  /**
   * Appends a frame (frames of one channel must be pushed in seq order).
   *
   * @param entry - the frame and its size
   */
  push(entry: ReplayEntry): void {
    const key = ++this.#order;
    this.#entries.set(key, entry);
    let keys = this.#byChannel.get(entry.frame.channel);
    if (keys === undefined) {
      keys = [];
      this.#byChannel.set(entry.frame.channel, keys);
    }
    keys.push(key);
    this.#bytes += entry.bytes;
  }

  /**
   * Drops the oldest frame.
   *
   * @returns the dropped frame's channel and seq, or `undefined` when empty
   */
  dropOldest(): DroppedFrame | undefined {
    const first = this.#entries.keys().next();
    if (first.done) return undefined;
    const entry = this.#entries.get(first.value)!;
    this.#entries.delete(first.value);
    this.#bytes -= entry.bytes;
    this.#byChannel.get(entry.frame.channel)?.shift();
    return { channel: entry.frame.channel, seq: entry.frame.seq };
  }

  /**
   * Releases every frame on `channel` with a seq up to and including `seq` (a cumulative ack).
   *
   * @param channel - the acknowledged channel
   * @param seq - the acknowledged seq
   * @returns how many frames were released
   */
  ack(channel: string, seq: number): number {
    const keys = this.#byChannel.get(channel);
    if (keys === undefined) return 0;
    let released = 0;
    while (keys.length > 0) {
      const entry = this.#entries.get(keys[0]!)!;
      if (entry.frame.seq > seq) break;
      this.#entries.delete(keys.shift()!);
      this.#bytes -= entry.bytes;
      released++;
    }
    if (keys.length === 0) this.#byChannel.delete(channel);
    return released;
  }

  /**
   * Finds an unacked frame.
   *
   * @param channel - its channel
   * @param seq - its seq
   * @returns the frame, or `undefined` when it was acked, dropped or never sent
   */
  find(channel: string, seq: number): Frame | undefined {
    for (const key of this.#byChannel.get(channel) ?? []) {
      const frame = this.#entries.get(key)!.frame;
      if (frame.seq === seq) return frame;
      if (frame.seq > seq) break;
    }
    return undefined;
  }

  /**
   * Lists the unacked frames in send order (across channels).
   *
   * @param limit - at most this many, the oldest (default: all)
   * @returns a fresh array
   */
  frames(limit = Number.POSITIVE_INFINITY): Frame[] {
    const out: Frame[] = [];
    for (const e of this.#entries.values()) {
      if (out.length >= limit) break;
      out.push(e.frame);
    }
    return out;
  }
}
