import type { Clock } from '../clock/clock.js';
import { ackFrame, nackFrame } from '../framing/control-frames.js';
import type { Frame } from '../framing/frame.js';
import { AckBatcher } from '../server/protocol/ack-batcher.js';
import { ReceiveWindow } from '../server/protocol/receive-window.js';

/** What {@link Inbound} needs from its client. */
export interface InboundHost {
  readonly clock: Clock;
  /** Writes a control frame on the current connection (dropped when there is none). */
  write(frame: Frame): void;
  /** Hands a data frame to the application, in order, exactly once. */
  deliver(frame: Frame): void;
}

/**
 * The server → client side of a `semantest-v1` session (internal): dedupes by (channel, seq),
 * holds frames ahead of a gap and releases them in order, acks cumulatively in batches, nacks
 * gaps, and remembers the last seq per channel for the `hello` of the next connection. Lives as
 * long as the client, across reconnects.
 */
export class Inbound {
  readonly #host: InboundHost;
  readonly #window = new ReceiveWindow();
  readonly #acks: AckBatcher;
  readonly #maxHeld: number;
  readonly #nackEveryMs: number;
  readonly #nacked = new Map<string, { seq: number; at: number }>();
  /** Bumped by `disconnected()`: a delivery loop notices that its connection ended. */
  #connection = 0;
  /** Duplicates dropped (already delivered, or already held). */
  duplicates = 0;
  /** Frames not taken because the reorder limit was reached (the server still holds them). */
  refused = 0;

  constructor(
    host: InboundHost,
    o: { ackEvery: number; ackDelayMs: number; maxHeld: number; nackEveryMs: number },
  ) {
    this.#host = host;
    this.#maxHeld = o.maxHeld;
    this.#nackEveryMs = o.nackEveryMs;
    this.#acks = new AckBatcher(host.clock, o.ackEvery, o.ackDelayMs, (channel) =>
      host.write(ackFrame(channel, this.#window.delivered(channel), host.clock.now())),
    );
  }

  /** Per channel, the last seq delivered in order (for `hello`). */
  lastSeqs(): Record<string, number> {
    return this.#window.lastSeqs();
  }

  /** Takes one incoming data frame. */
  data(frame: Frame): void {
    const result = this.#window.offer(frame, this.#maxHeld);
    if (result === 'duplicate') {
      this.duplicates++;
      this.#acks.note(frame.channel, 0); // the server may have missed our ack: ack again
      return;
    }
    if (result === 'next') {
      // a listener may close the client (or lose the connection) while it is handed a message:
      // then nothing more is delivered or acked from this connection
      const connection = this.#connection;
      let delivered = 1;
      this.#host.deliver(frame);
      for (
        let next = connection === this.#connection ? this.#window.takeNext(frame.channel) : undefined;
        next;
        next = connection === this.#connection ? this.#window.takeNext(frame.channel) : undefined
      ) {
        delivered++;
        this.#host.deliver(next);
      }
      if (connection !== this.#connection) return;
      this.#acks.note(frame.channel, delivered);
    } else if (result === 'full') {
      this.refused++;
    }
    if (this.#window.hasGap(frame.channel)) this.#nackGap(frame.channel);
  }

  /** Asks for a frame that failed its checksum. */
  nack(channel: string, seq: number): void {
    this.#host.write(nackFrame(channel, seq, this.#host.clock.now()));
  }

  /** Sends the pending acks now. */
  flushAcks(): void {
    this.#acks.flushAll();
  }

  /** The connection is gone: pending acks are dropped (the next `hello` carries the same information). */
  disconnected(): void {
    this.#connection++;
    this.#acks.cancel();
    this.#nacked.clear();
  }

  #nackGap(channel: string): void {
    const seq = this.#window.delivered(channel) + 1;
    const now = this.#host.clock.now();
    const last = this.#nacked.get(channel);
    if (last !== undefined && last.seq === seq && now - last.at < this.#nackEveryMs) return;
    this.#nacked.set(channel, { seq, at: now });
    this.nack(channel, seq);
  }
}
