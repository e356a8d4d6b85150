import type { Clock, TimerHandle } from '../clock/index.js';
import { checkKnownKeys, checkNumber, checkObject } from '../internal/options.js';
import type { Direction, LogFault } from './fault-log.js';
import { flipPayloadBit, readFrameHeader, unmaskedPayload } from './ws-frame-header.js';
import type { ScanUnit } from './ws-frame-scanner.js';

/** What a fault predicate is told about one data message. */
export interface MessageInfo {
  /** The proxy connection's id. */
  readonly connection: number;
  /** Which way the message travels. */
  readonly direction: Direction;
  /** Its index among the data messages of this connection and direction, from 0. */
  readonly index: number;
  /** 1 text, 2 binary. */
  readonly opcode: 1 | 2;
  /** Payload bytes (compressed size when `compressed`). */
  readonly payloadBytes: number;
  /** Sent with permessage-deflate: the payload is opaque. */
  readonly compressed: boolean;
  /** The payload, unmasked and joined across fragments (computed when called). */
  payload(): Uint8Array;
}

/** A probability in [0, 1] drawn from the proxy's seed, or a predicate choosing messages. */
export type Chance = number | ((message: MessageInfo) => boolean);

/**
 * Frame-level faults of one direction: each data message (text or binary, fragmented or not) can be
 * dropped, duplicated, corrupted (one payload bit flipped), delayed, or reordered. Control frames
 * (ping, pong, close) and the handshake always pass.
 */
export interface MessageFaults {
  /** Drop the message. @default 0 */
  readonly drop?: Chance;
  /** Send it twice. @default 0 */
  readonly duplicate?: Chance;
  /** Flip one random bit of its payload (a text message may then be invalid UTF-8: the receiver closes 1007). @default 0 */
  readonly corrupt?: Chance;
  /** Hold it for `delayMs` while later messages pass (so it arrives late and out of order). @default 0 */
  readonly delay?: Chance;
  /** How long a delayed message is held, ms. @default 100 */
  readonly delayMs?: number;
  /** Hold it until 1 to `reorderWindow` later messages have passed (at most `reorderMaxMs`). @default 0 */
  readonly reorder?: Chance;
  /** The most later messages a reordered one lets pass. @default 3 */
  readonly reorderWindow?: number;
  /** A reordered message is released after this long even when no later message came, ms. @default 100 */
  readonly reorderMaxMs?: number;
}

/** Every {@link MessageFaults} field, resolved. */
export type ResolvedMessageFaults = Required<MessageFaults>;

/** The defaults of {@link MessageFaults}: no faults. */
export const DEFAULT_MESSAGE_FAULTS: Readonly<ResolvedMessageFaults> = Object.freeze({
  drop: 0,
  duplicate: 0,
  corrupt: 0,
  delay: 0,
  delayMs: 100,
  reorder: 0,
  reorderWindow: 3,
  reorderMaxMs: 100,
});

const CHANCES = ['drop', 'duplicate', 'corrupt', 'delay', 'reorder'] as const;

/**
 * Checks `faults` and merges them over `base`.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` naming the field
 */
export function mergeMessageFaults(
  name: string,
  base: ResolvedMessageFaults,
  faults: MessageFaults | undefined,
): ResolvedMessageFaults {
  if (faults === undefined) return base;
  checkObject(name, faults);
  checkKnownKeys(name, faults, DEFAULT_MESSAGE_FAULTS);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(faults)) {
    if (value === undefined) continue;
    if ((CHANCES as readonly string[]).includes(key)) {
      if (typeof value !== 'function') checkNumber(`${name}.${key}`, value, { min: 0, max: 1 });
    } else if (key === 'reorderWindow') checkNumber(`${name}.${key}`, value, { min: 1, integer: true });
    else checkNumber(`${name}.${key}`, value, { min: 0 });
    out[key] = value;
  }
  return out as ResolvedMessageFaults;
}

/** Whether any message fault is on. */
export function hasMessageFaults(f: ResolvedMessageFaults): boolean {
  return CHANCES.some((k) => f[k] !== 0);
}

interface Held {
  /** The message's index: only later messages pass it. */
  readonly index: number;
  readonly bytes: Uint8Array[];
  /** A reorder: released once this many later messages passed; a delay: by its timer only. */
  readonly releaseAfter: number | undefined;
  /** Later messages that went out while it was held. */
  passed: number;
  /** When it was held, on the proxy's clock. */
  readonly since: number;
  /** How long its timer holds it, ms. */
  readonly ms: number;
  readonly timer: TimerHandle;
}

/**
 * Applies {@link MessageFaults} to the units of one direction of one connection (internal). Draws
 * come from a random source seeded per connection and direction, in a fixed order per message, so
 * the same traffic under the same seed meets the same faults.
 */
export class MessageFaulter {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #connection: number;
  readonly #direction: Direction;
  readonly #log: LogFault;
  readonly #out: (bytes: Uint8Array) => void;
  #faults: ResolvedMessageFaults = DEFAULT_MESSAGE_FAULTS;
  #index = 0;
  /** Delayed and reordered messages, in message order (they are held as they come). */
  readonly #held = new Set<Held>();

  constructor(
    clock: Clock,
    random: () => number,
    where: { connection: number; direction: Direction },
    log: LogFault,
    out: (bytes: Uint8Array) => void,
  ) {
    this.#clock = clock;
    this.#random = random;
    this.#connection = where.connection;
    this.#direction = where.direction;
    this.#log = log;
    this.#out = out;
  }

  /** The faults in force. */
  set faults(faults: ResolvedMessageFaults) {
    this.#faults = faults;
  }

  /** Whether delayed or reordered messages are waiting. */
  get holding(): boolean {
    return this.#held.size > 0;
  }

  /** Data messages forwarded while no fault was on: they take their indexes all the same. */
  skip(messages: number): void {
    this.#index += messages;
  }

  /** One scanned unit: data messages meet the faults; everything else passes unchanged. */
  unit(unit: ScanUnit): void {
    if (unit.kind !== 'message') {
      this.#out(unit.bytes);
      return;
    }
    const index = this.#index++;
    const info = this.#info(unit, index);
    const f = this.#faults;
    const where = this.#where(index);
    if (this.#hit(f.drop, info)) {
      this.#log({ kind: 'drop', ...where });
      return;
    }
    let frames = unit.frames;
    if (this.#hit(f.corrupt, info)) frames = this.#corrupt(frames, where);
    const copies = this.#hit(f.duplicate, info) ? 2 : 1;
    if (copies === 2) this.#log({ kind: 'duplicate', ...where });
    const bytes = copies === 2 ? [...frames, ...frames] : frames;
    // Held messages are logged when they go out, with what really passed them: a reorder that no
    // later message passed (its timer fired first, or the connection closed gracefully) was only a
    // delay; one still held when the connection is destroyed is logged as a drop by close().
    if (this.#hit(f.delay, info)) {
      this.#hold(index, bytes, undefined, f.delayMs);
      return;
    }
    if (this.#hit(f.reorder, info)) {
      const after = 1 + Math.floor(this.#random() * f.reorderWindow);
      this.#hold(index, bytes, after, f.reorderMaxMs);
      return;
    }
    this.#emit(bytes);
    this.#went(index);
  }

  /** Writes out everything held, in message order (the connection is closing and its bytes still flow). */
  flush(): void {
    for (const held of [...this.#held]) this.#release(held);
  }

  /**
   * The connection is gone: every message still held is lost with it, and logged as a `drop`
   * (`detail.held`: the fault that held it), so the log still accounts for every message.
   */
  close(): void {
    for (const held of this.#held) {
      this.#clock.clearTimeout(held.timer);
      const fault = held.releaseAfter === undefined ? 'delay' : 'reorder';
      this.#log({ kind: 'drop', ...this.#where(held.index), detail: { held: fault } });
    }
    this.#held.clear();
  }

  #hit(chance: Chance, info: MessageInfo): boolean {
    if (typeof chance === 'function') return chance(info);
    if (chance === 0) return false;
    return this.#random() < chance;
  }

  #emit(frames: readonly Uint8Array[]): void {
    for (const frame of frames) this.#out(frame);
  }

  #where(message: number): { connection: number; direction: Direction; message: number } {
    return { connection: this.#connection, direction: this.#direction, message };
  }

  #hold(index: number, bytes: Uint8Array[], releaseAfter: number | undefined, ms: number): void {
    const held: Held = {
      index,
      bytes,
      releaseAfter,
      passed: 0,
      since: this.#clock.now(),
      ms,
      timer: this.#clock.setTimeout(() => this.#release(held, true), ms),
    };
    this.#held.add(held);
  }

  /**
   * Message `index` went out: it passed every message held from before it, and a reordered one goes
   * once its number of later messages passed it (a dropped or still-held message passes nobody).
   */
  #went(index: number): void {
    if (this.#held.size === 0) return; // the common case: no copy per message
    for (const held of [...this.#held]) {
      if (held.index >= index) continue;
      held.passed++;
      if (held.releaseAfter !== undefined && held.passed >= held.releaseAfter) this.#release(held);
    }
  }

  /** Sends a held message on and logs what it went through (`byTimer`: held its full time). */
  #release(held: Held, byTimer = false): void {
    if (!this.#held.delete(held)) return;
    this.#clock.clearTimeout(held.timer);
    const where = this.#where(held.index);
    const ms = byTimer ? held.ms : Math.round(Math.max(0, this.#clock.now() - held.since));
    if (held.releaseAfter !== undefined && held.passed > 0)
      this.#log({ kind: 'reorder', ...where, detail: { after: held.passed } });
    else this.#log({ kind: 'delay', ...where, detail: { ms, after: held.passed } });
    this.#emit(held.bytes);
    this.#went(held.index);
  }

  #corrupt(
    frames: Uint8Array[],
    where: { connection: number; direction: Direction; message: number },
  ): Uint8Array[] {
    const withPayload = frames
      .map((frame, i) => ({ i, bits: (readFrameHeader(frame)?.payloadBytes ?? 0) * 8 }))
      .filter((f) => f.bits > 0);
    if (withPayload.length === 0) return frames; // an empty message has no bit to flip
    const pick = withPayload[Math.floor(this.#random() * withPayload.length)]!;
    const bit = Math.floor(this.#random() * pick.bits);
    this.#log({ kind: 'corrupt', ...where, detail: { frame: pick.i, bit } });
    const out = [...frames];
    out[pick.i] = flipPayloadBit(frames[pick.i]!, bit);
    return out;
  }

  #info(unit: Extract<ScanUnit, { kind: 'message' }>, index: number): MessageInfo {
    return {
      connection: this.#connection,
      direction: this.#direction,
      index,
      opcode: unit.opcode,
      payloadBytes: unit.payloadBytes,
      compressed: unit.compressed,
      payload: () => unmaskedPayload(unit.frames),
    };
  }
}
