import { describe, expect, it } from 'vitest';
import { FrameError, type WsKitErrorCode } from '../errors.js';
import { crc32c } from './crc32c.js';
import type { FrameInit } from './frame.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';

function expectFrameError(fn: () => unknown, code: WsKitErrorCode, message: string | RegExp) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FrameError);
  expect(error).toMatchObject({
    code,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
/** Appends a valid checksum suffix to an envelope prefix (an envelope without `,"crc32c":…}`). */
const seal = (prefix: string) => `${prefix},"crc32c":"${hex8(crc32c(new TextEncoder().encode(prefix)))}"}`;
const header = '{"version":1,"kind":"data","channel":"c","priority":0,"seq":1,"timestamp":2.5';

describe('encodeJsonFrame', () => {
  it('writes the fields in a fixed order with the checksum last', () => {
    const text = encodeJsonFrame({
      channel: 'c',
      seq: 1,
      timestamp: 2.5,
      payload: { kind: 'text', data: 'hi' },
    });
    expect(text).toBe(seal(`${header},"payloadKind":"text","payload":"hi"`));
  });

  it('computes the checksum over the UTF-8 bytes before ,"crc32c":', () => {
    const text = encodeJsonFrame({ channel: 'ç', timestamp: 0, payload: { kind: 'text', data: '😀' } });
    const cut = text.lastIndexOf(',"crc32c":"');
    expect(text.slice(cut + 11, cut + 19)).toBe(hex8(crc32c(new TextEncoder().encode(text.slice(0, cut)))));
  });

  it('carries a binary payload as padded base64', () => {
    const text = encodeJsonFrame({
      timestamp: 0,
      payload: { kind: 'binary', data: Uint8Array.of(0xfb, 0xff) },
    });
    expect(text).toContain('"payloadKind":"binary","payload":"+/8="');
  });

  it('carries a JSON payload inline', () => {
    const text = encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: { a: [1, null] } } });
    expect(text).toContain('"payloadKind":"json","payload":{"a":[1,null]}');
  });

  it('rejects the same invalid frames as the binary codec', () => {
    expectFrameError(
      () => encodeJsonFrame({ timestamp: 0, priority: -1 }),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'encodeJsonFrame: priority must be an integer in [0, 255], got -1',
    );
  });

  it('rejects a payload over maxPayloadBytes, measured in UTF-8 bytes', () => {
    const options = { maxPayloadBytes: 4 };
    const message = 'encodeJsonFrame: payload of 5 bytes exceeds maxPayloadBytes 4';
    for (const payload of [
      { kind: 'binary', data: new Uint8Array(5) },
      { kind: 'text', data: 'abcé' },
      { kind: 'json', data: 'abc' },
    ] as const) {
      expectFrameError(
        () => encodeJsonFrame({ timestamp: 0, payload }, options),
        'WS_KIT_ERR_FRAME_TOO_LARGE',
        message,
      );
    }
  });
});

describe('decodeJsonFrame', () => {
  it('decodes an envelope given as text or as UTF-8 bytes', () => {
    const frame = {
      version: 1,
      kind: 'ack',
      channel: 'é',
      priority: 3,
      seq: 2 ** 40,
      timestamp: 0.125,
      payload: { kind: 'text', data: '\ufeff😀' },
    } as const;
    const text = encodeJsonFrame(frame);
    expect(decodeJsonFrame(text)).toEqual(frame);
    expect(decodeJsonFrame(new TextEncoder().encode(text))).toEqual(frame);
  });

  it('accepts keys in any order as long as the checksum is last', () => {
    const prefix =
      '{"payload":"AQID","payloadKind":"binary","timestamp":1,"seq":0,"priority":0,"channel":"","kind":"data","version":1';
    expect(decodeJsonFrame(seal(prefix)).payload).toEqual({ kind: 'binary', data: Uint8Array.of(1, 2, 3) });
  });

  const cases: [string, string, WsKitErrorCode, string | RegExp][] = [
    [
      'a text without the checksum suffix',
      `${header},"payloadKind":"text","payload":""}`,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: envelope does not end with ,"crc32c":"<8 lowercase hex digits>"}',
    ],
    [
      'upper-case checksum digits',
      seal(`${header},"payloadKind":"text","payload":""`).toUpperCase(),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: envelope does not end with ,"crc32c":"<8 lowercase hex digits>"}',
    ],
    [
      'a wrong checksum',
      `${header},"payloadKind":"text","payload":"","crc32c":"00000000"}`,
      'WS_KIT_ERR_FRAME_CHECKSUM',
      /^decodeJsonFrame: CRC32C mismatch \(envelope says 0x00000000, contents give 0x[0-9a-f]{8}\)$/,
    ],
    [
      'text that is not JSON',
      seal('{"version":1,'),
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      /^decodeJsonFrame: envelope is not valid JSON: SyntaxError: /,
    ],
    [
      'a missing key',
      seal(`${header},"payload":""`),
      'WS_KIT_ERR_FRAME_MALFORMED',
      "decodeJsonFrame: envelope has no 'payloadKind'",
    ],
    [
      'an unknown key',
      seal(`${header},"payloadKind":"text","payload":"","x":1`),
      'WS_KIT_ERR_FRAME_MALFORMED',
      "decodeJsonFrame: unknown envelope key 'x'",
    ],
    [
      'version 2',
      seal(`${header.replace('"version":1', '"version":2')},"payloadKind":"text","payload":""`),
      'WS_KIT_ERR_FRAME_VERSION',
      'decodeJsonFrame: unknown protocol version 2',
    ],
    [
      'an unknown kind',
      seal(`${header.replace('"data"', '"chat"')},"payloadKind":"text","payload":""`),
      'WS_KIT_ERR_FRAME_KIND',
      'decodeJsonFrame: unknown frame kind "chat"',
    ],
    [
      'an unknown payload kind',
      seal(`${header},"payloadKind":"xml","payload":""`),
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeJsonFrame: unknown payloadKind "xml"',
    ],
    [
      'a text payload that is not a string',
      seal(`${header},"payloadKind":"text","payload":5`),
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeJsonFrame: a text payload must be a JSON string, got 5',
    ],
    [
      'a binary payload that is not strict base64',
      seal(`${header},"payloadKind":"binary","payload":"AR=="`),
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeJsonFrame: binary payload is not strict padded base64',
    ],
    [
      'a text payload with an escaped lone surrogate',
      seal(`${header},"payloadKind":"text","payload":"\\ud800"`),
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'decodeJsonFrame: a text payload must not contain lone surrogates (UTF-8 cannot carry them)',
    ],
    [
      'a priority of 256',
      seal(`${header.replace('"priority":0', '"priority":256')},"payloadKind":"text","payload":""`),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: priority must be an integer in [0, 255], got 256',
    ],
    [
      'a seq of 2^53',
      seal(`${header.replace('"seq":1', '"seq":9007199254740992')},"payloadKind":"text","payload":""`),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: seq must be an integer in [0, 9007199254740991], got 9007199254740992',
    ],
    [
      'a timestamp that overflows to Infinity',
      seal(`${header.replace('2.5', '1e999')},"payloadKind":"text","payload":""`),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: timestamp must be a finite number of milliseconds, got Infinity',
    ],
  ];
  for (const [what, text, code, message] of cases) {
    it(`rejects ${what} with ${code}`, () => {
      expectFrameError(() => decodeJsonFrame(text), code, message);
    });
  }

  it('rejects UTF-8 bytes that are not valid UTF-8 with FRAME_INVALID_JSON', () => {
    const bytes = new TextEncoder().encode(
      encodeJsonFrame({ timestamp: 0, payload: { kind: 'text', data: 'é' } }),
    );
    const at = bytes.indexOf(0xc3);
    bytes[at] = 0xff;
    const prefixEnd = bytes.length - 21;
    bytes.set(new TextEncoder().encode(hex8(crc32c(bytes.subarray(0, prefixEnd)))), prefixEnd + 11);
    expectFrameError(
      () => decodeJsonFrame(bytes),
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      'decodeJsonFrame: envelope is not valid UTF-8 text',
    );
  });

  it('detects U+FFFD flipped into a lone surrogate, which re-encoding to UTF-8 would hide', () => {
    const text = encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: ['\ufffd'] } });
    const flipped = text.replace('\ufffd', '\udffd'); // one bit: 0xFFFD ^ 0x2000
    expectFrameError(
      () => decodeJsonFrame(flipped),
      'WS_KIT_ERR_FRAME_INVALID_JSON',
      'decodeJsonFrame: envelope is not valid UTF-8 text',
    );
  });

  it('rejects payloads over maxPayloadBytes: binary and text exactly, JSON through the envelope size', () => {
    const options = { maxPayloadBytes: 4 };
    const binary = encodeJsonFrame({ timestamp: 0, payload: { kind: 'binary', data: new Uint8Array(5) } });
    expectFrameError(
      () => decodeJsonFrame(binary, options),
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      'decodeJsonFrame: payload of 5 bytes exceeds maxPayloadBytes 4',
    );
    const text = encodeJsonFrame({ timestamp: 0, payload: { kind: 'text', data: 'abcé' } });
    expectFrameError(
      () => decodeJsonFrame(text, options),
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      'decodeJsonFrame: payload of 5 bytes exceeds maxPayloadBytes 4',
    );
    const json = encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: 'x'.repeat(3000) } });
    expectFrameError(
      () => decodeJsonFrame(json, { maxPayloadBytes: 1000 }),
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      `decodeJsonFrame: payload of ${json.length - 2048} bytes exceeds maxPayloadBytes 1000`,
    );
    expect(
      decodeJsonFrame(
        encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: 'abc' } }, { maxPayloadBytes: 5 }),
        { maxPayloadBytes: 5 },
      ).payload,
    ).toEqual({ kind: 'json', data: 'abc' });
  });

  it('rejects an envelope far larger than any allowed payload before parsing it', () => {
    const huge = `{${' '.repeat(6 * 10 + 2048)}`;
    expectFrameError(
      () => decodeJsonFrame(huge, { maxPayloadBytes: 10 }),
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      'decodeJsonFrame: envelope of 2109 bytes exceeds 6 × maxPayloadBytes + 2048 = 2108',
    );
  });

  it('rejects input that is neither text nor bytes', () => {
    expectFrameError(
      () => decodeJsonFrame(42 as never),
      'WS_KIT_ERR_FRAME_MALFORMED',
      'decodeJsonFrame: input must be a string or Uint8Array, got 42',
    );
  });

  it('round-trips every frame kind', () => {
    for (const kind of ['data', 'hello', 'welcome', 'ack', 'nack', 'ping', 'pong', 'error'] as const) {
      const frame: FrameInit = { kind, timestamp: 1 };
      expect(decodeJsonFrame(encodeJsonFrame(frame)).kind).toBe(kind);
    }
  });
});
