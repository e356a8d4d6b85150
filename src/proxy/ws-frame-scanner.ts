/**
 * A pure (no sockets, no timers) scanner that finds WebSocket message boundaries in one direction of
 * a TCP stream, so `ChaosProxy` can fault whole messages while forwarding the original bytes.
 *
 * @see RFC 6455 §5.2 (base framing), §5.4 (fragmentation), §5.5 (control frames)
 */
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber } from '../internal/options.js';
import { concat, retain, type ScanUnit } from './scan-unit.js';
import { type FrameHeader, readFrameHeader } from './ws-frame-header.js';

export type { ScanControl, ScanHandshake, ScanMessage, ScanRaw, ScanUnit } from './scan-unit.js';
export { type FrameHeader, flipPayloadBit, readFrameHeader } from './ws-frame-header.js';

/** Options of a {@link WsFrameScanner}. */
export interface WsFrameScannerOptions {
  /**
   * Expect an HTTP head (upgrade request or response) before the frames: `true` for a proxy that sees
   * the upgrade, `false` for a stream that starts with frames.
   * @default true
   */
  readonly handshake?: boolean;
  /**
   * The largest message payload (sum over its frames) the scanner holds; past it, it gives up and
   * passes every byte through as `raw` instead of buffering.
   * @default 67108864 (64 MiB)
   */
  readonly maxMessageBytes?: number;
}

/** What {@link WsFrameScanner.count} completed in one chunk. */
export interface ScanCounts {
  /** Whole data messages (a fragmented one counts once, with its last fragment). */
  readonly messages: number;
  /** Frames: the data frames of those messages, and control frames. */
  readonly frames: number;
}

/** The defaults of {@link WsFrameScannerOptions}. */
export const DEFAULT_WS_FRAME_SCANNER_OPTIONS: Readonly<Required<WsFrameScannerOptions>> = Object.freeze({
  handshake: true,
  maxMessageBytes: 64 * 1024 * 1024,
});

/** The longest HTTP head the scanner waits for before giving up. */
const MAX_HEAD_BYTES = 64 * 1024;
const CR = 13;
const LF = 10;
const GET = [0x47, 0x45, 0x54, 0x20]; // 'GET '
const HTTP = [0x48, 0x54, 0x54, 0x50]; // 'HTTP'
/** What `count()` files in place of bytes it did not keep. */
const NOTHING = new Uint8Array(0);

/** A data message whose final frame has not arrived yet. */
interface OpenMessage {
  readonly opcode: 1 | 2;
  readonly frames: Uint8Array[];
  payloadBytes: number;
  readonly masked: boolean;
  readonly compressed: boolean;
}

/**
 * Splits one direction of a WebSocket TCP stream into {@link ScanUnit}s: the HTTP head, control
 * frames, whole data messages, and (after a protocol violation) raw bytes. Units come out in wire
 * order of their last byte: a control frame that arrives between the fragments of a message comes
 * out before that message, so it is the one case where the units' bytes, concatenated, differ from
 * the input (the control frame moves ahead of the fragments; still a valid stream). Otherwise,
 * concatenating every unit's bytes gives back the input exactly, however it was split into chunks.
 *
 * Cost: per chunk, O(1) work per frame boundary (no loop over payload bytes), plus one copy of each
 * frame that spans chunks. A chunk boundary inside a frame holds only that frame's bytes.
 *
 * @example
 * ```ts
 * const scanner = new WsFrameScanner({ handshake: true });
 * socket.on('data', (chunk) => {
 *   for (const unit of scanner.push(chunk)) forward(unit);
 * });
 * ```
 * @see RFC 6455 §5
 */
export class WsFrameScanner {
  #mode: 'head' | 'frames' | 'raw';
  readonly #maxMessageBytes: number;
  /** Held bytes of the unit in progress (the HTTP head, or one partial frame). */
  #pieces: Uint8Array[] = [];
  #held = 0;
  /** The header of the partial frame once its header bytes are all held. */
  #header: FrameHeader | undefined;
  /** How many bytes of `\r\n\r\n` the HTTP head has matched so far. */
  #headMatch = 0;
  #message: OpenMessage | undefined;
  #messageHeld = 0;
  /** Inside `count()`: payload bytes are counted, not kept. */
  #counting = false;

  /**
   * @param options - whether an HTTP head comes first, and the largest message to hold
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` on an unknown key, a non-boolean
   *   `handshake`, or a `maxMessageBytes` that is not a safe integer >= 1
   */
  constructor(options: WsFrameScannerOptions = {}) {
    checkKnownKeys('WsFrameScanner', options, DEFAULT_WS_FRAME_SCANNER_OPTIONS);
    const handshake = options.handshake ?? DEFAULT_WS_FRAME_SCANNER_OPTIONS.handshake;
    if (typeof handshake !== 'boolean') {
      throw new OptionsError('WS_KIT_ERR_INVALID_OPTION', 'WsFrameScanner.handshake must be a boolean', {
        expected: 'a boolean',
        received: options.handshake,
      });
    }
    const max = options.maxMessageBytes ?? DEFAULT_WS_FRAME_SCANNER_OPTIONS.maxMessageBytes;
    const rule = { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true };
    this.#maxMessageBytes = checkNumber('WsFrameScanner.maxMessageBytes', max, rule);
    this.#mode = handshake ? 'head' : 'frames';
  }

  /** Bytes held waiting for the rest of a unit (a partial head or frame, and the frames of an unfinished message). */
  get pending(): number {
    return this.#held + this.#messageHeld;
  }

  /**
   * How many more bytes complete what is pending, so that the scanner then holds nothing: `0` when
   * nothing is pending; the rest of the partial frame when its header is known and it ends what is
   * open (an unfragmented or final frame, or a control frame outside a fragmented message);
   * `undefined` when that is not known yet (a partial header or HTTP head, or a fragmented message
   * whose final frame has not begun). A proxy forwarding bytes unparsed can split a chunk there to
   * start handling whole units mid-stream.
   */
  get bytesToBoundary(): number | undefined {
    if (this.pending === 0) return 0;
    const h = this.#header;
    if (this.#mode !== 'frames' || this.#held === 0 || h === undefined || !h.fin) return undefined;
    if (h.opcode >= 8 && this.#message !== undefined) return undefined; // the message stays open
    return h.headerBytes + h.payloadBytes - this.#held;
  }

  /** True once the scanner saw something it cannot parse; then every later byte comes back as `raw`. */
  get gaveUp(): boolean {
    return this.#mode === 'raw';
  }

  /**
   * Feeds the next TCP chunk. Never throws on bad input: on a protocol violation (reserved opcode or
   * RSV2/RSV3 bit, continuation without a start, a data frame inside a fragmented message, a control
   * frame over 125 bytes or fragmented, a message over `maxMessageBytes`, a head that is not an
   * HTTP upgrade) it returns everything held, then the rest, as `raw` units.
   *
   * @param chunk - the next bytes of the stream; do not modify it afterwards (units may view it)
   * @returns the units this chunk completed, in wire order
   */
  push(chunk: Uint8Array): ScanUnit[] {
    const out: ScanUnit[] = [];
    if (chunk.length === 0) return out;
    let at = this.#mode === 'head' ? this.#scanHead(chunk, out) : 0;
    while (this.#mode === 'frames' && at < chunk.length) at = this.#scanFrame(chunk, at, out);
    if (this.#mode === 'raw' && at < chunk.length) {
      out.push({ kind: 'raw', bytes: at === 0 ? chunk : chunk.subarray(at) });
    }
    return out;
  }

  /**
   * Like {@link WsFrameScanner.push}, for a stream forwarded unparsed: advances over `chunk` and
   * tells how many data messages and frames it completed, without keeping any payload (only the
   * bytes of a header split across chunks). `pending` and `bytesToBoundary` still count the
   * unfinished unit's bytes. Mix `push` and `count` only between whole units (`pending === 0`).
   *
   * @param chunk - the next bytes of the stream
   * @returns the data messages, and the frames (data and control), completed by this chunk
   */
  count(chunk: Uint8Array): ScanCounts {
    this.#counting = true;
    try {
      let messages = 0;
      let frames = 0;
      for (const u of this.push(chunk)) {
        if (u.kind === 'message') {
          messages++;
          frames += u.frames.length;
        } else if (u.kind === 'control') frames++;
      }
      return { messages, frames };
    } finally {
      this.#counting = false;
    }
  }

  /** Looks for the end of the HTTP head; @returns where the frames start in `chunk`. */
  #scanHead(chunk: Uint8Array, out: ScanUnit[]): number {
    for (let i = 0; i < chunk.length; i++) {
      const at = this.#held + i;
      const byte = chunk[i]!;
      if (at < 4) {
        const first = this.#pieces[0]?.[0] ?? chunk[0]; // 'G' for a request, 'H' for a response
        if (byte !== (first === GET[0] ? GET : HTTP)[at]) return this.#giveUp(out, 0);
      }
      if (at >= MAX_HEAD_BYTES) return this.#giveUp(out, 0);
      const want = this.#headMatch % 2 === 0 ? CR : LF;
      this.#headMatch = byte === want ? this.#headMatch + 1 : byte === CR ? 1 : 0;
      if (this.#headMatch === 4) {
        const head = this.#take(chunk.subarray(0, i + 1));
        out.push({ kind: 'handshake', bytes: head });
        this.#mode = isUpgrade(head) ? 'frames' : 'raw';
        return i + 1;
      }
    }
    this.#hold(chunk, chunk);
    return chunk.length;
  }

  /** Consumes one frame, or as much of one as `chunk` holds; @returns the next offset in `chunk`. */
  #scanFrame(chunk: Uint8Array, at: number, out: ScanUnit[]): number {
    if (this.#held === 0) {
      const header = readFrameHeader(chunk, at);
      if (header !== undefined && !this.#allows(header)) return this.#giveUp(out, at);
      const end =
        header === undefined ? Number.POSITIVE_INFINITY : at + header.headerBytes + header.payloadBytes;
      if (header !== undefined && end <= chunk.length) {
        this.#complete(header, chunk.subarray(at, end), chunk, out);
        return end;
      }
      this.#header = header;
      this.#hold(chunk.subarray(at), chunk);
      return chunk.length;
    }
    let header = this.#header;
    if (header === undefined) {
      const start = concat([...this.#pieces, chunk.subarray(at, at + 14 - this.#held)]);
      header = readFrameHeader(start);
      if (header === undefined) {
        this.#hold(chunk.subarray(at), chunk); // fewer than 14 bytes in all: the whole rest
        return chunk.length;
      }
      if (!this.#allows(header)) return this.#giveUp(out, at);
      this.#header = header;
    }
    const end = at + Math.min(header.headerBytes + header.payloadBytes - this.#held, chunk.length - at);
    this.#hold(chunk.subarray(at, end), chunk);
    if (this.#held === header.headerBytes + header.payloadBytes) {
      this.#header = undefined;
      this.#complete(header, this.#take(new Uint8Array(0)), chunk, out);
    }
    return end;
  }

  /** @returns whether a frame with this header may come next (RFC 6455 §5.2, §5.4, §5.5) */
  #allows(header: FrameHeader): boolean {
    const { opcode, payloadBytes } = header;
    if (header.rsv2 || header.rsv3) return false;
    if (opcode >= 8) return opcode <= 10 && header.fin && !header.rsv1 && payloadBytes <= 125;
    if (opcode === 0) {
      const open = this.#message;
      return open !== undefined && !header.rsv1 && open.payloadBytes + payloadBytes <= this.#maxMessageBytes;
    }
    return (
      (opcode === 1 || opcode === 2) && this.#message === undefined && payloadBytes <= this.#maxMessageBytes
    );
  }

  /** Files a whole frame: emits a control unit or a finished message, or keeps a fragment. */
  #complete(header: FrameHeader, frame: Uint8Array, chunk: Uint8Array, out: ScanUnit[]): void {
    const { opcode } = header;
    if (opcode >= 8) {
      out.push({ kind: 'control', opcode, bytes: frame });
      return;
    }
    const message: OpenMessage = this.#message ?? {
      opcode: opcode as 1 | 2,
      frames: [],
      payloadBytes: 0,
      masked: header.masked,
      compressed: header.rsv1,
    };
    message.payloadBytes += header.payloadBytes;
    if (!header.fin) {
      const kept = this.#counting ? NOTHING : retain(frame, chunk);
      message.frames.push(kept);
      this.#message = message;
      this.#messageHeld += header.headerBytes + header.payloadBytes; // `frame` is empty when counting
      return;
    }
    message.frames.push(frame);
    this.#message = undefined;
    this.#messageHeld = 0;
    const { frames, payloadBytes, masked, compressed } = message;
    out.push({ kind: 'message', opcode: message.opcode, frames, payloadBytes, masked, compressed });
  }

  /** Keeps `piece` (a part of `chunk`) for a later push; only counts it when counting a frame whose header is known. */
  #hold(piece: Uint8Array, chunk: Uint8Array): void {
    if (!(this.#counting && this.#mode === 'frames' && this.#header !== undefined)) {
      this.#pieces.push(retain(piece, chunk));
    } else if (this.#pieces.length > 0) this.#pieces = []; // the header's bytes, no longer needed
    this.#held += piece.length;
  }

  /** @returns the held pieces followed by `last`, as one array, and forgets the pieces */
  #take(last: Uint8Array): Uint8Array {
    const whole =
      this.#counting && this.#mode === 'frames'
        ? NOTHING
        : this.#pieces.length === 0
          ? last
          : concat([...this.#pieces, last]);
    this.#pieces = [];
    this.#held = 0;
    return whole;
  }

  /** Stops parsing: emits everything held as one `raw` unit; @returns `at`, where raw output resumes. */
  #giveUp(out: ScanUnit[], at: number): number {
    const held = [...(this.#message?.frames ?? []), this.#take(new Uint8Array(0))];
    const bytes = concat(held);
    if (bytes.length > 0) out.push({ kind: 'raw', bytes });
    this.#message = undefined;
    this.#messageHeld = 0;
    this.#header = undefined;
    this.#mode = 'raw';
    return at;
  }
}

/** @returns whether an HTTP head is a request (`GET …`) or a `101 Switching Protocols` response */
function isUpgrade(head: Uint8Array): boolean {
  if (head[0] === GET[0]) return true;
  const line = String.fromCharCode(...head.subarray(0, 13));
  return /^HTTP\/1\.[01] 101[ \r]/.test(line);
}
