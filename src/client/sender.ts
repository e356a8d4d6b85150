import type { TimerHandle } from '../clock/clock.js';
import { WsKitError } from '../errors.js';
import type { FramePayload } from '../framing/frame.js';
import { encodeFrame, MIN_FRAME_BYTES, restampSeq } from '../framing/frame-codec.js';
import { stringifyJsonPayload } from '../framing/json-value.js';
import { utf8Length } from '../framing/utf8.js';
import type { ResolvedClientOptions } from './client-options.js';
import type { ClientData, ClientOverflowEvent, ClientSendOptions } from './client-types.js';
import { Outbox, type OutgoingMessage } from './outbox.js';

/** What the sender needs from the client around it (internal). */
export interface SenderHost {
  readonly o: ResolvedClientOptions;
  /** A connection is up (and, with `semantest-v1`, welcomed). */
  ready(): boolean;
  /** Writes to the current socket and counts it. */
  write(data: Uint8Array | string): void;
  overflowed(event: ClientOverflowEvent): void;
  acked(channel: string, seq: number, count: number): void;
  /** Acks stopped coming for `maxRetries` timeouts: the link is treated as dead. */
  ackTimedOut(): void;
  /** A message is written again: after a reconnect (`resume`), or on an ack timeout or nack (`retry`). */
  resent(why: 'resume' | 'retry'): void;
}

/** How a `send()` promise is settled (internal). */
export interface Settle {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The sending half of a ResilientClient (internal): the bounded offline buffer and its overflow
 * policy, per-channel numbering, the ack window, ack timeouts and resends.
 */
export class Sender {
  readonly #host: SenderHost;
  readonly #outbox = new Outbox();
  readonly #seqs = new Map<string, number>();
  #ackTimer: TimerHandle | undefined;
  #ackRetries = 0;

  constructor(host: SenderHost) {
    this.#host = host;
  }

  /** Messages held (unsent and unacked). */
  get count(): number {
    return this.#outbox.count;
  }

  /** Messages written and not yet acked. */
  get inFlight(): number {
    return this.#outbox.inFlight;
  }

  /** Frames (or, in plain mode, serialises) `data`, applies the buffer bounds, queues and pumps. */
  enqueue(data: ClientData, options: ClientSendOptions, settle: Settle): void {
    const o = this.#host.o;
    const channel = options.channel ?? '';
    const priority = options.priority ?? 0;
    const payload: FramePayload =
      typeof data === 'string'
        ? { kind: 'text', data }
        : data instanceof Uint8Array
          ? { kind: 'binary', data }
          : { kind: 'json', data };
    let wire: Uint8Array | string;
    let size: number;
    if (o.protocol === 'plain') {
      wire =
        payload.kind === 'json'
          ? stringifyJsonPayload(payload.data, 'ResilientClient.send: data')
          : (payload.data as string | Uint8Array);
      size = typeof wire === 'string' ? utf8Length(wire) : wire.byteLength;
    } else {
      // checked and encoded now (a bad payload fails here); numbered when first written
      wire = encodeFrame({ kind: 'data', channel, seq: 0, priority, timestamp: o.clock.now(), payload });
      size = wire.byteLength - MIN_FRAME_BYTES - wire[24]!; // the payload: no header, channel or CRC
    }
    const message: OutgoingMessage = {
      order: this.#outbox.nextOrder(),
      channel,
      size,
      seq: 0,
      wire,
      resolve: settle.resolve,
      reject: settle.reject,
    };
    const overflow = this.#makeRoom(message);
    if (overflow?.refused) {
      message.reject(overflow.event.error);
      this.#host.overflowed(overflow.event);
      return;
    }
    this.#outbox.add(message);
    // told only once the buffer is consistent: an `overflow` listener may send() or close()
    if (overflow) this.#host.overflowed(overflow.event);
    this.pump();
  }

  /** Writes queued messages while connected (and, with acks, while the window has room). */
  pump(): void {
    const host = this.#host;
    const plain = host.o.protocol === 'plain';
    const window = host.o.ack.window;
    while (host.ready() && this.#outbox.unsent > 0 && (plain || this.#outbox.inFlight < window)) {
      const m = this.#outbox.shift()!;
      if (plain) {
        this.#outbox.release(m);
        host.write(m.wire);
        m.resolve();
        continue;
      }
      if (m.seq === 0) this.#number(m);
      else host.resent('resume');
      this.#outbox.markInFlight(m);
      host.write(m.wire);
      this.#armAckTimer();
    }
  }

  /** A cumulative ack: everything up to `seq` on `channel` is settled. */
  acked(channel: string, seq: number): void {
    const acked = this.#outbox.ack(channel, seq);
    if (acked.length === 0) return;
    for (const m of acked) m.resolve();
    this.#ackRetries = 0;
    this.#stopAckTimer();
    if (this.#outbox.inFlight > 0) this.#armAckTimer();
    this.#host.acked(channel, seq, acked.length);
    this.pump();
  }

  /** The server failed to verify `seq`: write it again. */
  nacked(channel: string, seq: number): void {
    const m = this.#outbox.findInFlight(channel, seq);
    if (!m) return;
    this.#host.resent('retry');
    this.#host.write(m.wire);
  }

  /** A `welcome` told what the server already has: settle those without resending. */
  welcomed(lastSeq: Readonly<Record<string, number>>): void {
    for (const m of this.#outbox.dropDelivered(lastSeq)) m.resolve();
  }

  /** The server lost our session: number everything held from 1 again. */
  restartNumbering(): void {
    this.#seqs.clear();
    this.#outbox.renumber((m) => this.#number(m));
  }

  /** The connection ended: written-but-unacked messages go back to the queue, in order. */
  disconnected(): void {
    this.#stopAckTimer();
    this.#ackRetries = 0;
    this.#outbox.requeueInFlight();
  }

  /** Closes for good: every held message is rejected with `error`; returns how many. */
  rejectAll(error: (held: number) => WsKitError): number {
    this.#stopAckTimer();
    const held = this.#outbox.drain();
    if (held.length > 0) {
      const e = error(held.length);
      for (const m of held) m.reject(e);
    }
    return held.length;
  }

  #number(m: OutgoingMessage): number {
    m.seq = (this.#seqs.get(m.channel) ?? 0) + 1;
    this.#seqs.set(m.channel, m.seq);
    restampSeq(m.wire as Uint8Array, m.seq);
    return m.seq;
  }

  /**
   * Applies the buffer bounds to a new message: `undefined` when it fits; else the overflow event,
   * with `refused` when the message itself is turned away (drop-oldest: the victims are gone).
   */
  #makeRoom(message: OutgoingMessage): { refused: boolean; event: ClientOverflowEvent } | undefined {
    const { maxMessages, maxBytes, overflow } = this.#host.o.buffer;
    const box = this.#outbox;
    if (box.count + 1 <= maxMessages && box.bytes + message.size <= maxBytes) return undefined;
    const error = new WsKitError(
      'WS_KIT_ERR_BUFFER_OVERFLOW',
      `ResilientClient buffer is full (${box.count} messages, ${box.bytes} bytes; maxMessages ${maxMessages}, maxBytes ${maxBytes}); policy '${overflow}'`,
      { expected: { maxMessages, maxBytes }, received: { messages: box.count, bytes: box.bytes } },
    );
    if (overflow === 'drop-oldest') {
      // only when dropping makes room: a message too big for the buffer does not empty it in vain
      const victims = box.droppable(box.count + 1 - maxMessages, box.bytes + message.size - maxBytes);
      if (victims) {
        for (const old of victims) {
          box.removeUnsent(old);
          old.reject(error);
        }
        return { refused: false, event: { policy: overflow, dropped: victims.length, error } };
      }
    }
    return { refused: true, event: { policy: overflow, dropped: 1, error } };
  }

  #armAckTimer(): void {
    if (this.#ackTimer !== undefined) return;
    const { clock, ack } = this.#host.o;
    this.#ackTimer = clock.setTimeout(() => {
      this.#ackTimer = undefined;
      if (this.#outbox.inFlight === 0) return;
      if (++this.#ackRetries > ack.maxRetries) {
        this.#host.ackTimedOut();
        return;
      }
      for (const m of this.#outbox.inFlightInOrder()) {
        this.#host.resent('retry');
        this.#host.write(m.wire);
      }
      this.#armAckTimer();
    }, ack.timeoutMs);
  }

  #stopAckTimer(): void {
    this.#host.o.clock.clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }
}
