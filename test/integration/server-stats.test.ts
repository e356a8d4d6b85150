import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ManualClock } from '../../src/clock/index.js';
import { MockServer } from '../../src/server/index.js';
import { clientClosed, nextClientMessage, openClient } from './server-helpers.js';

const clients: WebSocket[] = [];
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

async function client(url: string): Promise<WebSocket> {
  const ws = await openClient(url);
  clients.push(ws);
  return ws;
}

describe('MockServer stats', { timeout: 8000 }, () => {
  it('counts connections now, peak and total', async () => {
    await using server = await MockServer.start();
    const a = await client(server.url);
    await client(server.url);
    const first = await server.nextConnection();
    a.close(1000);
    await first.closed();
    await client(server.url);
    expect(server.stats().connections).toEqual({ now: 2, peak: 2, total: 3 });
    expect(server.stats().closeCodes).toEqual({ 1000: 1 });
  });

  it('counts messages and bytes in and out', async () => {
    await using server = await MockServer.start({ echo: true });
    const ws = await client(server.url);
    const echoed = nextClientMessage(ws);
    ws.send('hello');
    await echoed;
    const bytes = nextClientMessage(ws);
    ws.send(new Uint8Array(10));
    await bytes;
    const stats = server.stats();
    expect(stats.messages).toEqual({ in: 2, out: 2 });
    expect(stats.bytes).toEqual({ in: 15, out: 15 });
    expect(stats).toMatchObject({ acks: 0, nacks: 0, checksumFailures: 0, replays: 0, duplicates: 0 });
  });

  it('keeps a per-second series on the server clock, empty seconds included', async () => {
    const clock = new ManualClock(5000);
    await using server = await MockServer.start({ clock });
    const ws = await client(server.url);
    ws.send('in second 0');
    await server.nextMessage();
    clock.advance(2500);
    ws.send('in second 2');
    await server.nextMessage();
    const closed = clientClosed(ws);
    expect(server.stats().perSecond).toEqual([
      { second: 0, connections: 1, messagesIn: 1, messagesOut: 0, bytesIn: 11, bytesOut: 0 },
      { second: 1, connections: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 },
      { second: 2, connections: 0, messagesIn: 1, messagesOut: 0, bytesIn: 11, bytesOut: 0 },
    ]);
    ws.close();
    await closed;
  });
});
