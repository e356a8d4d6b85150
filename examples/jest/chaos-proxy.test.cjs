/**
 * ChaosProxy in a Jest suite (plain CommonJS, no transform): a link broken on purpose.
 * Run by the consumer test (test/consumer/consumer.test.ts) against the packed package.
 */
const { ChaosProxy, MockServer, ResilientClient } = require('@semantest/ws-kit');
const { WebSocket } = require('ws');

function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('ChaosProxy', () => {
  test("a blackout holds a plain client's messages; restore() lets them through in order", async () => {
    const server = await MockServer.start();
    const proxy = await ChaosProxy.start({ target: server.url, profile: 'local' });
    const ws = await connect(proxy.url);
    const ended = proxy.blackout(); // half-open until restore()
    ws.send('held-1');
    ws.send('held-2');
    await expect(server.nextMessage({ timeoutMs: 200 })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_TIMEOUT',
    });
    proxy.restore();
    await ended;
    await server.waitFor(() => server.messages.length === 2);
    expect(server.messages.map((m) => m.data)).toEqual(['held-1', 'held-2']);
    ws.terminate();
    await proxy.close();
    await server.close();
  });

  test('ResilientClient reconnects through the proxy when the connection is reset', async () => {
    const server = await MockServer.start({ protocols: ['semantest-v1'] });
    const proxy = await ChaosProxy.start({ target: server.url });
    const client = new ResilientClient(proxy.url, { backoff: { initialMs: 20 } });
    await client.opened();
    await client.send('before');
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    proxy.reset(); // TCP RST to both sides
    await reconnected;
    await client.send('after');
    expect(server.messages.map((m) => m.data)).toEqual(['before', 'after']);
    expect(proxy.faults.map((f) => f.kind)).toEqual(['reset']);
    await client.close();
    await proxy.close();
    await server.close();
  });
});
