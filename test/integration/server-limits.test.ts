import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MockServer } from '../../src/server/index.js';
import {
  clientClosed,
  nextClientMessage,
  openClient,
  rawConnect,
  upgradeRequest,
  upgradeStatus,
} from './server-helpers.js';

const clients: WebSocket[] = [];
async function client(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = await openClient(url, undefined, options);
  clients.push(ws);
  return ws;
}
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

describe('MockServer limits', { timeout: 8000 }, () => {
  it('answers the upgrade past maxConnections with 503 and accepts again after a close', async () => {
    await using server = await MockServer.start({ maxConnections: 1 });
    const first = await client(server.url);
    expect(await upgradeStatus(server.url)).toBe(503);
    const connection = await server.nextConnection();
    first.close();
    await connection.closed();
    await client(server.url);
    expect(server.stats().rejectedUpgrades).toEqual({ 503: 1 });
  });

  it('answers an origin outside allowedOrigins, or none, with 403', async () => {
    await using server = await MockServer.start({ allowedOrigins: ['https://app.example'] });
    expect(await upgradeStatus(server.url, undefined, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url)).toBe(403);
    await client(server.url, { origin: 'https://app.example' });
  });

  it("closes a connection over its rate limit with 1008 under action 'close'", async () => {
    await using server = await MockServer.start({ rateLimit: { ratePerSecond: 1, burst: 2 } });
    const ws = await client(server.url);
    const connection = await server.nextConnection();
    const closed = clientClosed(ws);
    for (const text of ['1', '2', '3']) ws.send(text);
    expect(await closed).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    expect(await connection.closed()).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    expect(server.messages.map((m) => m.data)).toEqual(['1', '2']);
    expect(server.stats().closeCodes).toEqual({ 1008: 1 });
  });

  it("drops a message over the rate limit and answers with an error under action 'error-frame'", async () => {
    await using server = await MockServer.start({
      rateLimit: { ratePerSecond: 1, burst: 1, action: 'error-frame' },
    });
    const ws = await client(server.url);
    const answer = nextClientMessage(ws);
    ws.send('1');
    ws.send('2');
    expect(JSON.parse(String(await answer))).toEqual({
      error: 'WS_KIT_ERR_RATE_LIMITED',
      message: 'rate limit exceeded; message dropped',
    });
    expect(server.messages.map((m) => m.data)).toEqual(['1']);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('MockServer timing faults', { timeout: 8000 }, () => {
  it('holds the upgrade for handshakeDelayMs, so a shorter client handshake timeout fails', async () => {
    await using server = await MockServer.start({ handshakeDelayMs: 300 });
    await expect(openClient(server.url, undefined, { handshakeTimeout: 50 })).rejects.toThrow(
      'Opening handshake has timed out',
    );
    await client(server.url);
    expect(server.stats().connections.total).toBe(1);
  });

  it("accepts TCP and never answers under hang 'tcp'", async () => {
    await using server = await MockServer.start({ hang: 'tcp' });
    await expect(openClient(server.url, undefined, { handshakeTimeout: 100 })).rejects.toThrow(
      'Opening handshake has timed out',
    );
    expect(server.stats().connections.total).toBe(0);
  });

  it("reads the upgrade request and never answers under hang 'upgrade', until hang('none')", async () => {
    await using server = await MockServer.start({ hang: 'upgrade' });
    const socket = await rawConnect(server.url);
    let answered = false;
    socket.on('data', () => {
      answered = true;
    });
    socket.write(upgradeRequest());
    await expect(openClient(server.url, undefined, { handshakeTimeout: 100 })).rejects.toThrow(
      'Opening handshake has timed out',
    );
    expect(answered).toBe(false);
    server.hang('none');
    await client(server.url);
    socket.destroy();
  });

  it('destroys hung sockets on close()', async () => {
    const server = await MockServer.start({ hang: 'tcp' });
    const socket = await rawConnect(server.url);
    const ended = new Promise((resolve) => socket.once('close', resolve));
    await server.close();
    await ended;
    expect(socket.destroyed).toBe(true);
  });
});
