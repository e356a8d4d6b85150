import { describe, expect, it } from 'vitest';
import { FrameError } from '../errors.js';
import type { JsonValue } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';

function expectInvalidJson(data: unknown, detail: string) {
  for (const [encode, name] of [
    [encodeFrame, 'encodeFrame'],
    [encodeJsonFrame, 'encodeJsonFrame'],
  ] as const) {
    let error: unknown;
    try {
      encode({ timestamp: 0, payload: { kind: 'json', data: data as JsonValue } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_FRAME_INVALID_JSON',
      message: `${name}: payload.data${detail}`,
    });
  }
}

class Point {
  x = 1;
}

describe('JSON payloads are never altered silently', () => {
  it('rejects NaN', () =>
    expectInvalidJson({ a: Number.NaN }, '.a cannot be sent as JSON: NaN is not representable in JSON'));

  it('rejects Infinity and -Infinity', () => {
    expectInvalidJson(
      [Number.POSITIVE_INFINITY],
      '[0] cannot be sent as JSON: Infinity is not representable in JSON',
    );
    expectInvalidJson(
      [1, Number.NEGATIVE_INFINITY],
      '[1] cannot be sent as JSON: -Infinity is not representable in JSON',
    );
  });

  it('rejects -0, which JSON would deliver as 0', () => {
    expectInvalidJson({ 'a b': [-0] }, '["a b"][0] cannot be sent as JSON: -0 would arrive as 0');
  });

  it('rejects undefined in an object and in an array', () => {
    expectInvalidJson(
      { a: undefined },
      '.a cannot be sent as JSON: undefined would be dropped or become null',
    );
    expectInvalidJson([undefined], '[0] cannot be sent as JSON: undefined would be dropped or become null');
    expectInvalidJson(undefined, ' cannot be sent as JSON: undefined would be dropped or become null');
  });

  it('rejects a BigInt', () =>
    expectInvalidJson({ n: 1n }, '.n cannot be sent as JSON: a BigInt is not representable in JSON'));

  it('rejects functions and symbols', () => {
    expectInvalidJson({ f: () => 1 }, '.f cannot be sent as JSON: a function is not representable in JSON');
    expectInvalidJson([Symbol('s')], '[0] cannot be sent as JSON: a symbol is not representable in JSON');
  });

  it('rejects a cycle', () => {
    const a: Record<string, unknown> = {};
    a.self = { back: a };
    expectInvalidJson(a, '.self.back cannot be sent as JSON: a cycle');
  });

  it('rejects class instances, Dates and Maps instead of flattening them', () => {
    expectInvalidJson(new Point(), ' cannot be sent as JSON: a Point is not a plain object');
    expectInvalidJson({ d: new Date(0) }, '.d cannot be sent as JSON: a Date is not a plain object');
    expectInvalidJson([new Map()], '[0] cannot be sent as JSON: a Map is not a plain object');
  });

  it('rejects an array hole, which would become null', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    expectInvalidJson([1, , 3], '[1] cannot be sent as JSON: an array hole would become null');
  });

  it('rejects nesting deeper than the stack with a typed error, not a RangeError', () => {
    let deep: JsonValue = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    let error: unknown;
    try {
      encodeFrame({ timestamp: 0, payload: { kind: 'json', data: deep } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_FRAME_INVALID_JSON',
      message: expect.stringMatching(/^encodeFrame: payload\.data cannot be serialised: RangeError: /),
    });
  });

  it('accepts a null-prototype object and an own __proto__ key, and round-trips them', () => {
    const data = JSON.parse('{"__proto__":{"x":1},"b":null}') as JsonValue;
    const bare = Object.assign(Object.create(null) as Record<string, JsonValue>, { k: 'v' });
    for (const value of [data, bare]) {
      const viaBinary = decodeFrame(
        encodeFrame({ timestamp: 0, payload: { kind: 'json', data: value } }),
      ).payload;
      const viaEnvelope = decodeJsonFrame(
        encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data: value } }),
      ).payload;
      expect(JSON.stringify(viaBinary.data)).toBe(JSON.stringify(value));
      expect(JSON.stringify(viaEnvelope.data)).toBe(JSON.stringify(value));
    }
    const decoded = decodeFrame(encodeFrame({ timestamp: 0, payload: { kind: 'json', data } })).payload
      .data as object;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('keeps lone surrogates inside JSON strings, which JSON escapes', () => {
    const data = ['\ud800', 'a\udfffb'];
    expect(decodeFrame(encodeFrame({ timestamp: 0, payload: { kind: 'json', data } })).payload.data).toEqual(
      data,
    );
    expect(
      decodeJsonFrame(encodeJsonFrame({ timestamp: 0, payload: { kind: 'json', data } })).payload.data,
    ).toEqual(data);
  });
});
