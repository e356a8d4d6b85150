import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError, ProtocolError } from '../../errors.js';
import {
  crc32c,
  encodeFrame,
  encodeJsonFrame,
  helloFrame,
  pingFrame,
  readError,
  welcomeFrame,
} from '../../framing/index.js';
import { connect, data, hello, names, setup } from './endpoint-harness.js';

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at]! ^= 1;
  return copy;
};

/** A frame a peer built wrong on purpose: altered, then given a matching CRC32C. */
const reseal = (bytes: Uint8Array): Uint8Array => {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(
    bytes.length - 4,
    crc32c(bytes.subarray(0, bytes.length - 4)),
  );
  return bytes;
};

describe('ServerProtocolEndpoint: corrupted frames', () => {
  it('nacks a data frame whose CRC32C fails but whose channel and seq are readable, and stays open', () => {
    const { endpoint, take, errors } = setup();
    const corrupt: unknown[] = [];
    endpoint.on('corruptFrame', (e) => corrupt.push([e.error.code, e.nacked]));
    endpoint.receive(hello());
    take();
    const frame = data('chat', 5);
    endpoint.receive(flip(frame, frame.length - 6)); // a payload bit
    expect(names(take())).toEqual(['nack:chat#5']);
    expect(corrupt).toEqual([['WS_KIT_ERR_FRAME_CHECKSUM', { channel: 'chat', seq: 5 }]]);
    expect(errors).toEqual([]);
    expect(endpoint.stats()).toMatchObject({ nacksSent: 1, checksumFailures: 1 });
  });

  it('nacks a JSON-envelope data frame whose CRC32C fails', () => {
    const { endpoint, take } = setup();
    endpoint.receive(encodeJsonFrame(helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, 0)), false);
    take();
    const text = encodeJsonFrame({
      channel: 'c',
      seq: 3,
      timestamp: 0,
      payload: { kind: 'text', data: 'hi' },
    });
    endpoint.receive(text.replace('"hi"', '"ho"'), false);
    expect(names(take())).toEqual(['nack:c#3']);
  });

  it('answers a corrupted frame that is not a readable data frame with an error frame', () => {
    const { endpoint, take, errors } = setup();
    endpoint.receive(hello());
    take();
    const ping = encodeFrame(pingFrame(1, 0));
    endpoint.receive(flip(ping, 14));
    const [reply] = take();
    expect(readError(reply!).code).toBe('WS_KIT_ERR_FRAME_CHECKSUM');
    expect(errors).toEqual([]);
    expect(endpoint.state).toBe('open');
  });
});

describe('ServerProtocolEndpoint: protocol errors', () => {
  const cases: [string, number, string, () => Uint8Array | string][] = [
    ['a truncated frame', 1002, 'WS_KIT_ERR_FRAME_TRUNCATED', () => data('a', 1).subarray(0, 20)],
    ['an unknown version', 1002, 'WS_KIT_ERR_FRAME_VERSION', () => reseal(flip(data('a', 1), 0))],
    [
      'a payload over maxPayloadBytes',
      1009,
      'WS_KIT_ERR_FRAME_TOO_LARGE',
      () => encodeFrame({ timestamp: 0, payload: { kind: 'binary', data: new Uint8Array(65) } }),
    ],
    ['a text message that is not an envelope', 1002, 'WS_KIT_ERR_FRAME_MALFORMED', () => 'hello'],
  ];
  it.each(cases)('answers %s with a protocolError and close code %i (%s)', (_, closeCode, code, input) => {
    const { endpoint, errors } = setup({ maxPayloadBytes: 64 });
    endpoint.receive(hello());
    const message = input();
    expect(() => endpoint.receive(message, typeof message !== 'string')).not.toThrow();
    expect(errors.map((e) => [e.closeCode, e.error.code])).toEqual([[closeCode, code]]);
    expect(errors[0]!.error).toBeInstanceOf(FrameError);
    expect(endpoint.stats().protocolErrors).toBe(1);
  });

  it('answers a JSON payload that does not parse with close code 1007', () => {
    const { endpoint, errors } = setup();
    endpoint.receive(hello());
    const frame = encodeFrame({ channel: 'a', seq: 1, timestamp: 0, payload: { kind: 'text', data: '{' } });
    const bytes = frame.slice();
    bytes[2] = 2; // payload kind json
    // Re-seal with a valid CRC so that the JSON check is reached.
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32c(bytes.subarray(0, bytes.length - 4)));
    endpoint.receive(bytes);
    expect(errors.map((e) => [e.closeCode, e.error.code])).toEqual([[1007, 'WS_KIT_ERR_FRAME_INVALID_JSON']]);
  });

  it('drops a hello repeated unchanged (duplicated on the way) as a duplicate, without a second welcome', () => {
    const { endpoint, errors, take } = setup();
    endpoint.receive(hello());
    endpoint.receive(hello());
    expect(errors).toEqual([]);
    expect(endpoint.state).toBe('open');
    expect(take().map((f) => f.kind)).toEqual(['welcome']);
    expect(endpoint.stats().duplicatesDropped).toBe(1);
    endpoint.receive(data('a', 1)); // and the connection goes on
    expect(endpoint.stats().delivered).toBe(1);
  });

  it('rejects a different second hello with WS_KIT_ERR_PROTOCOL and close code 1002', () => {
    const { endpoint, errors } = setup();
    endpoint.receive(hello());
    endpoint.receive(hello(null, { a: 3 }));
    expect(errors[0]!.error).toBeInstanceOf(ProtocolError);
    expect([errors[0]!.closeCode, errors[0]!.error.code, errors[0]!.error.message]).toEqual([
      1002,
      'WS_KIT_ERR_PROTOCOL',
      'a second hello on the same connection',
    ]);
  });

  it('rejects a hello that offers no version this server speaks', () => {
    const { endpoint, errors } = setup();
    endpoint.receive(encodeFrame(helloFrame({ sessionId: null, versions: [2, 3], lastSeq: {} }, 0)));
    expect([errors[0]!.closeCode, errors[0]!.error.message]).toEqual([
      1002,
      'hello offers versions [2, 3]; this server speaks 1 (semantest-v1)',
    ]);
  });

  it('rejects a hello whose body is malformed with close code 1002', () => {
    const { endpoint, errors } = setup();
    const bad = encodeFrame({
      kind: 'hello',
      timestamp: 0,
      payload: { kind: 'json', data: { sessionId: 1 } },
    });
    endpoint.receive(bad);
    expect([errors[0]!.closeCode, errors[0]!.error.code]).toEqual([1002, 'WS_KIT_ERR_FRAME_MALFORMED']);
  });

  it('rejects a welcome sent to the server', () => {
    const { endpoint, errors } = setup();
    endpoint.receive(hello());
    endpoint.receive(encodeFrame(welcomeFrame({ sessionId: 'x', version: 1, lastSeq: {} }, 0)));
    expect([errors[0]!.closeCode, errors[0]!.error.message]).toEqual([
      1002,
      'unexpected welcome frame: a server never accepts welcome',
    ]);
  });

  it('reports a throwing data listener as WS_KIT_ERR_INTERNAL with close code 1011', () => {
    const { endpoint, errors } = setup();
    endpoint.on('data', () => {
      throw new Error('boom');
    });
    endpoint.receive(hello());
    expect(() => endpoint.receive(data('a', 1))).not.toThrow();
    expect([errors[0]!.closeCode, errors[0]!.error.code, errors[0]!.error.message]).toEqual([
      1011,
      'WS_KIT_ERR_INTERNAL',
      'a data listener threw on "a"#1: boom',
    ]);
  });

  it('answers a full session store with WS_KIT_ERR_SESSION_LIMIT and close code 1013', () => {
    const { endpoint, store } = setup({}, { maxSessions: 1 });
    endpoint.receive(hello());
    const second = connect(store);
    second.endpoint.receive(hello());
    expect(second.errors.map((e) => [e.closeCode, e.error.code])).toEqual([
      [1013, 'WS_KIT_ERR_SESSION_LIMIT'],
    ]);
  });

  it('ignores input after a protocol error', () => {
    const { endpoint, errors, delivered } = setup();
    endpoint.receive(data('a', 1));
    endpoint.receive(hello());
    endpoint.receive(data('a', 1));
    expect(errors).toHaveLength(1);
    expect(delivered).toEqual([]);
  });

  it('never throws from receive(), whatever the bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 80 })), { maxLength: 5 }),
        (messages) => {
          const { endpoint } = setup();
          endpoint.receive(hello());
          for (const m of messages) endpoint.receive(m);
          const state = endpoint.state;
          expect(['open', 'failed']).toContain(state);
        },
      ),
    );
  });
});
