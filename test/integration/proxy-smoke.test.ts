import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('ChaosProxy smoke', { timeout: 10_000 }, () => {
  it('passes WebSocket traffic both ways and counts it', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url });
    const ws = await open(proxy.url);
    const got: string[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (d: Buffer) => {
        got.push(d.toString());
        if (got.length === 10) resolve();
      }),
    );
    for (let i = 0; i < 10; i++) ws.send(`m${i}`);
    await all;
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    const s = proxy.stats();
    expect(s.toServer.messages).toBe(10);
    expect(s.toClient.messages).toBe(10);
    expect(s.connections).toEqual({ now: 1, total: 1 });
    ws.close();
  });

  it('drops exactly the message a predicate picks, and logs it', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { drop: (m) => m.index === 2 },
    });
    const ws = await open(proxy.url);
    for (let i = 0; i < 5; i++) ws.send(`m${i}`);
    await server.waitFor(() => server.messages.length === 4);
    expect(server.messages.map((m) => m.data)).toEqual(['m0', 'm1', 'm3', 'm4']);
    expect(proxy.faults.map((f) => [f.kind, f.direction, f.message])).toEqual([['drop', 'toServer', 2]]);
    ws.close();
  });
});
