/** One message a client was asked to send, until it is acked (or written, in plain mode) or fails. */
export interface OutgoingMessage {
  /** Send order over all channels (for restoring order after a reconnect). */
  readonly order: number;
  readonly channel: string;
  /** Payload size in bytes (what the byte bound counts). */
  readonly size: number;
  /** The `semantest-v1` sequence number, assigned when first written; `0` before. */
  seq: number;
  /** The encoded frame (or the plain message), made at `send()` and reused for resends; the seq is stamped in when first written. */
  readonly wire: Uint8Array | string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The messages a client holds (internal): `unsent` (not written on the current connection, in send
 * order) and `inFlight` (written, awaiting their ack, per channel in seq order). Bounded by count and
 * bytes over both. Never drops on its own: callers decide, and every removal settles the message's
 * promise.
 */
export class Outbox {
  #unsent: OutgoingMessage[] = [];
  #unsentHead = 0;
  readonly #inFlight = new Map<string, OutgoingMessage[]>();
  #inFlightCount = 0;
  #count = 0;
  #bytes = 0;
  #order = 0;

  /** Messages held (unsent + in flight). */
  get count(): number {
    return this.#count;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Messages written and not yet acked. */
  get inFlight(): number {
    return this.#inFlightCount;
  }

  /** Messages not written on the current connection. */
  get unsent(): number {
    return this.#unsent.length - this.#unsentHead;
  }

  /** The next send-order number. */
  nextOrder(): number {
    return ++this.#order;
  }

  /** Appends a new message to the unsent queue. */
  add(message: OutgoingMessage): void {
    this.#unsent.push(message);
    this.#count++;
    this.#bytes += message.size;
  }

  /**
   * The oldest unsent messages never written on any connection (no seq yet: what `drop-oldest` may
   * drop), as few as free at least `count` messages and `bytes` bytes; `undefined` when even all of
   * them would not, so nothing is dropped in vain.
   */
  droppable(count: number, bytes: number): OutgoingMessage[] | undefined {
    const found: OutgoingMessage[] = [];
    let freed = 0;
    for (let i = this.#unsentHead; i < this.#unsent.length; i++) {
      if (found.length >= count && freed >= bytes) break;
      const m = this.#unsent[i]!;
      if (m.seq !== 0) continue;
      found.push(m);
      freed += m.size;
    }
    return found.length >= count && freed >= bytes ? found : undefined;
  }

  /** Removes an unsent message (after `droppable`); the caller settles it. */
  removeUnsent(message: OutgoingMessage): void {
    const i = this.#unsent.indexOf(message, this.#unsentHead);
    if (i < 0) return;
    this.#unsent.splice(i, 1);
    this.#count--;
    this.#bytes -= message.size;
  }

  /** Takes the next unsent message, to write it. */
  shift(): OutgoingMessage | undefined {
    if (this.#unsentHead >= this.#unsent.length) return undefined;
    const m = this.#unsent[this.#unsentHead]!;
    this.#unsent[this.#unsentHead] = undefined as unknown as OutgoingMessage;
    this.#unsentHead++;
    if (this.#unsentHead > 1024 && this.#unsentHead * 2 > this.#unsent.length) {
      this.#unsent = this.#unsent.slice(this.#unsentHead);
      this.#unsentHead = 0;
    }
    return m;
  }

  /** Forgets a message taken by `shift` that needs no ack (plain mode); the caller settles it. */
  release(message: OutgoingMessage): void {
    this.#count--;
    this.#bytes -= message.size;
  }

  /**
   * Numbers every held message again, in send order (a new session starts from seq 1). Only valid
   * when nothing is in flight (right after `requeueInFlight`).
   *
   * @param assign - gives a message its new seq (and re-stamps its frame)
   */
  renumber(assign: (message: OutgoingMessage) => number): void {
    for (let i = this.#unsentHead; i < this.#unsent.length; i++) {
      const m = this.#unsent[i]!;
      if (m.seq > 0) m.seq = assign(m);
    }
  }

  /** Records a written message as awaiting its ack. */
  markInFlight(message: OutgoingMessage): void {
    let list = this.#inFlight.get(message.channel);
    if (list === undefined) {
      list = [];
      this.#inFlight.set(message.channel, list);
    }
    list.push(message);
    this.#inFlightCount++;
  }

  /**
   * Removes what a cumulative ack covers: every in-flight message on `channel` with seq ≤ `seq`.
   *
   * @returns the acked messages, oldest first (the caller resolves them)
   */
  ack(channel: string, seq: number): OutgoingMessage[] {
    const list = this.#inFlight.get(channel);
    if (list === undefined) return [];
    let n = 0;
    while (n < list.length && list[n]!.seq <= seq) n++;
    if (n === 0) return [];
    const acked = list.splice(0, n);
    if (list.length === 0) this.#inFlight.delete(channel);
    this.#inFlightCount -= n;
    this.#count -= n;
    for (const m of acked) this.#bytes -= m.size;
    return acked;
  }

  /** The in-flight message with `seq` on `channel` (for a nack). */
  findInFlight(channel: string, seq: number): OutgoingMessage | undefined {
    return this.#inFlight.get(channel)?.find((m) => m.seq === seq);
  }

  /** Every in-flight message, in send order (for a resend after an ack timeout). */
  inFlightInOrder(): OutgoingMessage[] {
    return [...this.#inFlight.values()].flat().sort((a, b) => a.order - b.order);
  }

  /**
   * The connection is gone: every in-flight message becomes unsent again, ahead of the rest, all in
   * send order, so the next connection writes them first (they keep their seq).
   */
  requeueInFlight(): void {
    const back = this.inFlightInOrder();
    this.#inFlight.clear();
    this.#inFlightCount = 0;
    const rest = this.#unsent.slice(this.#unsentHead);
    this.#unsent = back.length === 0 ? rest : [...back, ...rest].sort((a, b) => a.order - b.order);
    this.#unsentHead = 0;
  }

  /**
   * After a resume: removes the unsent messages the server already has (seq ≤ its last received
   * seq on their channel).
   *
   * @returns the removed messages (the caller resolves them)
   */
  dropDelivered(lastSeq: Readonly<Record<string, number>>): OutgoingMessage[] {
    const delivered: OutgoingMessage[] = [];
    const keep: OutgoingMessage[] = [];
    for (let i = this.#unsentHead; i < this.#unsent.length; i++) {
      const m = this.#unsent[i]!;
      if (m.seq > 0 && m.seq <= (lastSeq[m.channel] ?? 0)) delivered.push(m);
      else keep.push(m);
    }
    this.#unsent = keep;
    this.#unsentHead = 0;
    this.#count -= delivered.length;
    for (const m of delivered) this.#bytes -= m.size;
    return delivered;
  }

  /** Removes everything (the client closed for good); the caller rejects them. */
  drain(): OutgoingMessage[] {
    const all = [...this.inFlightInOrder(), ...this.#unsent.slice(this.#unsentHead)];
    this.#inFlight.clear();
    this.#unsent = [];
    this.#unsentHead = 0;
    this.#inFlightCount = 0;
    this.#count = 0;
    this.#bytes = 0;
    return all;
  }
}
