/**
 * One unit of a scanned stream. Copies: a head or frame that lay inside one pushed chunk is a view
 * of that chunk (no copy); one that spanned chunks is one fresh copy; a fragment held for a later
 * chunk is copied when it is under half its chunk (so it does not pin the chunk). A `raw` unit is
 * the pushed chunk or a view of it, or one copy of the bytes held when the scanner gave up. Do not
 * mutate pushed chunks or units in place (use {@link flipPayloadBit}).
 */
export type ScanUnit = ScanHandshake | ScanControl | ScanMessage | ScanRaw;

/** The HTTP upgrade request or response, through the blank line (`\r\n\r\n`). */
export interface ScanHandshake {
  /** `'handshake'` */
  readonly kind: 'handshake';
  /** The head's bytes. */
  readonly bytes: Uint8Array;
}

/** One ping (9), pong (10) or close (8) frame; it may have arrived between fragments of a message. */
export interface ScanControl {
  /** `'control'` */
  readonly kind: 'control';
  /** 8 close, 9 ping, 10 pong. */
  readonly opcode: number;
  /** The frame's raw bytes. */
  readonly bytes: Uint8Array;
}

/**
 * One whole data message: its first frame (opcode 1 text, 2 binary) and its continuation frames
 * (opcode 0) through FIN, each frame's raw bytes (header included, unchanged).
 */
export interface ScanMessage {
  /** `'message'` */
  readonly kind: 'message';
  /** 1 text, 2 binary. */
  readonly opcode: 1 | 2;
  /** Each frame's raw bytes, in order. */
  readonly frames: Uint8Array[];
  /** The payload bytes of all frames together. */
  readonly payloadBytes: number;
  /** The first frame is masked (client → server). */
  readonly masked: boolean;
  /** The first frame has RSV1 set (permessage-deflate): the payload is opaque. */
  readonly compressed: boolean;
}

/** Bytes after the scanner gave up (see {@link WsFrameScanner.gaveUp}), to forward as they are. */
export interface ScanRaw {
  /** `'raw'` */
  readonly kind: 'raw';
  /** The bytes. */
  readonly bytes: Uint8Array;
}

/** @returns `piece` itself, or a copy when it is under half of `chunk` (so a held tail does not pin the whole chunk) */
export function retain(piece: Uint8Array, chunk: Uint8Array): Uint8Array {
  return piece.length * 2 < chunk.length ? new Uint8Array(piece) : piece; // a copy, also of a Buffer
}

/** @returns the parts as one array: the one non-empty part itself, or a copy of them all */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((part) => part.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const whole = new Uint8Array(nonEmpty.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of nonEmpty) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
