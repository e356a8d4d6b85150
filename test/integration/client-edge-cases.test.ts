import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DisconnectReason, ResilientClient } from '../../src/client/index.js';
import { isWsKitError } from '../../src/errors.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';

function next<T>(client: ResilientClient, event: 'close' | 'reconnecting' | 'error'): Promise<T> {
  return new Promise((resolve) => client.once(event, (value: unknown) => resolve(value as T)));
}

describe('ResilientClient and bad input', { timeout: 10_000 }, () => {
  it('closes for good (no retry) when url() gives something that is not a URL', async () => {
    const client = new ResilientClient(() => 'not a url', { backoff: { initialMs: 1 } });
    let reconnects = 0;
    client.on('reconnecting', () => reconnects++);
    const reason = await next<DisconnectReason>(client, 'close');
    expect(reason.kind).toBe('protocol');
    const error = (reason as { error: Error }).error;
    expect(isWsKitError(error) && error.code).toBe('WS_KIT_ERR_INVALID_ARGUMENT');
    expect(error.message).toMatch(/'not a url' is not a URL/);
    expect(reconnects).toBe(0);
  });

  it('retries when url() or getToken() throws, and connects once they recover', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    let calls = 0;
    let tokens = 0;
    await using client = new ResilientClient(
      () => {
        calls++;
        if (calls < 3) throw new Error(`service discovery down (${calls})`);
        return server.url;
      },
      {
        backoff: { initialMs: 1, maxMs: 2 },
        getToken: () => {
          tokens++;
          if (tokens === 1) throw new Error('token service down');
          return 't';
        },
      },
    );
    const reasons: string[] = [];
    client.on('reconnecting', (e) =>
      reasons.push(e.reason.kind === 'error' ? e.reason.error.message : e.reason.kind),
    );
    await client.opened();
    expect(reasons).toEqual([
      'service discovery down (1)',
      'service discovery down (2)',
      'token service down',
    ]);
    expect(calls).toBe(4);
    expect(tokens).toBe(2);
  });

  it('reports a text message on semantest-v1 as a protocol error and keeps the connection', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url);
    const connection = await server.nextConnection();
    await client.opened();
    const error = next<Error>(client, 'error');
    server.sendRaw(connection, new Uint8Array([0x81, 0x02, 0x68, 0x69])); // an unmasked text frame "hi"
    expect(await error).toMatchObject({ code: 'WS_KIT_ERR_PROTOCOL' });
    expect((await error).message).toMatch(/text message on semantest-v1/);
    await client.send('still works');
    expect(client.state).toBe('open');
    expect(client.stats().reconnects).toBe(0);
  });
});

describe('ResilientClient resume accounting', { timeout: 10_000 }, () => {
  it('reports in `reconnected` exactly the frames written into a dead link and resent', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { backoff: { initialMs: 1 }, heartbeat: false });
    const connection = await server.nextConnection();
    await client.opened();
    await client.send('before'); // acked
    server.pause(connection); // half-open: what the client writes now never arrives
    const lost = Array.from({ length: 5 }, (_, i) => client.send(`into the void ${i}`));
    await expect.poll(() => client.stats().messagesOut).toBeGreaterThanOrEqual(6 + 1); // hello + 6 data
    const reconnected = new Promise<{ resent: number }>((resolve) => client.once('reconnected', resolve));
    server.drop(connection, 'abrupt');
    expect((await reconnected).resent).toBe(5);
    await Promise.all(lost);
    expect(server.messages.map((m) => m.data)).toEqual([
      'before',
      ...[0, 1, 2, 3, 4].map((i) => `into the void ${i}`),
    ]);
    expect(client.stats().resends).toBe(5);
  });
});

describe('ResilientClient and a CLOSING socket', { timeout: 10_000 }, () => {
  it('keeps (plain mode) what is sent after a close frame arrived, and sends it after the reconnect', async () => {
    // A socket that says CLOSING and drops writes, as ws and browsers do between a close frame and `close`.
    let closing = false;
    const openState = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'readyState')!.get!;
    class ClosingSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        Object.defineProperty(this, 'readyState', {
          get: () => {
            const state = openState.call(this) as number;
            return closing && state === 1 ? 2 : state;
          },
        });
      }
      override send(data: Parameters<WebSocket['send']>[0]): void {
        if (!closing) super.send(data);
      }
    }
    await using server = await MockServer.start();
    await using client = new ResilientClient(server.url, {
      protocol: 'plain',
      WebSocket: ClosingSocket,
      backoff: { initialMs: 1 },
    });
    const first = await server.nextConnection();
    await client.opened();
    closing = true;
    const sends = ['a', 'b', 'c'].map((m) => client.send(m));
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    closing = false;
    server.drop(first, 'abrupt');
    await reconnected;
    await Promise.all(sends);
    await server.waitFor(() => server.messages.length === 3);
    expect(server.messages.map((m) => m.data)).toEqual(['a', 'b', 'c']);
  });
});

describe('ResilientClient.drained() and close', () => {
  it('rejects when the client closed with messages it never got acked, even when asked afterwards', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', { autoConnect: false });
    const sent = client.send('never acked');
    const pending = client.drained({ timeoutMs: 5000 });
    await client.close();
    await expect(sent).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    await expect(pending).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    await expect(client.drained()).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
  });

  it('resolves after close when everything had been acked', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = new ResilientClient(server.url);
    await client.send('acked');
    await client.close();
    await expect(client.drained()).resolves.toBeUndefined();
  });
});

describe('ResilientClient and a corrupted hello', { timeout: 10_000 }, () => {
  it('says hello again when the server answers it with a checksum error, instead of waiting out the connect timeout', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    // the client's first WebSocket message is its hello: flip one of its bits on the way
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { corrupt: (m) => m.index === 0 },
    });
    await using client = new ResilientClient(proxy.url, { connectTimeoutMs: 5000 });
    const started = performance.now();
    await client.opened({ timeoutMs: 8000 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(proxy.faults.map((f) => [f.kind, f.message])).toEqual([['corrupt', 0]]);
    expect(server.stats().checksumFailures).toBe(1);
    expect(client.stats().reconnects).toBe(0);
  });
});
