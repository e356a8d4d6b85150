import type { TimerHandle } from '../../clock/clock.js';
import { ProtocolError } from '../../errors.js';
import { encodeFrame, type Frame, type FramePayload } from '../../framing/index.js';
import { reportOverflow } from './buffer-overflow.js';
import type { EndpointCore } from './endpoint-core.js';
import type { ProtocolSession } from './protocol-session.js';
import type { DroppedFrame } from './replay-buffer.js';

/** The most frames one resend timeout writes again (the oldest unacked). */
const RESEND_BURST = 64;

/** A `sendData` call made before `hello`, waiting for the session to be sequenced. */
interface PendingData {
  readonly channel: string;
  readonly payload: FramePayload;
  readonly priority: number;
}

/**
 * The server → client side of a {@link ServerProtocolEndpoint}: queues data sent before `hello`,
 * sequences data per (session, channel) into the replay buffer and sends it, replays unacked
 * frames on a resume, and releases or resends them on the client's acks and nacks. Internal.
 */
export class EndpointOutbound {
  readonly #core: EndpointCore;
  #pending: PendingData[] = [];
  #resendTimer: TimerHandle | undefined;

  /** @param core - the endpoint's shared state */
  constructor(core: EndpointCore) {
    this.#core = core;
  }

  /**
   * The body of {@link ServerProtocolEndpoint.sendData} once the priority is checked: queues the
   * data before `hello`, else sequences and sends it.
   *
   * @param channel - the channel
   * @param payload - a {@link FramePayload}, a string (text), or bytes (binary; copied)
   * @param priority - the checked priority
   * @returns `true` when accepted; `false` when refused under policy `'reject'`
   * @throws {@link ProtocolError} on overflow under policy `'error'`, or with no session to send on
   * @throws {@link FrameError} for a channel or payload a frame cannot carry
   */
  send(channel: string, payload: FramePayload | string | Uint8Array, priority: number): boolean {
    const core = this.#core;
    const p: FramePayload =
      typeof payload === 'string'
        ? { kind: 'text', data: payload }
        : payload instanceof Uint8Array
          ? { kind: 'binary', data: payload.slice() }
          : payload;
    if (core.state === 'closed' || (core.session === undefined && core.state !== 'awaiting-hello')) {
      throw new ProtocolError(
        'WS_KIT_ERR_PROTOCOL',
        `sendData: the endpoint is ${core.state} and has no session`,
        {
          channel,
        },
      );
    }
    if (core.session === undefined) {
      encodeFrame({ channel, priority, seq: 1, timestamp: 0, payload: p }, core.codec); // validate now
      if (this.#pending.length >= core.options.maxReplayFrames) {
        const dropped = core.options.overflow === 'drop-oldest' ? this.#pending.shift() : undefined;
        const ok = reportOverflow(
          core,
          'pending',
          dropped ? [{ channel: dropped.channel, seq: 0 }] : [],
          channel,
        );
        if (!ok) return false;
      }
      this.#pending.push({ channel, payload: p, priority });
      return true;
    }
    return this.#sequence(core.session, channel, p, priority);
  }

  /**
   * Writes every unacked frame of a resumed session again.
   *
   * @param session - the session just attached
   * @returns how many frames were replayed
   */
  replay(session: ProtocolSession): number {
    const replay = session.outbound.frames();
    for (const f of replay) this.#core.write(f);
    this.#core.counters.replays += replay.length;
    this.#armResend(session);
    return replay.length;
  }

  /** Stops the resend timer (the connection went, or the endpoint closed). */
  stop(): void {
    this.#core.clock.clearTimeout(this.#resendTimer);
    this.#resendTimer = undefined;
  }

  /**
   * Arms the resend timer while frames are unacked: when no ack releases anything for
   * `resendAfterMs`, the oldest unacked frames are written again.
   */
  #armResend(session: ProtocolSession): void {
    const core = this.#core;
    const after = core.options.resendAfterMs;
    if (after === 0 || this.#resendTimer !== undefined || session.outbound.size === 0) return;
    this.#resendTimer = core.clock.setTimeout(() => {
      this.#resendTimer = undefined;
      if (core.state !== 'open' || core.session !== session) return;
      const oldest = session.outbound.frames(RESEND_BURST);
      for (const f of oldest) core.write(f);
      core.counters.replays += oldest.length;
      this.#armResend(session);
    }, after);
  }

  /**
   * Sequences and sends the data queued before `hello`. A frame refused under policy `'error'`
   * is skipped (the `overflow` event named it); the connection goes on.
   *
   * @param session - the session just attached
   */
  flushPending(session: ProtocolSession): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) {
      try {
        this.#sequence(session, p.channel, p.payload, p.priority);
      } catch (error) {
        if (!(error instanceof ProtocolError && error.code === 'WS_KIT_ERR_BUFFER_OVERFLOW')) throw error;
      }
    }
  }

  /** Drops the data queued before `hello` (the connection went first) and emits `discarded`. */
  discardPending(): void {
    if (this.#pending.length === 0) return;
    const count = this.#pending.length;
    this.#pending = [];
    this.#core.events.emit('discarded', { count });
  }

  /**
   * The client acked `frame.seq` on `frame.channel`: releases it and everything before it.
   *
   * @param session - the session
   * @param frame - the `ack` frame
   */
  acked(session: ProtocolSession, frame: Frame): void {
    this.#core.counters.acksReceived++;
    if (session.outbound.ack(frame.channel, frame.seq) > 0) {
      this.stop(); // progress: the unacked get a fresh timeout
      this.#armResend(session);
    }
  }

  /**
   * The client nacked `frame.seq` on `frame.channel`: resends it if still buffered.
   *
   * @param session - the session
   * @param frame - the `nack` frame
   */
  nacked(session: ProtocolSession, frame: Frame): void {
    this.#core.counters.nacksReceived++;
    const resend = session.outbound.find(frame.channel, frame.seq);
    if (resend !== undefined) {
      this.#core.counters.replays++;
      this.#core.write(resend);
    }
  }

  #sequence(session: ProtocolSession, channel: string, payload: FramePayload, priority: number): boolean {
    const core = this.#core;
    const seq = session.peekSeq(channel);
    const frame: Frame = {
      version: 1,
      kind: 'data',
      channel,
      priority,
      seq,
      timestamp: core.clock.now(),
      payload,
    };
    const binary = encodeFrame(frame, core.codec);
    const { maxReplayFrames, maxReplayBytes, overflow } = core.options;
    if (!session.outbound.fits(binary.length, maxReplayFrames, maxReplayBytes)) {
      const dropped: DroppedFrame[] = [];
      if (overflow === 'drop-oldest' && binary.length <= maxReplayBytes) {
        while (!session.outbound.fits(binary.length, maxReplayFrames, maxReplayBytes)) {
          dropped.push(session.outbound.dropOldest()!);
        }
      }
      const policy = overflow === 'drop-oldest' && dropped.length === 0 ? 'error' : overflow;
      if (!reportOverflow(core, 'replay', dropped, channel, policy)) return false;
    }
    session.commitSeq(channel);
    session.outbound.push({ frame, bytes: binary.length });
    if (session.transmit(frame, binary) && core.state === 'open') this.#armResend(session);
    return true;
  }
}
