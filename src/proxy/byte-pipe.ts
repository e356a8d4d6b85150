import type { Clock, TimerHandle } from '../clock/index.js';
import type { ResolvedLinkConditions } from './link-conditions.js';

/** Where a pipe writes (the far socket). Internal. */
export interface PipeSink {
  write(bytes: Uint8Array): void;
  /** Bytes the sink holds unsent (its backpressure). */
  readonly writableLength: number;
}

/** What a pipe reports to its connection. Internal. */
export interface PipeEvents {
  /** `true`: stop reading the source; `false`: read again. */
  pressure(paused: boolean): void;
  /** `limitBytes` reached: close the connection. */
  limit(): void;
  /** A chunk was marked lost and waits a retransmission timeout. */
  lost(bytes: number): void;
  /** Bytes written to the sink. */
  forwarded(bytes: number): void;
}

interface Chunk {
  readonly bytes: Uint8Array;
  readonly at: number;
}

const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

/**
 * One direction of a proxied link, at the byte level (internal): delays chunks by latency ± jitter,
 * paces them to a bandwidth, slices them, delays a fraction by a retransmission timeout, holds them
 * during a blackout and counts them against a byte limit — always in order, never altered. With a
 * clean link and nothing queued, a chunk is written at once.
 */
export class BytePipe {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #sink: PipeSink;
  readonly #events: PipeEvents;
  #c: ResolvedLinkConditions;
  readonly #queue: Chunk[] = [];
  #head = 0;
  #queuedBytes = 0;
  #timer: TimerHandle | undefined;
  #lastAt = 0;
  #linkFreeAt = 0;
  #held = false;
  #paused = false;
  #forwarded = 0;
  #closed = false;

  constructor(
    clock: Clock,
    random: () => number,
    sink: PipeSink,
    events: PipeEvents,
    conditions: ResolvedLinkConditions,
  ) {
    this.#clock = clock;
    this.#random = random;
    this.#sink = sink;
    this.#events = events;
    this.#c = conditions;
  }

  /** The current conditions. */
  get conditions(): ResolvedLinkConditions {
    return this.#c;
  }

  /** Changes the conditions; chunks already queued keep their times. */
  set conditions(conditions: ResolvedLinkConditions) {
    this.#c = conditions;
  }

  /** Bytes queued (delayed or held). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Bytes written to the sink so far. */
  get forwardedBytes(): number {
    return this.#forwarded;
  }

  /** Whether chunks are held (a blackout or a timeout) on a pipe still open. */
  get held(): boolean {
    return this.#held && !this.#closed;
  }

  /** Blackout: hold every chunk (the sockets stay open: a half-open link) until `hold(false)`. */
  hold(on: boolean): void {
    this.#held = on;
    if (!on) this.#schedule();
  }

  /** Throws away everything queued (a black hole). */
  discard(): void {
    this.#queue.length = 0;
    this.#head = 0;
    this.#queuedBytes = 0;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#checkPressure();
  }

  /** Queues (or writes at once) a chunk that arrived from the source. */
  push(bytes: Uint8Array): void {
    if (this.#closed || bytes.byteLength === 0) return;
    const c = this.#c;
    const now = this.#clock.now();
    const clean =
      c.latencyMs === 0 &&
      c.jitterMs === 0 &&
      c.bandwidthKbps === 0 &&
      c.sliceBytes === 0 &&
      c.lossRate === 0;
    if (clean && !this.#held && this.#head === this.#queue.length) {
      this.#write(bytes);
      if (this.#sink.writableLength > HIGH_WATER) this.#checkPressure();
      return;
    }
    let delay = c.latencyMs;
    if (c.jitterMs > 0) delay = Math.max(0, delay + (this.#random() * 2 - 1) * c.jitterMs);
    if (c.lossRate > 0 && this.#random() < c.lossRate) {
      delay += c.retransmitMs;
      this.#events.lost(bytes.byteLength);
    }
    // in order, as TCP delivers: never before the chunk ahead of it
    let at = Math.max(now + delay, this.#lastAt);
    const pieces = this.#cut(bytes);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i > 0 && c.sliceBytes > 0) at += c.sliceDelayMs;
      if (c.bandwidthKbps > 0) {
        // serialisation: the piece starts when the link is free and takes bytes × 8 / rate, so even
        // one piece on an idle link arrives its transmission time late
        const txMs = (piece.byteLength * 8) / c.bandwidthKbps;
        at = Math.max(at, this.#linkFreeAt) + txMs;
        this.#linkFreeAt = at;
      }
      this.#queue.push({ bytes: piece, at });
      this.#queuedBytes += piece.byteLength;
    }
    this.#lastAt = at;
    this.#checkPressure();
    this.#schedule();
  }

  /** The sink drained some of its backlog: reading may resume. */
  drained(): void {
    this.#checkPressure();
  }

  /** Stops the timer; nothing more is written. */
  close(): void {
    this.#closed = true;
    this.discard();
  }

  #cut(bytes: Uint8Array): Uint8Array[] {
    const c = this.#c;
    // with a bandwidth limit, pieces of ~10 ms of transmission keep the pace smooth
    const paceBytes = c.bandwidthKbps > 0 ? Math.max(256, Math.floor((c.bandwidthKbps * 10) / 8)) : 0;
    const size = Math.min(...[c.sliceBytes, paceBytes].filter((n) => n > 0), Number.POSITIVE_INFINITY);
    if (!Number.isFinite(size) || bytes.byteLength <= size) return [bytes];
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.byteLength; i += size) pieces.push(bytes.subarray(i, i + size));
    return pieces;
  }

  #schedule(): void {
    if (this.#held || this.#closed || this.#timer !== undefined || this.#head === this.#queue.length) return;
    const wait = this.#queue[this.#head]!.at - this.#clock.now();
    if (wait <= 0) {
      this.#release();
      return;
    }
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#release();
    }, wait);
  }

  #release(): void {
    const now = this.#clock.now();
    while (!this.#held && !this.#closed && this.#head < this.#queue.length) {
      const chunk = this.#queue[this.#head]!;
      if (chunk.at > now) break;
      this.#queue[this.#head] = undefined as unknown as Chunk;
      this.#head++;
      this.#queuedBytes -= chunk.bytes.byteLength;
      this.#write(chunk.bytes);
    }
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#checkPressure();
    this.#schedule();
  }

  #write(bytes: Uint8Array): void {
    const limit = this.#c.limitBytes;
    if (limit > 0 && this.#forwarded + bytes.byteLength >= limit) {
      const room = limit - this.#forwarded;
      if (room > 0) this.#forward(bytes.subarray(0, room));
      this.#closed = true;
      this.#events.limit();
      return;
    }
    this.#forward(bytes);
  }

  #forward(bytes: Uint8Array): void {
    this.#forwarded += bytes.byteLength;
    this.#sink.write(bytes);
    this.#events.forwarded(bytes.byteLength);
  }

  #checkPressure(): void {
    const load = this.#queuedBytes + this.#sink.writableLength;
    if (!this.#paused && load > HIGH_WATER) {
      this.#paused = true;
      this.#events.pressure(true);
    } else if (this.#paused && load < LOW_WATER) {
      this.#paused = false;
      this.#events.pressure(false);
    }
  }
}
