import type { FrameError } from '../../errors.js';
import { ackFrame, errorFrame, type Frame, nackFrame } from '../../framing/index.js';
import { AckBatcher } from './ack-batcher.js';
import { reportOverflow } from './buffer-overflow.js';
import type { EndpointCore } from './endpoint-core.js';
import { internalError, readableDataHeader } from './frame-faults.js';
import type { ProtocolSession } from './protocol-session.js';

/**
 * The client → server data side of a {@link ServerProtocolEndpoint}: dedupes and reorders data
 * frames through the session's receive window, delivers them once and in order (`data`), acks them
 * cumulatively in batches, nacks gaps and corrupt frames. Internal.
 */
export class EndpointInbound {
  readonly #core: EndpointCore;
  readonly #acks: AckBatcher;
  /** Channel → the last gap nacked there, to nack a gap at most once per ack delay. */
  readonly #nacked = new Map<string, { seq: number; at: number }>();

  /** @param core - the endpoint's shared state */
  constructor(core: EndpointCore) {
    this.#core = core;
    this.#acks = new AckBatcher(core.clock, core.options.ackEvery, core.options.ackDelayMs, (c) =>
      this.#ack(c),
    );
  }

  /** Sends every pending cumulative ack now. */
  flushAcks(): void {
    this.#acks.flushAll();
  }

  /** Forgets pending acks and cancels their timer (the connection is gone). */
  cancelAcks(): void {
    this.#acks.cancel();
  }

  /**
   * Handles one data frame: delivers it (and any buffered successors) in order, drops duplicates,
   * reports a full reorder window, notes the acks due, and nacks a gap.
   *
   * @param session - the session
   * @param frame - the data frame (`seq` 0: unsequenced, delivered as is)
   * @throws {@link ProtocolError} `WS_KIT_ERR_INTERNAL` when a `data` listener throws
   */
  data(session: ProtocolSession, frame: Frame): void {
    if (frame.seq === 0) {
      this.#deliver(frame);
      return;
    }
    const { channel } = frame;
    const result = session.inbound.offer(frame, this.#core.options.maxReorderFrames);
    if (result === 'duplicate') {
      this.#core.counters.duplicatesDropped++;
      this.#acks.note(channel, 0);
    } else if (result === 'full') {
      reportOverflow(this.#core, 'reorder', [{ channel, seq: frame.seq }], channel, 'reject');
    } else if (result === 'next') {
      this.#acks.note(channel, 1);
      this.#deliver(frame);
    }
    for (
      let next = session.inbound.takeNext(channel);
      next !== undefined;
      next = session.inbound.takeNext(channel)
    ) {
      this.#acks.note(channel, 1);
      this.#deliver(next);
    }
    if (this.#core.options.nackGaps && this.#core.state === 'open' && session.inbound.hasGap(channel))
      this.#nackGap(session, channel);
  }

  /**
   * Answers a message whose checksum failed: a `nack` when its data header is readable, else an
   * `error` frame; then emits `corruptFrame`.
   *
   * @param error - the `WS_KIT_ERR_FRAME_CHECKSUM` error
   * @param input - the message as received
   * @param text - whether it was a text (JSON) message
   */
  corrupt(error: FrameError, input: Uint8Array | string, text: boolean): void {
    const core = this.#core;
    core.counters.checksumFailures++;
    const nacked = readableDataHeader(input, text);
    const now = core.clock.now();
    if (nacked !== undefined) {
      core.counters.nacksSent++;
      core.write(nackFrame(nacked.channel, nacked.seq, now));
    } else {
      core.write(errorFrame({ code: error.code, message: error.message }, now));
    }
    core.events.emit('corruptFrame', { error, nacked });
  }

  #deliver(frame: Frame): void {
    this.#core.counters.delivered++;
    try {
      this.#core.events.emit('data', frame);
    } catch (error) {
      throw internalError(error, `a data listener threw on ${JSON.stringify(frame.channel)}#${frame.seq}`);
    }
  }

  #nackGap(session: ProtocolSession, channel: string): void {
    const core = this.#core;
    const seq = session.inbound.delivered(channel) + 1;
    const now = core.clock.now();
    const last = this.#nacked.get(channel);
    if (last !== undefined && last.seq === seq && now - last.at < Math.max(core.options.ackDelayMs, 1))
      return;
    this.#nacked.set(channel, { seq, at: now });
    core.counters.nacksSent++;
    core.write(nackFrame(channel, seq, now));
  }

  #ack(channel: string): void {
    const core = this.#core;
    const seq = core.session?.inbound.delivered(channel) ?? 0;
    if (seq === 0 || core.state !== 'open') return;
    core.counters.acksSent++;
    core.write(ackFrame(channel, seq, core.clock.now()));
  }
}
