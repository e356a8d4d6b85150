import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { FrameError, OptionsError } from '../errors.js';
import {
  ackFrame,
  errorFrame,
  helloFrame,
  nackFrame,
  pingFrame,
  pongFrame,
  readError,
  readHello,
  readPong,
  readWelcome,
  welcomeFrame,
} from './control-frames.js';
import type { Frame } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';

const viaBinary = (frame: Frame) => decodeFrame(encodeFrame(frame));
const viaEnvelope = (frame: Frame) => decodeJsonFrame(encodeJsonFrame(frame));

describe('control frames', () => {
  it('carry a hello through both codecs', () => {
    const body = { sessionId: 's-1', versions: [2, 1], lastSeq: { 'chat:1': 41, '': 2 ** 40 } };
    for (const travel of [viaBinary, viaEnvelope]) {
      const frame = travel(helloFrame(body, 10.5));
      expect(frame).toMatchObject({ kind: 'hello', channel: '', seq: 0, timestamp: 10.5 });
      expect(readHello(frame)).toEqual(body);
    }
  });

  it('carry a hello without a session to resume', () => {
    expect(
      readHello(viaBinary(helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, 0))).sessionId,
    ).toBeNull();
  });

  it('carry a welcome through both codecs', () => {
    const body = { sessionId: 's-1', version: 1, lastSeq: { a: 3 } };
    for (const travel of [viaBinary, viaEnvelope])
      expect(readWelcome(travel(welcomeFrame(body, 1)))).toEqual(body);
  });

  it('carry a cumulative ack and a nack in the header alone', () => {
    const ack = viaBinary(ackFrame('chat:1', 2 ** 33, 5));
    expect(ack).toMatchObject({ kind: 'ack', channel: 'chat:1', seq: 2 ** 33, timestamp: 5 });
    expect(ack.payload).toEqual({ kind: 'binary', data: new Uint8Array(0) });
    expect(viaEnvelope(nackFrame('chat:1', 7, 6))).toMatchObject({ kind: 'nack', channel: 'chat:1', seq: 7 });
  });

  it('carry the four clock-sync timestamps through ping and pong', () => {
    const ping = viaBinary(pingFrame(3, 1000.125));
    const pong = viaEnvelope(pongFrame(ping, 2000.25, 2000.375));
    expect(pong).toMatchObject({ kind: 'pong', seq: 3, timestamp: 2000.375 });
    expect(readPong(pong)).toEqual({ id: 3, t0: 1000.125, t1: 2000.25, t2: 2000.375 });
  });

  it('carry an error about a specific frame', () => {
    const frame = viaBinary(
      errorFrame({ code: 'WS_KIT_ERR_FRAME_CHECKSUM', message: 'bad crc' }, 1, { channel: 'c', seq: 9 }),
    );
    expect(frame).toMatchObject({ kind: 'error', channel: 'c', seq: 9 });
    expect(readError(frame)).toEqual({ code: 'WS_KIT_ERR_FRAME_CHECKSUM', message: 'bad crc' });
  });

  it('copy the body, so later changes to it do not reach the frame', () => {
    const lastSeq: Record<string, number> = { a: 1 };
    const frame = helloFrame({ sessionId: null, versions: [1], lastSeq }, 0);
    lastSeq.a = 99;
    expect(readHello(frame).lastSeq).toEqual({ a: 1 });
  });

  it('refuse to build a body the reader would reject', () => {
    expectError(
      () => helloFrame({ sessionId: null, versions: [], lastSeq: {} }, 0),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      'helloFrame: versions must be a non-empty array of integers in [1, 255]',
    );
    expectError(
      () => pongFrame({ seq: 1, timestamp: 0 }, Number.NaN, 0),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      'pongFrame: t0 and t1 must be finite numbers',
    );
    expectError(
      () => welcomeFrame({ sessionId: 's', version: 1, lastSeq: { a: -1 } }, 0),
      OptionsError,
      'WS_KIT_ERR_INVALID_ARGUMENT',
      'welcomeFrame: lastSeq["a"] must be an integer in [0, 2^53 − 1]',
    );
  });

  it('are read only from frames of their kind', () => {
    expectError(
      () => readHello(ackFrame('a', 1, 0)),
      FrameError,
      'WS_KIT_ERR_FRAME_KIND',
      'readHello: expected a hello frame, got ack',
    );
  });

  it('are read only from JSON payloads', () => {
    const frame: Frame = {
      ...helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, 0),
      payload: { kind: 'text', data: '{}' },
    };
    expectError(
      () => readHello(frame),
      FrameError,
      'WS_KIT_ERR_FRAME_PAYLOAD_KIND',
      'readHello: a hello frame needs a JSON payload, got text',
    );
  });

  it('reject a body with a missing, unknown or mistyped field', () => {
    const withBody = (kind: Frame['kind'], data: Frame['payload']['data']): Frame =>
      ({ ...pingFrame(0, 0), kind, payload: { kind: 'json', data } }) as Frame;
    expectError(
      () => readHello(withBody('hello', { versions: [1], lastSeq: {} })),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      "readHello: hello body has no 'sessionId'",
    );
    expectError(
      () => readWelcome(withBody('welcome', { sessionId: 's', version: 1, lastSeq: {}, x: 1 })),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      "readWelcome: welcome body has an unknown key 'x'",
    );
    expectError(
      () => readWelcome(withBody('welcome', { sessionId: 7, version: 1, lastSeq: {} })),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'readWelcome: welcome body sessionId must be a string',
    );
    expectError(
      () => readPong(withBody('pong', [1, 2])),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'readPong: pong body must be a JSON object',
    );
    expectError(
      () => readError(withBody('error', { code: 1, message: 'm' })),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      'readError: error body code and message must be strings',
    );
    expectError(
      () =>
        readHello(withBody('hello', { sessionId: null, versions: [1], lastSeq: { ['x'.repeat(256)]: 1 } })),
      FrameError,
      'WS_KIT_ERR_FRAME_MALFORMED',
      `readHello: hello body lastSeq has a channel a frame cannot carry: "${'x'.repeat(57)}..."`,
    );
  });
});
