/**
 * ResilientClient and permessage-deflate (RFC 7692): offered only with `perMessageDeflate: true`,
 * negotiated with a server that supports it (and then really compressing on the wire), and falling
 * back to uncompressed messages — losing none — when the server refuses it.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { ResilientClient } from '../../src/client/index.js';
import { MockServer } from '../../src/server/index.js';

const COUNT = 50;
/** Highly compressible, above ws's 1024-byte compression threshold. */
const PAD = 'a'.repeat(4096);
const texts = Array.from({ length: COUNT }, (_, i) => `${i}:${PAD}`);
/** Payload bytes the client sends in all. */
const PAYLOAD_BYTES = texts.reduce((sum, t) => sum + t.length, 0);

interface EchoServer extends AsyncDisposable {
  url: string;
  /** Messages received, as text. */
  received: string[];
  /** The first connection's socket and upgrade request. */
  connection: Promise<{ ws: WebSocket; request: IncomingMessage }>;
}

/** A bare `ws` server on loopback that echoes every message. */
async function echoServer(perMessageDeflate: boolean): Promise<EchoServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const received: string[] = [];
  const connection = new Promise<{ ws: WebSocket; request: IncomingMessage }>((resolve) =>
    wss.once('connection', (ws, request) => resolve({ ws, request })),
  );
  wss.on('connection', (ws) =>
    ws.on('message', (data: Buffer) => {
      received.push(data.toString('utf8'));
      ws.send(data.toString('utf8'));
    }),
  );
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    connection,
    async [Symbol.asyncDispose]() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Resolves with the first `n` messages the client delivers (text), or rejects after 2 s saying how many came. */
function collect(client: ResilientClient, n: number): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${n} messages arrived`)), 2000);
    client.on('message', (m) => {
      got.push(typeof m.data === 'string' ? m.data : JSON.stringify(m.data));
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

/** Sends every text in plain mode and waits for all the echoes; returns them. */
async function roundTrip(client: ResilientClient): Promise<string[]> {
  const echoes = collect(client, COUNT);
  await client.opened();
  await Promise.all(texts.map((t) => client.send(t)));
  return echoes;
}

describe('ResilientClient with permessage-deflate', { timeout: 10_000 }, () => {
  it('negotiates permessage-deflate with a server that supports it, and compresses on the wire', async () => {
    await using server = await echoServer(true);
    await using client = new ResilientClient(server.url, { protocol: 'plain', perMessageDeflate: true });
    const echoes = await roundTrip(client);
    const { ws, request } = await server.connection;

    expect(request.headers['sec-websocket-extensions']).toMatch(/^permessage-deflate\b/);
    expect(ws.extensions).toBe('permessage-deflate');
    expect(server.received).toEqual(texts);
    expect(echoes).toEqual(texts);
    // 50 × 4 KiB of 'a' compress to a few hundred bytes (the upgrade request included)
    expect(request.socket.bytesRead).toBeLessThan(PAYLOAD_BYTES / 20);
  });

  it('falls back to uncompressed messages when a ws server refuses it, and delivers every one', async () => {
    await using server = await echoServer(false);
    await using client = new ResilientClient(server.url, { protocol: 'plain', perMessageDeflate: true });
    const echoes = await roundTrip(client);
    const { ws, request } = await server.connection;

    expect(request.headers['sec-websocket-extensions']).toMatch(/^permessage-deflate\b/);
    expect(ws.extensions).toBe('');
    expect(server.received).toEqual(texts);
    expect(echoes).toEqual(texts);
    expect(request.socket.bytesRead).toBeGreaterThan(PAYLOAD_BYTES);
  });

  it('falls back against a MockServer (semantest-v1, no deflate) and loses nothing', async () => {
    await using server = await MockServer.start({ echo: true, protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { perMessageDeflate: true });
    const echoes = collect(client, COUNT);
    await client.opened();
    for (const t of texts) void client.send(t, { channel: 'c' });
    await client.drained();
    const connection = server.connections[0]!;

    expect(connection.headers['sec-websocket-extensions']).toMatch(/^permessage-deflate\b/);
    expect(client.protocol).toBe('semantest-v1');
    expect(server.messages.map((m) => [m.channel, m.seq, m.data])).toEqual(
      texts.map((t, i) => ['c', i + 1, t]),
    );
    expect(await echoes).toEqual(texts);
    expect(client.stats()).toMatchObject({ unacked: 0, duplicatesDropped: 0, reconnects: 0 });
  });

  it('offers nothing with the option off (the default), even to a server that supports it', async () => {
    await using server = await echoServer(true);
    await using client = new ResilientClient(server.url, { protocol: 'plain' });
    const echoes = await roundTrip(client);
    const { ws, request } = await server.connection;

    expect(request.headers['sec-websocket-extensions']).toBeUndefined();
    expect(ws.extensions).toBe('');
    expect(echoes).toEqual(texts);
    expect(request.socket.bytesRead).toBeGreaterThan(PAYLOAD_BYTES);
  });
});
