/**
 * Whether a frame that failed its checksum still names a readable data (channel, seq) to nack: used
 * by the server endpoint and by ResilientClient. A module of its own, free of top-level objects, so
 * that a browser bundle of the client carries only what it calls.
 */
import { MAX_CHANNEL_BYTES } from '../../framing/frame.js';
import { MIN_FRAME_BYTES } from '../../framing/frame-codec.js';

const fatalUtf8 = (): InstanceType<typeof TextDecoder> => new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the channel and seq of a frame that failed its checksum, when it plausibly is a sequenced
 * data frame: binary input with version 1, kind `data`, lengths adding up, seq in `[1, 2^53 − 1]`,
 * a valid UTF-8 channel; or a JSON envelope that parses with `"kind":"data"`, an integer seq ≥ 1
 * and a string channel. The fields are unverified (the corruption may sit in them), so a nack
 * built from them is a best-effort request; a wrong guess costs one redundant resend.
 *
 * @param input - the message as received
 * @param text - whether it is a JSON envelope
 * @returns the channel and seq to nack, or `undefined`
 */
export function readableDataHeader(
  input: Uint8Array | string,
  text: boolean,
): { channel: string; seq: number } | undefined {
  try {
    return text ? fromEnvelope(input) : fromBinary(input);
  } catch {
    return undefined;
  }
}

/**
 * {@link readableDataHeader} for binary frames only (what ResilientClient receives), so that a
 * browser bundle does not carry the JSON-envelope reader.
 *
 * @param input - the binary message as received
 * @returns the channel and seq to nack, or `undefined`
 */
export function readableBinaryDataHeader(input: Uint8Array): { channel: string; seq: number } | undefined {
  try {
    return fromBinary(input);
  } catch {
    return undefined;
  }
}

function fromBinary(input: Uint8Array | string): { channel: string; seq: number } | undefined {
  if (typeof input === 'string' || input.length < MIN_FRAME_BYTES) return undefined;
  if (input[0] !== 1 || input[1] !== 1) return undefined;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const payloadLength = view.getUint32(20);
  const channelLength = input[24]!;
  if (MIN_FRAME_BYTES + channelLength + payloadLength !== input.length) return undefined;
  const seq = view.getUint32(4) * 2 ** 32 + view.getUint32(8);
  if (seq < 1 || seq > Number.MAX_SAFE_INTEGER) return undefined;
  const channel = fatalUtf8().decode(input.subarray(25, 25 + channelLength));
  return { channel, seq };
}

function fromEnvelope(input: Uint8Array | string): { channel: string; seq: number } | undefined {
  const text = typeof input === 'string' ? input : fatalUtf8().decode(input);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, seq, channel } = value as Record<string, unknown>;
  if (kind !== 'data' || typeof channel !== 'string' || typeof seq !== 'number') return undefined;
  if (!Number.isInteger(seq) || seq < 1 || seq > Number.MAX_SAFE_INTEGER) return undefined;
  if (new TextEncoder().encode(channel).length > MAX_CHANNEL_BYTES) return undefined;
  return { channel, seq };
}
