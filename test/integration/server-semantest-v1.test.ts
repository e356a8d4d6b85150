import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ackFrame,
  decodeFrame,
  encodeFrame,
  type Frame,
  helloFrame,
  pingFrame,
  readPong,
  readWelcome,
} from '../../src/framing/index.js';
import { MockServer } from '../../src/server/index.js';
import { clientClosed, openClient, within } from './server-helpers.js';

const clients: WebSocket[] = [];
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

/** A minimal semantest-v1 client over ws, recording every decoded frame it receives. */
async function v1Client(url: string) {
  const ws = await openClient(url, ['semantest-v2', 'semantest-v1']);
  clients.push(ws);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    frames.push(decodeFrame(new Uint8Array(data)));
    for (const w of waiters) w();
  });
  const frame = (test: (f: Frame) => boolean, what: string): Promise<Frame> =>
    within(
      new Promise<Frame>((resolve) => {
        const check = (): void => {
          const found = frames.find(test);
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
      2000,
      what,
    );
  const hello = async (sessionId: string | null, lastSeq: Record<string, number> = {}) => {
    ws.send(encodeFrame(helloFrame({ sessionId, versions: [1], lastSeq }, Date.now())));
    return readWelcome(await frame((f) => f.kind === 'welcome', 'welcome'));
  };
  const data = (channel: string, seq: number, text: string) =>
    ws.send(encodeFrame({ channel, seq, timestamp: Date.now(), payload: { kind: 'text', data: text } }));
  return { ws, frames, frame, hello, data };
}

describe('MockServer with semantest-v1', { timeout: 8000 }, () => {
  it('answers hello with welcome and records data frames with channel and seq', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = await v1Client(server.url);
    expect(client.ws.protocol).toBe('semantest-v1');
    const welcome = await client.hello(null);
    expect(welcome.version).toBe(1);
    const connection = await server.nextConnection();
    expect(server.sessionOf(connection)).toBe(welcome.sessionId);
    client.data('chat', 1, 'hi');
    client.data('chat', 2, 'there');
    expect(await connection.nextMessage()).toMatchObject({
      data: 'hi',
      channel: 'chat',
      seq: 1,
      binary: false,
    });
    expect(await connection.nextMessage()).toMatchObject({ data: 'there', channel: 'chat', seq: 2 });
    const ack = await client.frame((f) => f.kind === 'ack' && f.seq === 2, 'ack of seq 2');
    expect(ack.channel).toBe('chat');
    expect(server.stats().acks).toBeGreaterThanOrEqual(1);
  });

  it('drops a duplicate data frame and counts it', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = await v1Client(server.url);
    await client.hello(null);
    client.data('c', 1, 'once');
    client.data('c', 1, 'once');
    client.data('c', 2, 'next');
    await server.waitFor((m) => m.seq === 2);
    expect(server.messages.map((m) => m.data)).toEqual(['once', 'next']);
    expect(server.stats().duplicates).toBe(1);
  });

  it('nacks a data frame whose CRC32C does not match', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = await v1Client(server.url);
    await client.hello(null);
    const bytes = encodeFrame({ channel: 'c', seq: 1, timestamp: 0, payload: { kind: 'text', data: 'x' } });
    bytes[bytes.length - 1]! ^= 0xff;
    client.ws.send(bytes);
    const nack = await client.frame((f) => f.kind === 'nack', 'nack');
    expect(nack).toMatchObject({ channel: 'c', seq: 1 });
    expect(server.stats()).toMatchObject({ nacks: 1, checksumFailures: 1 });
    expect(server.messages).toEqual([]);
  });

  it('sequences server.send per channel and broadcast through the session', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = await v1Client(server.url);
    await client.hello(null);
    const connection = await server.nextConnection();
    connection.subscribe('news');
    server.send(connection, 'a', { channel: 'news' });
    server.broadcast({ n: 2 }, { channel: 'news' });
    const second = await client.frame((f) => f.kind === 'data' && f.seq === 2, 'data seq 2');
    expect(second).toMatchObject({ channel: 'news', payload: { kind: 'json', data: { n: 2 } } });
    expect(client.frames.find((f) => f.kind === 'data' && f.seq === 1)?.payload).toEqual({
      kind: 'text',
      data: 'a',
    });
  });

  it('broadcasts once to a resumed session while its displaced old connection is still closing', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const old = await v1Client(server.url);
    const { sessionId } = await old.hello(null);
    (old.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // half-open: no close reply
    const fresh = await v1Client(server.url);
    await fresh.hello(sessionId);
    const oldConnection = server.connections.find((c) => c.isOpen && c !== server.connections.at(-1));
    expect(oldConnection?.isOpen).toBe(true); // displaced, its close handshake pending
    const receivers = server.broadcast('x', {}, { channel: 'c' });
    expect(receivers).toEqual([server.connections.at(-1)!.id]);
    await fresh.frame((f) => f.kind === 'data', 'the broadcast');
    server.broadcast('y', {}, { channel: 'c' });
    await fresh.frame((f) => f.kind === 'data' && f.seq === 2, 'the second broadcast');
    const data = fresh.frames.filter((f) => f.kind === 'data').map((f) => `${f.payload.data}#${f.seq}`);
    expect(data).toEqual(['x#1', 'y#2']); // once each, under one seq
    old.ws.terminate(); // else close() waits out the half-open socket
  });

  it('answers a ping with a pong carrying t0 and t1', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = await v1Client(server.url);
    await client.hello(null);
    client.ws.send(encodeFrame(pingFrame(7, 1234.5)));
    const pong = await client.frame((f) => f.kind === 'pong', 'pong');
    expect(pong.seq).toBe(7);
    expect(readPong(pong).t0).toBe(1234.5);
  });

  it('keeps the session across a graceful restart and replays unacked frames on resume', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const first = await v1Client(server.url);
    const { sessionId } = await first.hello(null);
    const connection = await server.nextConnection();
    server.send(connection, 'one', { channel: 'c' });
    server.send(connection, 'two', { channel: 'c' });
    await first.frame((f) => f.kind === 'data' && f.seq === 2, 'data seq 2');
    first.ws.send(encodeFrame(ackFrame('c', 1, 0))); // 'two' stays unacked
    first.ws.send(encodeFrame(pingFrame(1, 0))); // frames are handled in order: the pong means the ack was read
    await first.frame((f) => f.kind === 'pong', 'pong after the ack');
    const closed = clientClosed(first.ws);
    await server.restart({ mode: 'graceful' });
    expect((await closed).code).toBe(1012);
    const second = await v1Client(server.url);
    const welcome = await second.hello(sessionId, { c: 1 });
    expect(welcome.sessionId).toBe(sessionId);
    const replayed = await second.frame((f) => f.kind === 'data', 'replayed data');
    expect(replayed).toMatchObject({ channel: 'c', seq: 2, payload: { kind: 'text', data: 'two' } });
    expect(server.stats().replays).toBeGreaterThanOrEqual(1);
  });

  it('keeps the session across an abrupt drop and continues the client sequence', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const first = await v1Client(server.url);
    const { sessionId } = await first.hello(null);
    first.data('c', 1, 'before');
    await server.waitFor((m) => m.data === 'before');
    server.drop(await server.nextConnection(), 'abrupt');
    await clientClosed(first.ws);
    const second = await v1Client(server.url);
    const welcome = await second.hello(sessionId);
    expect(welcome.lastSeq).toEqual({ c: 1 });
    second.data('c', 1, 'before'); // a resend of what already arrived: dropped
    second.data('c', 2, 'after');
    await server.waitFor((m) => m.data === 'after');
    expect(server.messages.map((m) => [m.connectionId, m.data])).toEqual([
      ['c1', 'before'],
      ['c2', 'after'],
    ]);
  });

  it('closes with the endpoint close code on a protocol violation and keeps other clients', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const good = await v1Client(server.url);
    await good.hello(null);
    const bad = await v1Client(server.url);
    const closed = clientClosed(bad.ws);
    bad.data('c', 1, 'data before hello');
    expect((await closed).code).toBe(1002);
    good.data('c', 1, 'fine');
    expect((await server.waitFor((m) => m.data === 'fine')).connectionId).toBe('c1');
    expect(server.stats().closeCodes).toEqual({ 1002: 1 });
    expect(WebSocket.OPEN).toBe(good.ws.readyState);
  });

  it('reports a full replay buffer as an error event and a WS_KIT_ERR_BUFFER_OVERFLOW from send', async () => {
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      protocol: { maxReplayFrames: 1, overflow: 'error' },
    });
    const client = await v1Client(server.url);
    await client.hello(null);
    const connection = await server.nextConnection();
    const errors: string[] = [];
    server.on('error', (error) => errors.push((error as { code?: string }).code ?? error.message));
    server.send(connection, 'kept until acked', { channel: 'c' });
    expect(() => server.send(connection, 'no room', { channel: 'c' })).toThrow(
      expect.objectContaining({ code: 'WS_KIT_ERR_BUFFER_OVERFLOW' }),
    );
    expect(errors).toEqual(['WS_KIT_ERR_BUFFER_OVERFLOW']);
  });
});
