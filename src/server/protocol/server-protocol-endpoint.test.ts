import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../errors.js';
import {
  decodeFrame,
  encodeFrame,
  encodeJsonFrame,
  helloFrame,
  pingFrame,
  readError,
  readPong,
  readWelcome,
} from '../../framing/index.js';
import { data, hello, names, setup } from './endpoint-harness.js';
import { ServerProtocolEndpoint } from './server-protocol-endpoint.js';

describe('ServerProtocolEndpoint: hello and welcome', () => {
  it('answers a hello without a session id with a welcome carrying a new session id and version 1', () => {
    const { endpoint, take } = setup();
    const sessions: unknown[] = [];
    endpoint.on('session', (e) => sessions.push(e));
    endpoint.receive(hello());
    const [welcome, ...rest] = take();
    expect(rest).toEqual([]);
    expect(readWelcome(welcome!)).toEqual({ sessionId: 's-1', version: 1, lastSeq: {} });
    expect(endpoint.state).toBe('open');
    expect(sessions).toEqual([{ sessionId: 's-1', resumed: false, requestedSessionId: null, replayed: 0 }]);
  });

  it('gives a new session to a hello naming an unknown session id, and reports the id asked for', () => {
    const { endpoint, take } = setup();
    const sessions: { requestedSessionId: string | null; resumed: boolean }[] = [];
    endpoint.on('session', (e) => sessions.push(e));
    endpoint.receive(hello('gone', { a: 5 }));
    expect(readWelcome(take()[0]!).sessionId).toBe('s-1');
    expect(sessions[0]).toMatchObject({ requestedSessionId: 'gone', resumed: false });
  });

  it('answers a JSON-envelope hello with JSON-envelope frames', () => {
    const { endpoint, raw } = setup();
    endpoint.receive(encodeJsonFrame(helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, 0)), false);
    endpoint.sendData('a', 'x');
    expect(raw.map((r) => typeof r)).toEqual(['string', 'string']);
  });
});

describe('ServerProtocolEndpoint: client → server data', () => {
  it('delivers data frames in order and acks cumulatively after ackEvery frames', () => {
    const { endpoint, clock, delivered, take } = setup({ ackEvery: 3 });
    endpoint.receive(hello());
    take();
    for (let seq = 1; seq <= 3; seq++) endpoint.receive(data('a', seq));
    expect(names(delivered)).toEqual(['data:a#1', 'data:a#2', 'data:a#3']);
    expect(names(take())).toEqual(['ack:a#3']);
    expect(clock.pendingTimers).toBe(0);
    expect(endpoint.stats()).toMatchObject({ acksSent: 1, delivered: 3 });
  });

  it('sends a pending ack ackDelayMs after the first unacked frame, and not before', () => {
    const { endpoint, clock, take } = setup({ ackEvery: 32, ackDelayMs: 20 });
    endpoint.receive(hello());
    take();
    endpoint.receive(data('a', 1));
    clock.advance(10);
    endpoint.receive(data('a', 2));
    endpoint.receive(data('b', 1));
    clock.advance(9);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(names(take())).toEqual(['ack:a#2', 'ack:b#1']);
  });

  it('drops a duplicate, counts it, and acks the channel again', () => {
    const { endpoint, clock, delivered, take } = setup({ ackEvery: 1 });
    endpoint.receive(hello());
    endpoint.receive(data('a', 1));
    take();
    endpoint.receive(data('a', 1));
    expect(delivered).toHaveLength(1);
    expect(endpoint.stats().duplicatesDropped).toBe(1);
    clock.advance(20);
    expect(names(take())).toEqual(['ack:a#1']);
  });

  it('holds frames after a gap, nacks the first missing seq, and delivers in order once it arrives', () => {
    const { endpoint, delivered, take } = setup({ ackEvery: 100 });
    endpoint.receive(hello());
    take();
    endpoint.receive(data('a', 1));
    endpoint.receive(data('a', 3));
    endpoint.receive(data('a', 4));
    expect(names(delivered)).toEqual(['data:a#1']);
    expect(names(take())).toEqual(['nack:a#2']);
    endpoint.receive(data('a', 2));
    expect(names(delivered)).toEqual(['data:a#1', 'data:a#2', 'data:a#3', 'data:a#4']);
  });

  it('refuses a frame beyond maxReorderFrames with an overflow event and does not ack it', () => {
    const { endpoint, clock, take } = setup({ maxReorderFrames: 1, ackEvery: 100 });
    const overflows: unknown[] = [];
    endpoint.on('overflow', (e) => overflows.push({ ...e, error: e.error.code }));
    endpoint.receive(hello());
    endpoint.receive(data('a', 2));
    endpoint.receive(data('a', 3));
    expect(overflows).toEqual([
      {
        buffer: 'reorder',
        policy: 'reject',
        error: 'WS_KIT_ERR_BUFFER_OVERFLOW',
        dropped: [{ channel: 'a', seq: 3 }],
      },
    ]);
    take();
    endpoint.receive(data('a', 1));
    clock.advance(20);
    expect(names(take())).toEqual(['ack:a#2']);
  });

  it('delivers an unsequenced (seq 0) data frame as is, without acking it', () => {
    const { endpoint, clock, delivered, take } = setup({ ackEvery: 1 });
    endpoint.receive(hello());
    take();
    endpoint.receive(data('a', 0));
    endpoint.receive(data('a', 0));
    clock.advance(100);
    expect(delivered).toHaveLength(2);
    expect(take()).toEqual([]);
  });
});

describe('ServerProtocolEndpoint: ping', () => {
  it('answers a ping with a pong carrying t0, t1 (receive time) and t2 (send time)', () => {
    const { store } = setup();
    let t = 5000;
    const clock = { now: () => (t += 1), setTimeout: () => 0, clearTimeout: () => {} };
    const sent: Uint8Array[] = [];
    const endpoint = new ServerProtocolEndpoint({ send: (d) => sent.push(d as Uint8Array), store, clock });
    endpoint.receive(encodeFrame(pingFrame(7, 123.5)));
    const pong = decodeFrame(sent[0]!);
    expect(readPong(pong)).toEqual({ id: 7, t0: 123.5, t1: 5001, t2: 5002 });
  });
});

describe('ServerProtocolEndpoint: errors', () => {
  it('reports a data frame before hello as a protocolError with close code 1002', () => {
    const { endpoint, errors, take } = setup();
    expect(() => endpoint.receive(data('a', 1))).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.closeCode).toBe(1002);
    expect(errors[0]!.error).toBeInstanceOf(ProtocolError);
    expect(errors[0]!.error.code).toBe('WS_KIT_ERR_PROTOCOL');
    expect(errors[0]!.error.message).toBe('unexpected data frame: the first frame must be hello');
    expect(readError(take()[0]!).code).toBe('WS_KIT_ERR_PROTOCOL');
    expect(endpoint.state).toBe('failed');
  });
});
