import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { MockServer, negotiateSubprotocol } from '../../src/server/index.js';
import { nextClientMessage, openClient, rawHandshake, upgradeStatus } from './server-helpers.js';

const tlsDir = path.resolve(import.meta.dirname, '../fixtures/tls');
const tls = {
  key: readFileSync(path.join(tlsDir, 'localhost-key.pem'), 'utf8'),
  cert: readFileSync(path.join(tlsDir, 'localhost-cert.pem'), 'utf8'),
};

const clients: WebSocket[] = [];
async function client(url: string, protocols?: string | string[], options = {}): Promise<WebSocket> {
  const ws = await openClient(url, protocols, options);
  clients.push(ws);
  return ws;
}
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

describe('negotiateSubprotocol', () => {
  it("picks the client's first supported protocol by default preference 'client'", () => {
    expect(negotiateSubprotocol(['b', 'a'], ['a', 'b'], 'client')).toEqual({ ok: true, protocol: 'b' });
  });

  it("picks the server's first offered protocol with preference 'server'", () => {
    expect(negotiateSubprotocol(['b', 'a'], ['a', 'b'], 'server')).toEqual({ ok: true, protocol: 'a' });
  });

  it('never selects a bearer token entry and treats it as no offer', () => {
    expect(negotiateSubprotocol(['bearer.abc'], ['semantest-v1'], 'client')).toEqual({
      ok: true,
      protocol: '',
    });
    expect(negotiateSubprotocol(['bearer.abc', 'x'], ['semantest-v1'], 'client')).toEqual({
      ok: false,
      offered: ['x'],
    });
  });
});

describe('MockServer subprotocol negotiation', { timeout: 5000 }, () => {
  it('gives a client offering semantest-v2, semantest-v1 to a v1 server semantest-v1', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const ws = await client(server.url, ['semantest-v2', 'semantest-v1']);
    expect(ws.protocol).toBe('semantest-v1');
    expect((await server.nextConnection()).protocol).toBe('semantest-v1');
  });

  it("follows the server's order with protocolPreference 'server'", async () => {
    await using server = await MockServer.start({
      protocols: ['json', 'semantest-v1'],
      protocolPreference: 'server',
    });
    const ws = await client(server.url, ['semantest-v1', 'json']);
    expect(ws.protocol).toBe('json');
  });

  it("follows the client's order by default", async () => {
    await using server = await MockServer.start({ protocols: ['json', 'semantest-v1'] });
    const ws = await client(server.url, ['semantest-v1', 'json']);
    expect(ws.protocol).toBe('semantest-v1');
  });

  it("rejects a mismatch with HTTP 400 under protocolMismatch 'reject'", async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const refused = new Promise<[number, string]>((resolve) =>
      server.once('refused', (s, r) => resolve([s, r])),
    );
    expect(await upgradeStatus(server.url, ['mqtt'])).toBe(400);
    expect(await refused).toEqual([400, 'unsupported subprotocol: offered mqtt; supported semantest-v1']);
    expect(server.stats().connections.total).toBe(0);
  });

  it("accepts a mismatch with no subprotocol under protocolMismatch 'accept-none'", async () => {
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      protocolMismatch: 'accept-none',
    });
    // (a ws client would then fail the connection itself: it insists on a subprotocol once it offered one)
    const head = await rawHandshake(server.url, 'Sec-WebSocket-Protocol: mqtt\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 101 /);
    expect(head.toLowerCase()).not.toContain('sec-websocket-protocol');
    expect((await server.nextConnection()).protocol).toBe('');
  });

  it('accepts a client that offers nothing, with no subprotocol', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const ws = await client(server.url);
    expect(ws.protocol).toBe('');
  });
});

describe('MockServer TLS', { timeout: 5000 }, () => {
  it('serves wss:// with the fixture certificate', async () => {
    await using server = await MockServer.start({ tls, echo: true });
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const ws = await client(server.url, undefined, { ca: tls.cert });
    const reply = nextClientMessage(ws);
    ws.send('secure');
    expect(await reply).toBe('secure');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await using server = await MockServer.start({ tls });
    await expect(openClient(server.url)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('restarts and closes cleanly with TLS', async () => {
    await using server = await MockServer.start({ tls });
    await client(server.url, undefined, { ca: tls.cert });
    await server.restart({ mode: 'immediate' });
    const again = await client(server.url, undefined, { ca: tls.cert });
    expect(again.readyState).toBe(1);
  });
});
