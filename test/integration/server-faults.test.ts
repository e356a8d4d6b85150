import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { OptionsError } from '../../src/errors.js';
import { MockServer } from '../../src/server/index.js';
import {
  clientClosed,
  clientFrame,
  nextClientMessage,
  openClient,
  rawConnect,
  upgradeRequest,
  upgradeStatus,
} from './server-helpers.js';

const clients: WebSocket[] = [];
async function client(url: string): Promise<WebSocket> {
  const ws = await openClient(url);
  clients.push(ws);
  return ws;
}
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

/** Opens a raw TCP client, completes the upgrade, and resolves once the 101 head has arrived. */
async function rawClient(url: string) {
  const socket = await rawConnect(url);
  let buffer = Buffer.alloc(0);
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (const listener of listeners) listener();
  });
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!test()) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  socket.write(upgradeRequest());
  await until(() => buffer.includes('\r\n\r\n'));
  buffer = buffer.subarray(buffer.indexOf('\r\n\r\n') + 4);
  const closeCode = async (): Promise<number> => {
    await until(() => buffer.length >= 4 && (buffer[0]! & 0x0f) === 8);
    return buffer.readUInt16BE(2);
  };
  return { socket, closeCode };
}

describe('MockServer restart', { timeout: 8000 }, () => {
  it("sends close 1012 to everyone on restart({ mode: 'graceful' }) and listens again on the same port", async () => {
    await using server = await MockServer.start();
    const a = await client(server.url);
    const b = await client(server.url);
    const port = server.port;
    const closes = Promise.all([clientClosed(a), clientClosed(b)]);
    await server.restart({ mode: 'graceful' });
    expect((await closes).map((c) => c.code)).toEqual([1012, 1012]);
    expect(server.port).toBe(port);
    await client(server.url);
    expect(server.stats().connections).toMatchObject({ now: 1, total: 3 });
  });

  it("destroys sockets without a close frame on restart({ mode: 'immediate' })", async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const closed = clientClosed(ws);
    await server.restart({ mode: 'immediate' });
    expect((await closed).code).toBe(1006);
    const again = await client(server.url);
    expect(again.url).toBe(`${server.url}/`);
  });

  it('rejects restart after close with WS_KIT_ERR_SERVER_CLOSED', async () => {
    const server = await MockServer.start();
    await server.close();
    await expect(server.restart()).rejects.toMatchObject({
      code: 'WS_KIT_ERR_SERVER_CLOSED',
      message: 'MockServer restart: the server is closed',
    });
  });
});

describe('MockServer per-connection faults', { timeout: 8000 }, () => {
  it('drops a connection with a chosen close code and reason', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    const closed = clientClosed(ws);
    server.drop(connection, { code: 4001, reason: 'kicked' });
    expect(await closed).toEqual({ code: 4001, reason: 'kicked' });
    expect(await connection.closed()).toEqual({ code: 4001, reason: 'kicked' });
  });

  it('drops a connection abruptly, so the client sees 1006 and the others stay open', async () => {
    await using server = await MockServer.start({ echo: true });
    const victim = await client(server.url);
    const victimConnection = await server.nextConnection();
    const bystander = await client(server.url);
    const closed = clientClosed(victim);
    server.drop(victimConnection, 'abrupt');
    expect((await closed).code).toBe(1006);
    const reply = nextClientMessage(bystander);
    bystander.send('still here');
    expect(await reply).toBe('still here');
  });

  it('rejects an unsendable close code with WS_KIT_ERR_INVALID_ARGUMENT', async () => {
    await using server = await MockServer.start();
    await client(server.url);
    const connection = await server.nextConnection();
    let error: unknown;
    try {
      server.drop(connection, { code: 1006 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/^drop: /),
    });
  });

  it('holds traffic both ways while paused and delivers it in order on resume', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    server.pause(connection);
    expect(connection.isPaused).toBe(true);
    const got: string[] = [];
    ws.on('message', (data: Buffer) => got.push(data.toString()));
    connection.send('out-1');
    connection.send('out-2');
    ws.send('in-1');
    await expect(connection.nextMessage({ timeoutMs: 100 })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_TIMEOUT',
    });
    expect(got).toEqual([]);
    server.resume(connection);
    expect((await connection.nextMessage()).data).toBe('in-1');
    const third = nextClientMessage(ws);
    connection.send('out-3');
    await third;
    expect(got).toEqual(['out-1', 'out-2', 'out-3']);
  });

  it('throws away what a paused client wrote when the connection is then dropped abruptly', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const other = await client(server.url);
    const connection = await server.nextConnection();
    await server.nextConnection();
    server.pause(connection);
    for (let i = 0; i < 50; i++) ws.send(`into the dark ${i}`);
    // a round trip on another connection: by then the paused socket's bytes were read into Node's buffer
    other.send('ping');
    await server.waitFor((m) => m.data === 'ping');
    const closed = clientClosed(ws);
    server.drop(connection, 'abrupt');
    expect((await closed).code).toBe(1006);
    other.send('after');
    await server.waitFor((m) => m.data === 'after');
    expect(server.messages.map((m) => m.data)).toEqual(['ping', 'after']);
  });

  it('writes raw bytes below WebSocket framing with sendRaw', async () => {
    await using server = await MockServer.start();
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    const text = nextClientMessage(ws);
    server.sendRaw(connection, new Uint8Array([0x81, 0x02, 0x68, 0x69])); // FIN text "hi"
    expect(await text).toBe('hi');
    const error = new Promise<Error>((resolve) => ws.once('error', resolve));
    server.sendRaw(connection, new Uint8Array([0x83, 0x00])); // reserved opcode 3
    expect((await error).message).toMatch(/invalid opcode 3/);
  });

  it('refuses the next n upgrades with the given status, then accepts again', async () => {
    await using server = await MockServer.start();
    server.rejectNext(2, 502);
    expect(await upgradeStatus(server.url)).toBe(502);
    expect(await upgradeStatus(server.url)).toBe(502);
    await client(server.url);
    expect(server.stats().rejectedUpgrades).toEqual({ 502: 2 });
  });
  it('refuses every upgrade after rejectNext(Infinity) until rejectNext(0) cancels it', async () => {
    await using server = await MockServer.start();
    server.rejectNext(Number.POSITIVE_INFINITY, 503);
    for (let i = 0; i < 3; i++) expect(await upgradeStatus(server.url)).toBe(503);
    server.rejectNext(0);
    await client(server.url);
    expect(server.stats().rejectedUpgrades).toEqual({ 503: 3 });
  });
});

describe('MockServer incoming protocol violations', { timeout: 8000 }, () => {
  const cases: [string, Buffer, number][] = [
    ['an unmasked frame gets 1002', Buffer.from([0x81, 0x01, 0x61]), 1002],
    ['a reserved opcode gets 1002', clientFrame(0x3, new Uint8Array()), 1002],
    ['RSV bits without an extension get 1002', clientFrame(0x1, new Uint8Array([0x61]), { rsv: 4 }), 1002],
    ['invalid UTF-8 in a text frame gets 1007', clientFrame(0x1, new Uint8Array([0xc3, 0x28])), 1007],
    ['a fragmented control frame gets 1002', clientFrame(0x9, new Uint8Array(), { fin: false }), 1002],
    ['a message over maxPayloadBytes gets 1009', clientFrame(0x2, new Uint8Array(200)), 1009],
  ];

  it.each(cases)('%s, and one bad client does not disturb the others', async (_title, frame, code) => {
    await using server = await MockServer.start({ echo: true, maxPayloadBytes: 100 });
    const good = await client(server.url);
    const bad = await rawClient(server.url);
    bad.socket.write(frame);
    expect(await bad.closeCode()).toBe(code);
    bad.socket.destroy();
    const reply = nextClientMessage(good);
    good.send('fine');
    expect(await reply).toBe('fine');
    await server.waitFor((m) => m.data === 'fine');
    expect(server.stats().closeCodes[code]).toBe(1);
  });
});

describe('MockServer restart and close races', { timeout: 8000 }, () => {
  it('serialises concurrent restarts and keeps serving on the same port', async () => {
    await using server = await MockServer.start();
    const port = server.port;
    await Promise.all([server.restart(), server.restart({ mode: 'immediate' })]);
    expect(server.port).toBe(port);
    await client(server.url);
  });

  it('ends a restart with WS_KIT_ERR_SERVER_CLOSED when close() comes meanwhile, leaving nothing listening', async () => {
    const server = await MockServer.start();
    await client(server.url);
    const restarting = server.restart();
    await server.close();
    await expect(restarting).rejects.toMatchObject({ code: 'WS_KIT_ERR_SERVER_CLOSED' });
    await expect(openClient(server.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
