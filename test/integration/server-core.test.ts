import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ManualClock } from '../../src/clock/index.js';
import { WsKitError } from '../../src/errors.js';
import { encodeFrame, helloFrame } from '../../src/framing/index.js';
import { MockServer } from '../../src/server/index.js';
import {
  activeNetworkAndTimers,
  clientClosed,
  leftAfterSettling,
  nextClientMessage,
  openClient,
} from './server-helpers.js';

const clients: WebSocket[] = [];
async function client(url: string, protocols?: string | string[]): Promise<WebSocket> {
  const ws = await openClient(url, protocols);
  clients.push(ws);
  return ws;
}
afterEach(async () => {
  vi.useRealTimers();
  // wait for the sockets to be gone, so that the next test's resource snapshot starts clean
  await Promise.all(
    clients.splice(0).map((ws) => {
      const closed = clientClosed(ws);
      ws.terminate();
      return closed;
    }),
  );
});

/** A full garbage collection, also when the worker was started without --expose-gc. */
function runGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('MockServer start, close and inspection', { timeout: 5000 }, () => {
  it('listens on 127.0.0.1 with an ephemeral port and exposes a ws:// url', async () => {
    await using server = await MockServer.start();
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    await client(server.url);
    expect((await server.nextConnection()).id).toBe('c1');
  });

  it('leaves no sockets, servers or timers behind after close()', async () => {
    const before = activeNetworkAndTimers();
    const server = await MockServer.start({ handshakeDelayMs: 1, firstMessageDelayMs: 5 });
    const ws = await openClient(server.url);
    const connection = await server.nextConnection();
    connection.send('held');
    const waiting = server.nextMessage({ timeoutMs: 10_000 });
    expect(activeNetworkAndTimers().length).toBeGreaterThan(before.length);
    await server.close();
    await expect(waiting).rejects.toMatchObject({ code: 'WS_KIT_ERR_SERVER_CLOSED' });
    await clientClosed(ws);
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('leaves nothing behind after close() with TLS, semantest-v1 sessions and a running stream', async () => {
    const before = activeNetworkAndTimers();
    const tlsDir = path.resolve(import.meta.dirname, '../fixtures/tls');
    const tls = {
      key: readFileSync(path.join(tlsDir, 'localhost-key.pem'), 'utf8'),
      cert: readFileSync(path.join(tlsDir, 'localhost-cert.pem'), 'utf8'),
    };
    const server = await MockServer.start({
      tls,
      protocols: ['semantest-v1'],
      rateLimit: { ratePerSecond: 1000 },
    });
    const ws = await openClient(server.url, ['semantest-v1'], { ca: tls.cert });
    const welcome = nextClientMessage(ws);
    ws.send(encodeFrame(helloFrame({ sessionId: null, versions: [1], lastSeq: {} }, 0)));
    await welcome;
    ws.send(encodeFrame({ channel: 'c', seq: 1, timestamp: 0, payload: { kind: 'text', data: 'x' } }));
    await server.nextMessage(); // its ack is now pending on a timer
    function* forever() {
      for (;;) yield 'tick';
    }
    server.stream({}, forever(), { ratePerSecond: 100 });
    await server.close();
    ws.terminate();
    await clientClosed(ws);
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('closes idempotently and through await using', async () => {
    let url = '';
    {
      await using server = await MockServer.start();
      url = server.url;
      await server.close();
    }
    await expect(openClient(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('records every message with its connection id and receive time', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    ws.send('one');
    ws.send(Buffer.from([1, 2, 3]));
    const first = await server.nextMessage();
    const second = await server.nextMessage();
    expect(first).toMatchObject({
      connectionId: 'c1',
      data: 'one',
      binary: false,
      channel: '',
      seq: 0,
      bytes: 3,
    });
    expect(second.data).toEqual(new Uint8Array([1, 2, 3]));
    expect(second.binary).toBe(true);
    expect(second.receivedAt).toBeGreaterThanOrEqual(first.receivedAt);
    expect(server.messages).toHaveLength(2);
  });

  it('delivers messages per connection through nextMessage', async () => {
    await using server = await MockServer.start();
    const a = await client(server.url);
    const ca = await server.nextConnection();
    const b = await client(server.url);
    const cb = await server.nextConnection();
    b.send('from b');
    a.send('from a');
    expect((await ca.nextMessage()).data).toBe('from a');
    expect((await cb.nextMessage()).data).toBe('from b');
  });

  it('times out nextMessage with an error naming what arrived instead', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    ws.send('unexpected');
    await connection.nextMessage();
    const error = await connection.nextMessage({ timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsKitError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_TIMEOUT' });
    expect((error as Error).message).toBe(
      'connection c1 nextMessage timed out after 30 ms; received instead 1 messages: c1:"unexpected"',
    );
  });

  it('times out nextConnection saying that no connection arrived', async () => {
    await using server = await MockServer.start();
    const error = await server.nextConnection({ timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsKitError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_TIMEOUT',
      message: 'nextConnection timed out after 20 ms; no connections arrived',
    });
  });

  it('resolves waitFor with a matching message that already arrived or arrives later', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    ws.send('early');
    await server.nextMessage();
    expect((await server.waitFor((m) => m.data === 'early')).data).toBe('early');
    const later = server.waitFor((m) => m.data === 'late');
    ws.send('noise');
    ws.send('late');
    expect((await later).data).toBe('late');
  });

  it('times out waitFor listing the messages that did not match', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    ws.send('a');
    ws.send('b');
    await server.waitFor((m) => m.data === 'b');
    await expect(server.waitFor((m) => m.data === 'c', { timeoutMs: 20 })).rejects.toThrow(
      'waitFor timed out after 20 ms; received instead 2 messages: c1:"a", c1:"b"',
    );
  });

  it('discards what arrived so far on flush()', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    ws.send('old');
    await server.nextMessage();
    expect(server.flush()).toBe(1);
    expect(server.messages).toEqual([]);
    expect(connection.messages).toEqual([]);
    ws.send('new');
    expect((await connection.nextMessage()).data).toBe('new');
  });

  it('still hands out a connection that closed before nextConnection() asked for it', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    ws.close(4001, 'quick');
    await clientClosed(ws);
    const connection = await server.nextConnection();
    expect(await connection.closed()).toEqual({ code: 4001, reason: 'quick' });
  });

  it('forgets closed connections on flush(), and keeps open ones', async () => {
    await using server = await MockServer.start();
    const gone = await client(server.url);
    await client(server.url);
    const serverSawClose = new Promise((resolve) => server.once('close', resolve));
    gone.close();
    await serverSawClose;
    server.flush();
    const next = await server.nextConnection();
    expect(next.id).toBe('c2');
    expect(next.isOpen).toBe(true);
    await expect(server.nextConnection({ timeoutMs: 20 })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_TIMEOUT',
    });
  });

  it('does not keep closed connections, or their sockets, alive once they were handed out', async () => {
    await using server = await MockServer.start();
    const refs: WeakRef<object>[] = [];
    // one connect-close cycle per call, so no local variable outlives it
    const cycle = async () => {
      const ws = await openClient(server.url); // not kept in `clients`
      const connection = await server.nextConnection();
      refs.push(new WeakRef(connection), new WeakRef(ws));
      ws.close();
      await connection.closed();
      await clientClosed(ws);
    };
    for (let i = 0; i < 20; i++) await cycle();
    await new Promise((resolve) => setImmediate(resolve));
    runGc();
    expect(refs.filter((r) => r.deref() !== undefined)).toEqual([]);
  });

  it('rejects a wait on a connection that closes with WS_KIT_ERR_CONNECTION_CLOSED', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    const waiting = connection.nextMessage({ timeoutMs: 5000 });
    ws.close(4000, 'bye');
    await expect(waiting).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    expect(await connection.closed()).toEqual({ code: 4000, reason: 'bye' });
  });

  it('keeps its wait timeouts working under vi.useFakeTimers()', async () => {
    await using server = await MockServer.start();
    vi.useFakeTimers();
    const error = await server.nextConnection({ timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_TIMEOUT' });
  });

  it('accepts connections and messages under vi.useFakeTimers() with a handshake delay', async () => {
    vi.useFakeTimers();
    await using server = await MockServer.start({ handshakeDelayMs: 5, echo: true });
    const ws = await client(server.url);
    const reply = nextClientMessage(ws);
    ws.send('ping');
    expect(await reply).toBe('ping');
  });
});

describe('MockServer behaviour', { timeout: 5000 }, () => {
  it('echoes every message back to its sender when echo is on', async () => {
    await using server = await MockServer.start({ echo: true });
    const ws = await client(server.url);
    const text = nextClientMessage(ws);
    ws.send('hello');
    expect(await text).toBe('hello');
    const bytes = nextClientMessage(ws);
    ws.send(Buffer.from([9, 8]));
    expect(await bytes).toEqual(Buffer.from([9, 8]));
  });

  it('answers a burst of messages read at once with one socket write, not one per echo', async () => {
    await using server = await MockServer.start({ echo: true });
    const ws = await client(server.url);
    const clientSocket = (ws as unknown as { _socket: Socket })._socket;
    // count the writes of the server's end of this connection (the socket whose peer is the client)
    const serverWrites: number[] = [];
    const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
    for (const method of ['_write', '_writev'] as const) {
      const original = proto[method];
      vi.spyOn(proto, method).mockImplementation(function (this: Socket, ...args: unknown[]) {
        if (this.remotePort === clientSocket.localPort) serverWrites.push(1);
        return original.apply(this, args);
      });
    }
    const echoes = new Promise<void>((resolve) => {
      let n = 0;
      ws.on('message', () => {
        if (++n === 20) resolve();
      });
    });
    // the client's 20 frames leave in one TCP write, so the server reads them together
    clientSocket.cork();
    for (let i = 0; i < 20; i++) ws.send(`message ${i}`);
    clientSocket.uncork();
    await echoes;
    vi.restoreAllMocks();
    expect(serverWrites.length).toBe(1);
  });

  it('calls the onMessage handler with the connection and message', async () => {
    await using server = await MockServer.start({
      onMessage: (connection, message) => connection.send(`got ${String(message.data)} on ${connection.id}`),
    });
    const ws = await client(server.url);
    const reply = nextClientMessage(ws);
    ws.send('x');
    expect(await reply).toBe('got x on c1');
  });

  it('answers with the first matching scripted reply and uses up limited ones', async () => {
    await using server = await MockServer.start();
    server
      .reply('ping', 'pong', { times: 1 })
      .reply(/^get (\w+)$/, (m) => ({ item: String(m.data).slice(4) }));
    server.reply(() => true, 'fallback');
    const ws = await client(server.url);
    const replies: string[] = [];
    ws.on('message', (data: Buffer) => replies.push(data.toString()));
    for (const text of ['ping', 'ping', 'get apple']) ws.send(text);
    await vi.waitFor(() => expect(replies).toHaveLength(3), { timeout: 2000 });
    expect(replies).toEqual(['pong', 'fallback', '{"item":"apple"}']);
  });

  it('sends text, binary and JSON with server.send', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    const received: (string | Buffer)[] = [];
    ws.on('message', (data: Buffer, binary: boolean) => received.push(binary ? data : data.toString()));
    server.send(connection, 'text');
    server.send(connection, new Uint8Array([1]));
    server.send(connection, { a: [1, 2] });
    await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: 2000 });
    expect(received).toEqual(['text', Buffer.from([1]), '{"a":[1,2]}']);
  });

  it('refuses to send to a closed connection with WS_KIT_ERR_CONNECTION_CLOSED', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    ws.close();
    await connection.closed();
    let error: unknown;
    try {
      server.send(connection, 'late');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WsKitError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED', message: 'connection c1 is closed' });
  });

  it('holds the first outgoing message for firstMessageDelayMs on the server clock', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ firstMessageDelayMs: 60, clock, echo: true });
    const ws = await client(server.url);
    const arrivals: [string, number][] = [];
    ws.on('message', (data: Buffer) => arrivals.push([data.toString(), clock.now()]));
    const connection = await server.nextConnection();
    connection.send('welcome');
    ws.send('ping');
    await connection.nextMessage(); // the echo of 'ping' is now queued behind 'welcome'
    clock.advance(60);
    await vi.waitFor(() => expect(arrivals).toHaveLength(2), { timeout: 2000 });
    expect(arrivals).toEqual([
      ['welcome', 60],
      ['ping', 60],
    ]);
  });

  it('keeps at most maxMessages, counts what it forgets and says so once per flush()', async () => {
    await using server = await MockServer.start({ maxMessages: 3 });
    const errors: Array<{ code?: string; connection: unknown }> = [];
    server.on('error', (error, connection) => errors.push({ code: (error as WsKitError).code, connection }));
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    for (let i = 1; i <= 5; i++) ws.send(`m${i}`);
    await server.waitFor((m) => m.data === 'm5');
    expect(server.messages.map((m) => m.data)).toEqual(['m3', 'm4', 'm5']);
    expect(connection.messages.map((m) => m.data)).toEqual(['m3', 'm4', 'm5']);
    expect(server.stats().forgottenMessages).toBe(2);
    expect(errors).toEqual([{ code: 'WS_KIT_ERR_BUFFER_OVERFLOW', connection: undefined }]);
    server.flush();
    for (let i = 6; i <= 10; i++) ws.send(`m${i}`);
    await server.waitFor((m) => m.data === 'm10');
    expect(server.messages.map((m) => m.data)).toEqual(['m8', 'm9', 'm10']);
    expect(server.stats().forgottenMessages).toBe(4);
    expect(errors).toHaveLength(2);
  });

  it('rejects a maxMessages that is not an integer ≥ 1 with WS_KIT_ERR_INVALID_OPTION', async () => {
    for (const maxMessages of [0, 1.5, -1, Number.NaN]) {
      await expect(MockServer.start({ maxMessages })).rejects.toMatchObject({
        code: 'WS_KIT_ERR_INVALID_OPTION',
      });
    }
  });

  it('rejects an unknown option with WS_KIT_ERR_INVALID_OPTION', async () => {
    await expect(MockServer.start({ echoo: true } as never)).rejects.toMatchObject({
      code: 'WS_KIT_ERR_INVALID_OPTION',
      message: expect.stringContaining("MockServer: unknown option 'echoo'"),
    });
  });
});

describe('MockServer waits together', { timeout: 5000 }, () => {
  it('resolves a pending waitFor and a pending nextMessage with the same message', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const next = server.nextMessage();
    const matching = server.waitFor((m) => m.data === 'x');
    ws.send('x');
    expect((await next).data).toBe('x');
    expect((await matching).data).toBe('x');
  });

  it('gives two pending nextMessage calls two successive messages', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const first = server.nextMessage();
    const second = server.nextMessage();
    ws.send('1');
    ws.send('2');
    expect([(await first).data, (await second).data]).toEqual(['1', '2']);
  });
});
