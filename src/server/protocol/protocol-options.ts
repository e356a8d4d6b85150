import { OptionsError } from '../../errors.js';
import { DEFAULT_FRAME_CODEC_OPTIONS } from '../../framing/index.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, formatValue } from '../../internal/options.js';

/** What {@link ServerProtocolEndpoint.sendData} does when the replay buffer (or the pre-hello queue) is full. */
export type OverflowPolicy = 'reject' | 'drop-oldest' | 'error';

/** Which encoding the endpoint writes: binary frames, JSON text envelopes, or whatever the client's `hello` used. */
export type ProtocolEncoding = 'auto' | 'binary' | 'json';

/** Options of {@link ServerProtocolEndpoint}; every field is optional. */
export interface ServerProtocolOptions {
  /**
   * Send the cumulative `ack` of a channel as soon as this many new frames were delivered on it
   * since its last ack (an integer in `[1, 65535]`). `1` acks every frame.
   * @default 32
   */
  readonly ackEvery?: number;
  /**
   * Send every pending `ack` at most this many milliseconds after the first frame it covers
   * arrived, even if `ackEvery` was not reached (`[0, 60000]`).
   * @default 20
   */
  readonly ackDelayMs?: number;
  /**
   * When server → client frames stay unacked this long (ms), the oldest of them (at most 64) are
   * sent again — the last frame of a burst that was lost or corrupted on the way has no later frame
   * to reveal the gap, so only a timer recovers it. `0` turns it off (`[0, 600000]`).
   * @default 3000
   */
  readonly resendAfterMs?: number;
  /**
   * The most server → client data frames a session keeps until the client acks them (an integer ≥ 1).
   * @default 1024
   */
  readonly maxReplayFrames?: number;
  /**
   * The most bytes (binary encoding) of unacked server → client frames a session keeps (an integer ≥ 29).
   * @default 8388608 (8 MiB)
   */
  readonly maxReplayBytes?: number;
  /**
   * What `sendData` does when the replay buffer is full: `'reject'` returns `false`, `'drop-oldest'`
   * drops the oldest unacked frames (naming them in the `overflow` event), `'error'` throws. Every
   * policy emits `overflow` first.
   * @default 'error'
   */
  readonly overflow?: OverflowPolicy;
  /**
   * The most out-of-order client → server frames a session holds while waiting for a gap to fill
   * (an integer ≥ 0). Beyond it a frame is not accepted (not acked, so the client still holds it) and
   * an `overflow` event is emitted.
   * @default 1024
   */
  readonly maxReorderFrames?: number;
  /**
   * Whether a gap in a channel's sequence is answered with a `nack` of its first missing seq.
   * @default true
   */
  readonly nackGaps?: boolean;
  /**
   * The encoding of frames the endpoint sends: `'binary'`, `'json'` (text envelopes), or `'auto'`,
   * the encoding of the client's `hello` (before it, of the message being answered).
   * @default 'auto'
   */
  readonly encoding?: ProtocolEncoding;
  /**
   * The largest payload the decoder reads, in bytes; a bigger frame is a protocol error with close
   * code 1009 (an integer in `[0, 2^32 − 1]`).
   * @default 16777216 (16 MiB)
   */
  readonly maxPayloadBytes?: number;
}

/** The defaults of every {@link ServerProtocolOptions} field. */
export const DEFAULT_SERVER_PROTOCOL_OPTIONS: Readonly<Required<ServerProtocolOptions>> = Object.freeze({
  ackEvery: 32,
  ackDelayMs: 20,
  resendAfterMs: 3000,
  maxReplayFrames: 1024,
  maxReplayBytes: 8 * 1024 * 1024,
  overflow: 'error',
  maxReorderFrames: 1024,
  nackGaps: true,
  encoding: 'auto',
  maxPayloadBytes: DEFAULT_FRAME_CODEC_OPTIONS.maxPayloadBytes,
});

/**
 * Validates {@link ServerProtocolOptions} and applies the defaults (internal).
 *
 * @param options - what the user passed
 * @returns the effective options, frozen
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
 */
export function resolveServerProtocolOptions(
  options: ServerProtocolOptions = {},
): Readonly<Required<ServerProtocolOptions>> {
  const name = 'ServerProtocolEndpoint';
  checkObject(`${name} options`, options);
  checkKnownKeys(name, options, DEFAULT_SERVER_PROTOCOL_OPTIONS);
  const o = { ...DEFAULT_SERVER_PROTOCOL_OPTIONS, ...options };
  checkNumber(`${name}.ackEvery`, o.ackEvery, { integer: true, min: 1, max: 65535 });
  checkNumber(`${name}.ackDelayMs`, o.ackDelayMs, { min: 0, max: 60_000 });
  checkNumber(`${name}.resendAfterMs`, o.resendAfterMs, { min: 0, max: 600_000 });
  checkNumber(`${name}.maxReplayFrames`, o.maxReplayFrames, { integer: true, min: 1 });
  checkNumber(`${name}.maxReplayBytes`, o.maxReplayBytes, { integer: true, min: 29 });
  checkOneOf(`${name}.overflow`, o.overflow, ['reject', 'drop-oldest', 'error']);
  checkNumber(`${name}.maxReorderFrames`, o.maxReorderFrames, { integer: true, min: 0 });
  if (typeof o.nackGaps !== 'boolean') {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `${name}.nackGaps must be a boolean, got ${formatValue(o.nackGaps)}`,
      { expected: 'boolean', received: o.nackGaps },
    );
  }
  checkOneOf(`${name}.encoding`, o.encoding, ['auto', 'binary', 'json']);
  checkNumber(`${name}.maxPayloadBytes`, o.maxPayloadBytes, { integer: true, min: 0, max: 0xffffffff });
  return Object.freeze(o);
}
