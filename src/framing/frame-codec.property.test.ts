import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError } from '../errors.js';
import { crc32c } from './crc32c.js';
import type { Frame, FramePayload, JsonValue } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';

/** JSON carries every value but -0 exactly; the codecs reject -0, so generate +0 instead. */
function withoutNegativeZero(value: JsonValue): JsonValue {
  if (typeof value === 'number') return value + 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
  }
  return value;
}

const payloadArb: fc.Arbitrary<FramePayload> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((data) => ({ kind: 'binary' as const, data })),
  fc.string({ unit: 'binary', maxLength: 80 }).map((data) => ({ kind: 'text' as const, data })),
  fc
    .jsonValue({ maxDepth: 4 })
    .map((data) => ({ kind: 'json' as const, data: withoutNegativeZero(data as JsonValue) })),
);

const frameArb: fc.Arbitrary<Frame> = fc.record({
  version: fc.constant(1),
  kind: fc.constantFrom('data', 'hello', 'welcome', 'ack', 'nack', 'ping', 'pong', 'error'),
  channel: fc.string({ unit: 'binary', maxLength: 60 }),
  priority: fc.integer({ min: 0, max: 255 }),
  seq: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constant(Number.MAX_SAFE_INTEGER)),
  timestamp: fc.double({ noNaN: true, noDefaultInfinity: true }).map((t) => t + 0),
  payload: payloadArb,
});

function throwsOnlyFrameErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameError);
  }
}

function expectFrameError(decode: () => unknown): void {
  let error: unknown;
  try {
    decode();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FrameError);
}

describe('binary codec properties', () => {
  it('decodes every encoded frame to an equal frame', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      }),
      { numRuns: 500 },
    );
  });

  it('detects every single-bit flip anywhere in an encoded frame', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const bytes = encodeFrame(frame);
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expectFrameError(() => decodeFrame(bytes));
          bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
        expect(decodeFrame(bytes)).toEqual(frame); // restored intact
      }),
      { numRuns: 150 },
    );
  });

  it('answers random bytes with a FrameError or a frame, never another throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) =>
        throwsOnlyFrameErrors(() => decodeFrame(bytes)),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('answers random bodies behind a valid header and checksum with a FrameError or a frame that re-encodes identically', () => {
    const arb = fc.record({
      header: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      fields: fc.uint8Array({ minLength: 20, maxLength: 20 }),
      channel: fc.uint8Array({ maxLength: 20 }),
      payload: fc.uint8Array({ maxLength: 40 }),
    });
    let decoded = 0;
    fc.assert(
      fc.property(arb, ({ header, fields, channel, payload }) => {
        const bytes = new Uint8Array(29 + channel.length + payload.length);
        const view = new DataView(bytes.buffer);
        bytes.set(header);
        bytes[0] = 1;
        bytes[1] = 1 + (header[1]! % 9); // mostly known kinds, sometimes 9
        bytes[2] = header[2]! % 4; // payload kind 0..3
        bytes.set(fields.subarray(0, 16), 4); // seq and timestamp: anything
        if (fields[16]! % 2) {
          bytes[4] = 0; // often a safe seq
          bytes[5]! &= 0x1f;
        }
        if (fields[17]! % 2)
          channel.forEach((b, i) => {
            channel[i] = b & 0x7f;
          }); // often an ASCII channel
        view.setUint32(20, payload.length);
        bytes[24] = channel.length;
        bytes.set(channel, 25);
        bytes.set(payload, 25 + channel.length);
        view.setUint32(bytes.length - 4, crc32c(bytes.subarray(0, bytes.length - 4)));
        let frame: Frame | undefined;
        throwsOnlyFrameErrors(() => {
          frame = decodeFrame(bytes);
        });
        if (frame) decoded++;
        if (frame && frame.payload.kind !== 'json' && !Object.is(frame.timestamp, -0)) {
          expect(encodeFrame(frame)).toEqual(bytes);
        }
      }),
      { numRuns: 3000 },
    );
    expect(decoded).toBeGreaterThan(100); // the generator does reach valid frames
  });
});

describe('JSON envelope properties', () => {
  it('decodes every encoded envelope to an equal frame', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const text = encodeJsonFrame(frame);
        expect(decodeJsonFrame(text)).toEqual(frame);
        expect(decodeJsonFrame(new TextEncoder().encode(text))).toEqual(frame);
      }),
      { numRuns: 500 },
    );
  });

  it('detects every single-bit flip anywhere in the UTF-8 bytes of an envelope', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const bytes = new TextEncoder().encode(encodeJsonFrame(frame));
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expectFrameError(() => decodeJsonFrame(bytes));
          bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('detects every single-bit flip in any UTF-16 code unit of an envelope string', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const text = encodeJsonFrame(frame);
        for (let i = 0; i < text.length; i++) {
          for (let bit = 0; bit < 16; bit++) {
            const flipped =
              text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << bit)) + text.slice(i + 1);
            expectFrameError(() => decodeJsonFrame(flipped));
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('answers random text, sealed with a valid checksum or not, with a FrameError or a frame', () => {
    const seal = (prefix: string) =>
      `${prefix},"crc32c":"${crc32c(new TextEncoder().encode(prefix)).toString(16).padStart(8, '0')}"}`;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.boolean(), (text, sealed) => {
        throwsOnlyFrameErrors(() => decodeJsonFrame(sealed ? seal(text) : text));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers random JSON objects with a valid checksum with a FrameError or a frame', () => {
    const noise = fc.jsonValue({ maxDepth: 1 });
    const mostly = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: noise as fc.Arbitrary<unknown>, weight: 1 });
    const arb = fc.record(
      {
        version: mostly(fc.constant(1)),
        kind: mostly(fc.constantFrom('data', 'ack', 'pong', 'chat')),
        channel: mostly(fc.string({ unit: 'binary', maxLength: 70 })),
        priority: mostly(fc.integer({ min: -1, max: 256 })),
        seq: mostly(fc.oneof(fc.maxSafeNat(), fc.constant(2 ** 53))),
        timestamp: mostly(fc.double()),
        payloadKind: mostly(fc.constantFrom('binary', 'text', 'json', 'xml')),
        payload: mostly(fc.oneof(fc.constantFrom('AQID', 'AQI=', 'AQ=', ''), fc.string({ unit: 'binary' }))),
        extra: noise,
      },
      {
        requiredKeys: [
          'version',
          'kind',
          'channel',
          'priority',
          'seq',
          'timestamp',
          'payloadKind',
          'payload',
        ],
      },
    );
    let decoded = 0;
    fc.assert(
      fc.property(arb, fc.nat(9), (object, dropOne) => {
        const entries = Object.entries(object);
        if (dropOne === 0) entries.splice(entries.length >> 1, 1);
        const prefix = JSON.stringify(Object.fromEntries(entries)).slice(0, -1);
        const text = `${prefix},"crc32c":"${crc32c(new TextEncoder().encode(prefix)).toString(16).padStart(8, '0')}"}`;
        throwsOnlyFrameErrors(() => {
          decodeJsonFrame(text);
          decoded++;
        });
      }),
      { numRuns: 3000 },
    );
    expect(decoded).toBeGreaterThan(0); // the generator does reach valid envelopes
  });
});
