import { checkNumber } from '../internal/options.js';
import { createRandom, randomInt } from '../internal/random.js';
import { ackFrame, pingFrame } from './control-frames.js';
import type { Frame, FramePayload } from './frame.js';
import { FLOAT_SAMPLES, UNICODE_SAMPLES } from './samples.js';
import { Sequencer } from './sequencer.js';
import { base64Blob, binaryOfBytes, float64Bytes, mixedArray, nestedJson, textOfBytes } from './test-data.js';

/** The channels {@link mixedStream} spreads frames over: default, ASCII, non-ASCII, and astral. */
export const MIXED_STREAM_CHANNELS: readonly string[] = Object.freeze([
  '',
  'chat:room-1',
  'ticker',
  'ünïcødé-☃',
  '🦊-den',
]);

/** The epoch-millisecond timestamp of the first frame {@link mixedStream} yields. */
const FIRST_TIMESTAMP = 1_700_000_000_000;

function payload(i: number, seed: number, random: () => number): FramePayload {
  const size = randomInt(random, 0, 2048);
  const unicode = Object.values(UNICODE_SAMPLES);
  switch (i % 9) {
    case 0:
      return { kind: 'text', data: textOfBytes(size, seed) };
    case 1:
      return { kind: 'text', data: unicode[i % unicode.length]! };
    case 2:
      return { kind: 'text', data: base64Blob(size, seed) };
    case 3:
      return { kind: 'binary', data: binaryOfBytes(size, seed) };
    case 4:
      return { kind: 'binary', data: float64Bytes(FLOAT_SAMPLES.map((s) => s.value)) };
    case 5:
      return { kind: 'json', data: nestedJson(randomInt(random, 0, 12), randomInt(random, 1, 6), seed) };
    case 6:
      return { kind: 'json', data: mixedArray(randomInt(random, 0, 40), seed) };
    case 7:
      return {
        kind: 'json',
        data: { floats: FLOAT_SAMPLES.filter((s) => s.json).map((s) => s.value), text: unicode },
      };
    default:
      return { kind: 'binary', data: new Uint8Array(0) };
  }
}

/**
 * Yields a deterministic stream of frames mixing every payload kind (text of mixed UTF-8 widths,
 * Unicode edge cases, base64 blobs, random bytes, float64 bytes, nested JSON, mixed arrays, empty
 * payloads) over the channels of {@link MIXED_STREAM_CHANNELS}, sequenced per channel from 1,
 * with random priorities and increasing sub-millisecond timestamps. About one frame in twelve is
 * a control frame (`ack` or `ping`). Payloads are up to ~2 KiB.
 *
 * @param count - how many frames to yield, an integer in `[0, 2^32]`
 * @param seed - the seed of the generator
 * @returns an iterator of complete frames; `decodeFrame(encodeFrame(f))` deep-equals each `f`
 * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a count out of range
 * @example
 * ```ts
 * for (const frame of mixedStream(100, 42)) {
 *   expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
 * }
 * ```
 */
export function* mixedStream(count: number, seed = 1): Generator<Frame, void, undefined> {
  checkNumber('mixedStream: count', count, { integer: true, min: 0, max: 2 ** 32 }, 'argument');
  const random = createRandom(seed);
  const sequencer = new Sequencer();
  let timestamp = FIRST_TIMESTAMP;
  for (let i = 0; i < count; i++) {
    timestamp += randomInt(random, 1, 4000) / 8; // 0.125 ms steps: exact in binary and decimal
    const channel = MIXED_STREAM_CHANNELS[randomInt(random, 0, MIXED_STREAM_CHANNELS.length - 1)]!;
    if (i % 12 === 11) {
      yield i % 24 === 23 ? pingFrame(i, timestamp) : ackFrame(channel, sequencer.peek(channel), timestamp);
      continue;
    }
    yield {
      version: 1,
      kind: 'data',
      channel,
      priority: randomInt(random, 0, 255),
      seq: sequencer.next(channel),
      timestamp,
      payload: payload(i, (seed + i) >>> 0, random),
    };
  }
}
