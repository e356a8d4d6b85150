import * as ws from 'ws';
import type { MessageData } from './received-message.js';

/** `ws`'s frame builder (`Sender.frame`, exported by `ws` but missing from @types/ws). */
type FrameBuilder = (
  data: Buffer,
  options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
) => Buffer[];
const buildFrame: FrameBuilder = (ws as unknown as { Sender: { frame: FrameBuilder } }).Sender.frame;

const OPCODE_TEXT = 1;
const OPCODE_BINARY = 2;

/**
 * One message on its way to many plain (not `semantest-v1`) connections: a broadcast encodes and
 * frames it once, and writes the same server → client frame to every socket (internal). The frame
 * is a snapshot: changing the caller's array afterwards changes nothing.
 */
export class WireMessage {
  /** Text as a string, binary as bytes (the caller's). */
  readonly data: string | Uint8Array;
  readonly binary: boolean;
  /** The payload size in bytes. */
  readonly byteLength: number;
  /** The whole unmasked frame, header and payload in one buffer. */
  readonly frame: Buffer;

  /** @param data - a string as a text message, bytes as a binary one, anything else as JSON text */
  constructor(data: MessageData) {
    this.data = typeof data === 'string' || data instanceof Uint8Array ? data : JSON.stringify(data);
    this.binary = typeof this.data !== 'string';
    const payload =
      typeof this.data === 'string'
        ? Buffer.from(this.data, 'utf8')
        : Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    this.byteLength = payload.byteLength;
    const parts = buildFrame(payload, {
      fin: true,
      opcode: this.binary ? OPCODE_BINARY : OPCODE_TEXT,
      mask: false,
      readOnly: true,
      rsv1: false,
    });
    this.frame = Buffer.concat(parts); // a copy of the payload, too
  }
}
