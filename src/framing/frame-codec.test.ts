import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { FrameError, OptionsError, type WsKitErrorCode } from '../errors.js';
import type { FrameInit, FramePayload } from './frame.js';
import { decodeFrame, encodeFrame, MIN_FRAME_BYTES } from './frame-codec.js';

const base: FrameInit = {
  channel: 'chat:1',
  seq: 7,
  timestamp: 1700000000000.25,
  payload: { kind: 'text', data: 'hi' },
};

describe('encodeFrame / decodeFrame', () => {
  it('round-trips a text frame with every header field', () => {
    const frame = {
      version: 1,
      kind: 'data',
      channel: 'chat:room-1',
      priority: 200,
      seq: 42,
      timestamp: 1.125,
      payload: { kind: 'text', data: 'héllo 😀' },
    } as const;
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('fills in defaults for omitted fields', () => {
    expect(decodeFrame(encodeFrame({ timestamp: 5 }))).toEqual({
      version: 1,
      kind: 'data',
      channel: '',
      priority: 0,
      seq: 0,
      timestamp: 5,
      payload: { kind: 'binary', data: new Uint8Array(0) },
    });
  });

  it('encodes the smallest frame in 29 bytes', () => {
    expect(encodeFrame({ timestamp: 0 })).toHaveLength(MIN_FRAME_BYTES);
  });

  it('round-trips a JSON payload', () => {
    const data = { a: [1, 'é', null, true, { b: -2.5e-300 }], c: {} };
    expect(decodeFrame(encodeFrame({ timestamp: 0, payload: { kind: 'json', data } })).payload).toEqual({
      kind: 'json',
      data,
    });
  });

  it('returns a binary payload as a zero-copy view of the input', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'binary', data: Uint8Array.of(1, 2, 3) } });
    const payload = decodeFrame(bytes).payload;
    expect(payload.kind === 'binary' && payload.data.buffer).toBe(bytes.buffer);
    bytes[bytes.length - 5] = 9;
    expect(payload.data).toEqual(Uint8Array.of(1, 2, 9));
  });

  it('keeps every small frame intact while later frames share its buffer, across several slabs', () => {
    const frames = Array.from(
      { length: 400 },
      (_, i) => ({ ...base, seq: i, payload: { kind: 'text', data: 'x'.repeat(i) } }) as const,
    );
    const encoded = frames.map((f) => encodeFrame(f));
    expect(encoded.some((bytes, i) => i > 0 && bytes.buffer === encoded[i - 1]!.buffer)).toBe(true);
    expect(new Set(encoded.map((bytes) => bytes.buffer)).size).toBeGreaterThan(1);
    encoded.forEach((bytes, i) => {
      expect(decodeFrame(bytes)).toEqual({ version: 1, kind: 'data', priority: 0, ...frames[i] });
    });
  });

  it('gives a frame over 2 KiB a buffer of its own', () => {
    const bytes = encodeFrame({ timestamp: 0, payload: { kind: 'binary', data: new Uint8Array(2048) } });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });

  it('decodes an ArrayBuffer and a Uint8Array view at a non-zero offset', () => {
    const bytes = encodeFrame(base);
    expect(decodeFrame(bytes.slice().buffer).seq).toBe(7);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    expect(decodeFrame(padded.subarray(5, 5 + bytes.length)).seq).toBe(7);
  });

  it('keeps sequence numbers exact beyond 2^32 up to 2^53 − 1', () => {
    for (const seq of [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER]) {
      expect(decodeFrame(encodeFrame({ ...base, seq })).seq).toBe(seq);
    }
  });

  it('keeps sub-millisecond timestamp precision exactly', () => {
    for (const timestamp of [
      1700000000000 + 2 ** -12,
      123.456789,
      -5.5,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
    ]) {
      expect(decodeFrame(encodeFrame({ ...base, timestamp })).timestamp).toBe(timestamp);
    }
  });

  it('writes a -0 timestamp as 0', () => {
    expect(Object.is(decodeFrame(encodeFrame({ ...base, timestamp: -0 })).timestamp, 0)).toBe(true);
  });

  it('keeps a leading byte-order mark in text and channel', () => {
    const frame = decodeFrame(
      encodeFrame({ ...base, channel: '\ufeffc', payload: { kind: 'text', data: '\ufeffx' } }),
    );
    expect(frame.channel).toBe('\ufeffc');
    expect(frame.payload).toEqual({ kind: 'text', data: '\ufeffx' });
  });

  it('accepts a 255-byte channel', () => {
    const channel = `${'é'.repeat(127)}a`;
    expect(decodeFrame(encodeFrame({ ...base, channel })).channel).toBe(channel);
  });

  it('round-trips every frame kind', () => {
    for (const kind of ['data', 'hello', 'welcome', 'ack', 'nack', 'ping', 'pong', 'error'] as const) {
      expect(decodeFrame(encodeFrame({ ...base, kind })).kind).toBe(kind);
    }
  });
});

describe('encodeFrame rejects', () => {
  const cases: [string, unknown, WsKitErrorCode, string][] = [
    [
      'a version other than 1',
      { ...base, version: 2 },
      'WS_KIT_ERR_FRAME_VERSION',
      'encodeFrame: version must be 1, got 2',
    ],
    [
      'an unknown kind',
      { ...base, kind: 'chat' },
      'WS_KIT_ERR_FRAME_KIND',
      'encodeFrame: unknown frame kind "chat"',
    ],
    [
      'an inherited kind name',
      { ...base, kind: 'toString' },
      'WS_KIT_ERR_FRAME_KIND',
      'encodeFrame: unknown frame kind "toString"',
    ],
    [
      'an unknown key',
      { ...base, chanel: 'x' },
      'WS_KIT_ERR_FRAME_MALFORMED',
      "encodeFrame: unknown frame key 'chanel'",
    ],
    [
      'a priority of 256',
      { ...base, priority: 256 },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: priority must be an integer in [0, 255], got 256',
    ],
    [
      'a fractional priority',
      { ...base, priority: 1.5 },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: priority must be an integer in [0, 255], got 1.5',
    ],
    [
      'a negative seq',
      { ...base, seq: -1 },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: seq must be an integer in [0, 9007199254740991], got -1',
    ],
    [
      'a seq of 2^53',
      { ...base, seq: 2 ** 53 },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: seq must be an integer in [0, 9007199254740991], got 9007199254740992',
    ],
    [
      'a missing timestamp',
      { channel: 'c' },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: timestamp must be a finite number of milliseconds, got undefined',
    ],
    [
      'a NaN timestamp',
      { ...base, timestamp: Number.NaN },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: timestamp must be a finite number of milliseconds, got NaN',
    ],
    [
      'a 256-byte channel',
      { ...base, channel: 'é'.repeat(128) },
      'WS_KIT_ERR_FRAME_MALFORMED',
      `encodeFrame: channel must be a string of at most 255 UTF-8 bytes without lone surrogates, got "${'é'.repeat(57)}..."`,
    ],
    [
      'a channel with a lone surrogate',
      { ...base, channel: 'a\ud800' },
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: channel must be a string of at most 255 UTF-8 bytes without lone surrogates, got "a\\ud800"',
    ],
    [
      'a frame that is not an object',
      null,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeFrame: frame must be an object, got null',
    ],
    [
      'a text payload with a Uint8Array',
      { ...base, payload: { kind: 'text', data: new Uint8Array(1) } },
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'encodeFrame: a text payload needs a string, got Uint8Array(1)',
    ],
    [
      'a binary payload with a string',
      { ...base, payload: { kind: 'binary', data: 'x' } },
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'encodeFrame: a binary payload needs a Uint8Array, got "x"',
    ],
    [
      'an unknown payload kind',
      { ...base, payload: { kind: 'xml', data: '' } },
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      "encodeFrame: payload kind must be 'binary', 'text' or 'json', got \"xml\"",
    ],
    [
      'an unknown payload key',
      { ...base, payload: { kind: 'text', data: '', type: 1 } },
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      "encodeFrame: unknown payload key 'type'",
    ],
    [
      'text with a lone surrogate',
      { ...base, payload: { kind: 'text', data: 'x\udc00' } },
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'encodeFrame: a text payload must not contain lone surrogates (UTF-8 cannot carry them)',
    ],
  ];
  for (const [what, frame, code, message] of cases) {
    it(`${what} with ${code}`, () => {
      expectError(() => encodeFrame(frame as FrameInit), FrameError, code, message);
    });
  }

  it('a payload over maxPayloadBytes with FRAME_TOO_LARGE, for every payload kind', () => {
    const options = { maxPayloadBytes: 3 };
    const message = 'encodeFrame: payload of 4 bytes exceeds maxPayloadBytes 3';
    const payloads: FramePayload[] = [
      { kind: 'binary', data: new Uint8Array(4) },
      { kind: 'text', data: 'aéx' },
      { kind: 'text', data: 'abcd' },
      { kind: 'json', data: [12] },
    ];
    for (const payload of payloads) {
      expectError(
        () => encodeFrame({ timestamp: 0, payload }, options),
        FrameError,
        'WS_KIT_ERR_FRAME_TOO_LARGE',
        message,
      );
    }
    expect(encodeFrame({ timestamp: 0, payload: { kind: 'text', data: 'abc' } }, options)).toHaveLength(32);
  });

  it('an unknown option with INVALID_OPTION', () => {
    expectError(
      () => encodeFrame(base, { maxPayload: 1 } as never),
      OptionsError,
      'WS_KIT_ERR_INVALID_OPTION',
      "encodeFrame: unknown option 'maxPayload' (known: maxPayloadBytes)",
    );
  });

  it('a maxPayloadBytes beyond 2^32 − 1 with INVALID_OPTION', () => {
    expectError(
      () => decodeFrame(encodeFrame(base), { maxPayloadBytes: 2 ** 32 }),
      OptionsError,
      'WS_KIT_ERR_INVALID_OPTION',
      'decodeFrame.maxPayloadBytes must be an integer >= 0 <= 4294967295, got 4294967296',
    );
  });
});
