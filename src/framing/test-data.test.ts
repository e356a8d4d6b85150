import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { fromBase64 } from './base64.js';
import type { Frame, FrameInit, FramePayload } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';
import { MIXED_STREAM_CHANNELS, mixedStream } from './mixed-stream.js';
import { FLOAT_SAMPLES, UNICODE_SAMPLES } from './samples.js';
import {
  base64Blob,
  binaryOfBytes,
  float64Bytes,
  mixedArray,
  nestedJson,
  readFloat64s,
  textOfBytes,
} from './test-data.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Sends a payload through both codecs and returns what each decoded. */
function roundTrip(payload: FramePayload): [Frame, Frame] {
  const frame: FrameInit = { channel: 'data', seq: 1, timestamp: 0.5, payload };
  const limit = { maxPayloadBytes: 4 * 1024 * 1024 };
  return [
    decodeFrame(encodeFrame(frame, limit), limit),
    decodeJsonFrame(encodeJsonFrame(frame, limit), limit),
  ];
}

function expectRoundTrip(payload: FramePayload): void {
  for (const decoded of roundTrip(payload)) expect(decoded.payload).toEqual(payload);
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('test-data generators', () => {
  it('textOfBytes makes text of exactly N UTF-8 bytes mixing every width', () => {
    for (const n of [0, 1, 2, 3, 5, 100, 1024, 4097]) expect(utf8(textOfBytes(n, n))).toHaveLength(n);
    const widths = new Set([...textOfBytes(2000)].map((c) => utf8(c).length));
    expect([...widths].sort()).toEqual([1, 2, 3, 4]);
  });

  it('textOfBytes is deterministic per seed', () => {
    expect(textOfBytes(300, 9)).toBe(textOfBytes(300, 9));
    expect(textOfBytes(300, 9)).not.toBe(textOfBytes(300, 10));
  });

  it('textOfBytes round-trips through both codecs', () => {
    expectRoundTrip({ kind: 'text', data: textOfBytes(5000, 3) });
  });

  it('binaryOfBytes makes N deterministic bytes that round-trip', () => {
    const bytes = binaryOfBytes(1001, 4);
    expect(bytes).toHaveLength(1001);
    expect(binaryOfBytes(1001, 4)).toEqual(bytes);
    expect(new Set(bytes).size).toBeGreaterThan(200);
    expectRoundTrip({ kind: 'binary', data: bytes });
  });

  it('base64Blob makes padded base64 of N bytes that round-trips as text and inside JSON', () => {
    const blob = base64Blob(100, 5);
    expect(blob).toHaveLength(136);
    expect(fromBase64(blob)).toEqual(binaryOfBytes(100, 5));
    expectRoundTrip({ kind: 'text', data: blob });
    expectRoundTrip({ kind: 'json', data: { file: blob } });
  });

  it('nestedJson nests depth levels of breadth entries and round-trips', () => {
    const value = nestedJson(30, 5, 6);
    expect(depthOf(value)).toBe(30);
    expect(Object.keys(value as object)).toHaveLength(5);
    expect(nestedJson(0, 3)).not.toBeTypeOf('object');
    expectRoundTrip({ kind: 'json', data: value });
  });

  it('mixedArray mixes every JSON type and round-trips', () => {
    const value = mixedArray(300, 7);
    const types = new Set(value.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)));
    expect([...types].sort()).toEqual(['array', 'boolean', 'null', 'number', 'object', 'string']);
    expect(value.some((v) => typeof v === 'number' && Math.abs(v) > 2 ** 32 && Number.isSafeInteger(v))).toBe(
      true,
    );
    expectRoundTrip({ kind: 'json', data: value });
  });

  it('UNICODE_SAMPLES round-trip exactly as text, inside JSON, and as a channel', () => {
    for (const [name, text] of Object.entries(UNICODE_SAMPLES)) {
      expectRoundTrip({ kind: 'text', data: text });
      expectRoundTrip({ kind: 'json', data: { [name]: text } });
      const frame = { timestamp: 0, channel: text };
      expect(decodeFrame(encodeFrame(frame)).channel).toBe(text);
      expect(decodeJsonFrame(encodeJsonFrame(frame)).channel).toBe(text);
    }
  });

  it('FLOAT_SAMPLES round-trip bit-exactly as float64 bytes, including -0, ±Infinity and NaN', () => {
    const values = FLOAT_SAMPLES.map((s) => s.value);
    for (const [decoded] of [roundTrip({ kind: 'binary', data: float64Bytes(values) })]) {
      const data = decoded.payload.data as Uint8Array;
      readFloat64s(data).forEach((v, i) => {
        expect(Object.is(v, values[i])).toBe(true);
      });
    }
  });

  it('keeps NaN payload bits in a binary payload, which never interprets its bytes', () => {
    const signalingNaN = Uint8Array.of(0x7f, 0xf0, 0, 0, 0, 0, 0, 1);
    for (const decoded of roundTrip({ kind: 'binary', data: signalingNaN }))
      expect(decoded.payload.data).toEqual(signalingNaN);
  });

  it('FLOAT_SAMPLES marked json round-trip exactly through JSON payloads', () => {
    const exact = FLOAT_SAMPLES.filter((s) => s.json).map((s) => s.value);
    for (const decoded of roundTrip({ kind: 'json', data: exact })) {
      (decoded.payload.data as number[]).forEach((v, i) => {
        expect(Object.is(v, exact[i])).toBe(true);
      });
    }
  });

  it('FLOAT_SAMPLES not marked json are rejected in JSON payloads rather than altered', () => {
    for (const sample of FLOAT_SAMPLES.filter((s) => !s.json)) {
      expect(() =>
        encodeFrame({ timestamp: 0, payload: { kind: 'json', data: [sample.value] } }),
      ).toThrowError(expect.objectContaining({ code: 'WS_KIT_ERR_FRAME_INVALID_JSON' }));
      expect(() =>
        encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: [sample.value] } }),
      ).toThrowError(expect.objectContaining({ code: 'WS_KIT_ERR_FRAME_INVALID_JSON' }));
    }
  });

  it('round-trips 1 MiB payloads of every kind through both codecs', () => {
    // Compared directly: a deep-equality walk over a million elements takes seconds.
    const mib = 1024 * 1024;
    const bytes = binaryOfBytes(mib, 11);
    for (const { payload } of roundTrip({ kind: 'binary', data: bytes })) {
      expect(payload.kind).toBe('binary');
      expect(Buffer.compare(payload.data as Uint8Array, bytes)).toBe(0);
    }
    const text = textOfBytes(mib, 12);
    for (const { payload } of roundTrip({ kind: 'text', data: text })) {
      expect(payload.kind).toBe('text');
      expect(payload.data === text).toBe(true);
    }
    const blob = base64Blob((mib * 3) / 4 - 16, 13);
    for (const { payload } of roundTrip({ kind: 'json', data: { blob } })) {
      expect(payload.kind).toBe('json');
      expect((payload.data as { blob: string }).blob === blob).toBe(true);
    }
  });

  it('mixedStream yields every payload kind over every channel, sequenced per channel', () => {
    const frames = [...mixedStream(300, 21)];
    expect(frames).toHaveLength(300);
    expect(new Set(frames.map((f) => f.payload.kind))).toEqual(new Set(['binary', 'text', 'json']));
    expect(new Set(frames.map((f) => f.channel))).toEqual(new Set(MIXED_STREAM_CHANNELS));
    expect(new Set(frames.map((f) => f.kind))).toEqual(new Set(['data', 'ack', 'ping']));
    const last = new Map<string, number>();
    for (const f of frames.filter((x) => x.kind === 'data')) {
      expect(f.seq).toBe((last.get(f.channel) ?? 0) + 1);
      last.set(f.channel, f.seq);
    }
    for (let i = 1; i < frames.length; i++)
      expect(frames[i]!.timestamp).toBeGreaterThan(frames[i - 1]!.timestamp);
  });

  it('mixedStream is deterministic per seed', () => {
    expect([...mixedStream(50, 8)]).toEqual([...mixedStream(50, 8)]);
    expect([...mixedStream(50, 8)]).not.toEqual([...mixedStream(50, 9)]);
  });

  it('mixedStream frames round-trip through both codecs', () => {
    for (const frame of mixedStream(400, 1)) {
      expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      expect(decodeJsonFrame(encodeJsonFrame(frame))).toEqual(frame);
    }
  });

  it('rejects sizes out of range with INVALID_ARGUMENT', () => {
    const call = () => textOfBytes(-1);
    expect(call).toThrowError(OptionsError);
    expect(call).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'textOfBytes: bytes must be an integer >= 0 <= 268435456, got -1',
      }),
    );
    expect(() => nestedJson(2, 0)).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'nestedJson: breadth must be an integer >= 1 <= 10000, got 0',
      }),
    );
    expect(() => readFloat64s(new Uint8Array(7))).toThrowError(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});
