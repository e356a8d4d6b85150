import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { FrameError } from '../errors.js';
import { crc32c } from './crc32c.js';
import type { FrameInit } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';

/** Rewrites the trailing CRC32C so a deliberately altered frame passes the checksum. */
function reseal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(
    bytes.length - 4,
    crc32c(bytes.subarray(0, bytes.length - 4)),
  );
  return bytes;
}

const base: FrameInit = {
  channel: 'chat:1',
  seq: 7,
  timestamp: 1700000000000.25,
  payload: { kind: 'text', data: 'hi' },
};

describe('decodeFrame rejects', () => {
  it('an empty input as truncated', () => {
    expectError(
      () => decodeFrame(new Uint8Array(0)),
      FrameError,
      'WS_KIT_ERR_FRAME_TRUNCATED',
      'decodeFrame: 0 bytes is shorter than the 29-byte minimum',
    );
  });

  it('an unknown version before anything else', () => {
    expectError(
      () => decodeFrame(Uint8Array.of(2, 1)),
      FrameError,
      'WS_KIT_ERR_FRAME_VERSION',
      'decodeFrame: unknown protocol version 2',
    );
  });

  it('a frame cut short', () => {
    const bytes = encodeFrame(base);
    expectError(
      () => decodeFrame(reseal(bytes.slice(0, bytes.length - 1))),
      FrameError,
      'WS_KIT_ERR_FRAME_TRUNCATED',
      `decodeFrame: the header declares ${bytes.length} bytes, got ${bytes.length - 1}`,
    );
  });

  it('trailing bytes after the checksum', () => {
    const bytes = encodeFrame(base);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectError(
      () => decodeFrame(reseal(longer)),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      `decodeFrame: the header declares ${bytes.length} bytes, got ${bytes.length + 1} (trailing bytes)`,
    );
  });

  it('a declared payload over maxPayloadBytes before reading it', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'binary', data: new Uint8Array(100) } });
    expectError(
      () => decodeFrame(reseal(bytes.slice(0, 40)), { maxPayloadBytes: 99 }),
      FrameError,
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      'decodeFrame: payload of 100 bytes exceeds maxPayloadBytes 99',
    );
  });

  it('a bit flipped in any byte — lengths, version and kind included — as FRAME_CHECKSUM, never a structural error', () => {
    const bytes = encodeFrame(base);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = bytes.slice();
        copy[i]! ^= 1 << bit;
        expect(() => decodeFrame(copy), `byte ${i} bit ${bit}`).toThrow(
          expect.objectContaining({ code: 'WS_KIT_ERR_FRAME_CHECKSUM' }),
        );
      }
    }
  });

  it('a corrupted byte with FRAME_CHECKSUM', () => {
    const bytes = encodeFrame(base);
    bytes[30]! ^= 0x20;
    expectError(
      () => decodeFrame(bytes),
      FrameError,
      'WS_KIT_ERR_FRAME_CHECKSUM',
      expect.stringMatching(
        /^decodeFrame: CRC32C mismatch \(frame says 0x[0-9a-f]{8}, contents give 0x[0-9a-f]{8}\)$/,
      ) as never,
    );
  });

  it('an unknown kind code', () => {
    const bytes = encodeFrame(base);
    bytes[1] = 9;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_KIND',
      'decodeFrame: unknown frame kind code 9',
    );
  });

  it('kind code 0', () => {
    const bytes = encodeFrame(base);
    bytes[1] = 0;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_KIND',
      'decodeFrame: unknown frame kind code 0',
    );
  });

  it('reserved flag bits', () => {
    const bytes = encodeFrame(base);
    bytes[2]! |= 0x80;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeFrame: reserved flag bits set (flags 0x81)',
    );
  });

  it('payload kind code 3', () => {
    const bytes = encodeFrame(base);
    bytes[2] = 3;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeFrame: unknown payload kind code 3',
    );
  });

  it('a seq above 2^53 − 1', () => {
    const bytes = encodeFrame({ ...base, seq: Number.MAX_SAFE_INTEGER });
    bytes[5] = 0x20;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeFrame: seq exceeds Number.MAX_SAFE_INTEGER',
    );
  });

  it('a non-finite timestamp', () => {
    const bytes = encodeFrame(base);
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(12, Number.POSITIVE_INFINITY);
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeFrame: timestamp is Infinity',
    );
  });

  it('a channel that is not UTF-8', () => {
    const bytes = encodeFrame({ ...base, channel: 'ab' });
    bytes[25] = 0xff;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeFrame: channel is not valid UTF-8',
    );
  });

  it('a text payload that is not UTF-8', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'text', data: 'ab' } });
    bytes[25] = 0xc3;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeFrame: text payload is not valid UTF-8',
    );
  });

  it('a JSON payload that is not UTF-8', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'json', data: 'ab' } });
    bytes[26] = 0xc3;
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      'decodeFrame: json payload is not valid UTF-8',
    );
  });

  it('a JSON payload that does not parse', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'json', data: [1, 2] } });
    bytes[27] = 0x3a; // [1:2]
    expectError(
      () => decodeFrame(reseal(bytes)),
      FrameError,
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      expect.stringMatching(/^decodeFrame: payload is not valid JSON: SyntaxError: /) as never,
    );
  });

  it('input that is not bytes', () => {
    expectError(
      () => decodeFrame('frame' as never),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeFrame: input must be a Uint8Array or ArrayBuffer, got "frame"',
    );
  });
});
