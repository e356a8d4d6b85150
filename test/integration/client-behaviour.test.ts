import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DisconnectReason, ResilientClient } from '../../src/client/index.js';
import { MockServer } from '../../src/server/index.js';
import { activeNetworkAndTimers, deadPort, leftAfterSettling, leftSince } from './server-helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

function next<T>(client: ResilientClient, event: 'close' | 'reconnecting' | 'error'): Promise<T> {
  return new Promise((resolve) => client.once(event, (value: unknown) => resolve(value as T)));
}

describe('ResilientClient connecting', { timeout: 10_000 }, () => {
  it('turns refused connections into reconnect events, then gives up at maxAttempts without a crash', async () => {
    const port = await deadPort();
    const client = new ResilientClient(`ws://127.0.0.1:${port}`, {
      backoff: { initialMs: 1, maxMs: 5, maxAttempts: 3 },
    });
    const reasons: string[] = [];
    client.on('reconnecting', (e) => reasons.push(e.reason.kind));
    const error = next<Error>(client, 'error');
    const closed = await next<DisconnectReason>(client, 'close');
    expect(reasons).toEqual(['error', 'error', 'error']);
    expect(closed.kind).toBe('error');
    expect((await error).message).toMatch(/gave up after 3 reconnect attempts/);
    expect(client.state).toBe('closed');
    await expect(client.send('late')).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
  });

  it('stays closed after an upgrade answered 401 (getToken called for the attempt)', async () => {
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      authenticate: (request) => {
        const offered = String(request.headers['sec-websocket-protocol'] ?? '');
        return offered.includes('bearer.good') ? { userId: 'u' } : { status: 401, reason: 'bad token' };
      },
    });
    const tokens = ['bad'];
    const getToken = vi.fn(() => tokens.shift() ?? 'none');
    const client = new ResilientClient(server.url, { getToken });
    const reason = await next<DisconnectReason>(client, 'close');
    expect(reason).toEqual({ kind: 'upgrade', status: 401 });
    expect(getToken).toHaveBeenCalledTimes(1);

    const good = new ResilientClient(server.url, { getToken: async () => 'good' });
    await good.opened();
    const connection = server.connections.find((c) => c.isOpen);
    expect(connection?.userId).toBe('u');
    await good.close();
  });

  it.each([
    ['query', (r: { url?: string }) => new URL(r.url ?? '/', 'http://x').searchParams.get('token')],
    [
      'header',
      (r: { headers: Record<string, unknown> }) =>
        String(r.headers.authorization ?? '').replace('Bearer ', ''),
    ],
  ] as const)('puts the token in the %s with tokenIn', async (tokenIn, read) => {
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      authenticate: (request) =>
        read(request as never) === 't0k' ? { userId: 'u' } : { status: 401, reason: 'no token' },
    });
    await using client = new ResilientClient(server.url, { getToken: () => 't0k', tokenIn });
    await client.opened();
    expect(server.connections.find((c) => c.isOpen)?.userId).toBe('u');
  });

  it('steps through the exact backoff delays with fake timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const port = await deadPort();
    const client = new ResilientClient(`ws://127.0.0.1:${port}`, {
      backoff: { initialMs: 100, maxMs: 1000, jitter: 'full' },
      random: () => 0.5,
      heartbeat: false,
    });
    const delays: number[] = [];
    client.on('reconnecting', (e) => delays.push(e.delayMs));
    for (let attempt = 1; attempt <= 5; attempt++) {
      await vi.waitFor(() => expect(delays).toHaveLength(attempt), { timeout: 2000, interval: 1 });
      await vi.advanceTimersByTimeAsync(delays.at(-1)!);
    }
    expect(delays.slice(0, 5)).toEqual([50, 100, 200, 400, 500]);
    await client.close();
  });

  it('refuses a server without semantest-v1 (protocol error, no retry) and falls back from v2 to v1', async () => {
    await using plain = await MockServer.start({ protocols: ['chat'], protocolMismatch: 'accept-none' });
    const client = new ResilientClient(plain.url);
    const reason = await next<DisconnectReason>(client, 'close');
    expect(reason.kind).toBe('protocol');
    expect((reason as { error: Error }).error.message).toMatch(/subprotocol/);

    await using v1 = await MockServer.start({ protocols: ['semantest-v1'] });
    await using fallback = new ResilientClient(v1.url, { subprotocols: ['semantest-v2', 'semantest-v1'] });
    await fallback.opened();
    expect(fallback.protocol).toBe('semantest-v1');
  });

  it('rejects bad options with WS_KIT_ERR_INVALID_OPTION and a bad url argument', () => {
    expect(() => new ResilientClient('ws://x', { buffer: { overflow: 'drop' } } as never)).toThrow(
      /ResilientClient\.buffer\.overflow/,
    );
    expect(() => new ResilientClient('ws://x', { protocol: 'plain', subprotocols: [''] })).toThrow(
      /subprotocols/,
    );
    expect(() => new ResilientClient(42 as never)).toThrow(/url must be/);
  });
});

describe('ResilientClient buffering', { timeout: 10_000 }, () => {
  it('rejects the newest message when the buffer is full (reject), with an overflow event', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxMessages: 2 },
    });
    const overflows: number[] = [];
    client.on('overflow', (e) => overflows.push(e.dropped));
    void client.send('a');
    void client.send('b');
    await expect(client.send('c')).rejects.toMatchObject({ code: 'WS_KIT_ERR_BUFFER_OVERFLOW' });
    expect(overflows).toEqual([1]);
    expect(client.stats().unacked).toBe(2);
    await client.close();
  });

  it('drops the oldest unsent message (drop-oldest), and rejects everything held on close()', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxBytes: 100, overflow: 'drop-oldest' },
    });
    const overflows: { policy: string; dropped: number }[] = [];
    client.on('overflow', (e) => overflows.push({ policy: e.policy, dropped: e.dropped }));
    const first = client.send(new Uint8Array(60));
    const second = client.send(new Uint8Array(30));
    const third = client.send(new Uint8Array(60));
    await expect(first).rejects.toMatchObject({ code: 'WS_KIT_ERR_BUFFER_OVERFLOW' });
    expect(overflows).toEqual([{ policy: 'drop-oldest', dropped: 1 }]);
    expect(client.stats().unacked).toBe(2);
    await client.close();
    await expect(second).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    await expect(third).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
  });

  it('closes on overflow with the error policy', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxMessages: 1, overflow: 'error' },
    });
    const overflows: { policy: string; dropped: number }[] = [];
    client.on('overflow', (e) => overflows.push({ policy: e.policy, dropped: e.dropped }));
    const errors: string[] = [];
    client.on('error', (e) => errors.push((e as { code?: string }).code ?? e.message));
    const first = client.send('a');
    const closed = next<DisconnectReason>(client, 'close');
    await expect(client.send('b')).rejects.toMatchObject({ code: 'WS_KIT_ERR_BUFFER_OVERFLOW' });
    expect((await closed).kind).toBe('error');
    expect(overflows).toEqual([{ policy: 'error', dropped: 1 }]);
    expect(errors).toEqual(['WS_KIT_ERR_BUFFER_OVERFLOW']);
    // the message already held is rejected as the client closes
    await expect(first).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    expect(client.state).toBe('closed');
  });

  it('in plain mode buffers while offline and delivers in order once connected, to any server', async () => {
    await using server = await MockServer.start({ echo: true });
    const client = new ResilientClient(server.url, { protocol: 'plain', autoConnect: false });
    const sent = ['one', 'two', 'three'].map((text) => client.send(text));
    const got: string[] = [];
    client.on('message', (m) => got.push(m.data as string));
    client.connect();
    await Promise.all(sent);
    await vi.waitFor(() => expect(got).toEqual(['one', 'two', 'three']), { timeout: 2000 });
    expect(server.messages.map((m) => m.data)).toEqual(['one', 'two', 'three']);
    await client.close();
  });

  it('rejects a payload that cannot be framed at send() with a FrameError', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', { autoConnect: false });
    await expect(client.send({ n: Number.NaN })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_FRAME_INVALID_JSON',
    });
    expect(client.stats().unacked).toBe(0);
    await client.close();
  });
});

describe('ResilientClient lifecycle', { timeout: 10_000 }, () => {
  it('reports every state change with its reason, and leaves no sockets or timers after close()', async () => {
    const before = activeNetworkAndTimers();
    const server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = new ResilientClient(server.url, { backoff: { initialMs: 5 }, autoConnect: false });
    const states: string[] = [];
    client.on('state', (s) => states.push(`${s.from}>${s.to}${s.reason ? `:${s.reason.kind}` : ''}`));
    client.connect();
    await client.opened();
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    server.drop(await server.nextConnection(), { code: 1012 });
    await reconnected;
    // The check below can fail: an open client holds a socket and its heartbeat timer.
    expect(leftSince(before).length).toBeGreaterThan(2);
    await client.close();
    expect(states).toEqual([
      'idle>connecting',
      'connecting>open',
      'open>reconnecting:close',
      'reconnecting>open',
      'open>closed:user',
    ]);
    await server.close();
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('close() while connecting ends the half-made connection and its connect timer', async () => {
    const before = activeNetworkAndTimers();
    // Accepts TCP but never answers the upgrade, so the client stays in `connecting`.
    const held: Socket[] = [];
    const silent = createServer((socket) => {
      held.push(socket);
      socket.resume(); // read, so that the client's FIN is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = new ResilientClient(`ws://127.0.0.1:${port}`);
    await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 2000 });
    expect(client.state).toBe('connecting');
    const ended = new Promise((resolve) => held[0]!.once('close', resolve));
    await client.close();
    await ended;
    expect(client.state).toBe('closed');
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(await leftAfterSettling(before)).toEqual([]);
  });

  it('close() while waiting to reconnect cancels the backoff timer (await using)', async () => {
    const before = activeNetworkAndTimers();
    const port = await deadPort();
    {
      await using client = new ResilientClient(`ws://127.0.0.1:${port}`, {
        backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 'none' },
      });
      const waiting = await next<{ delayMs: number }>(client, 'reconnecting');
      expect(waiting.delayMs).toBe(60_000);
      expect(client.state).toBe('reconnecting');
      expect(leftSince(before)).toContain('Timeout');
    }
    expect(await leftAfterSettling(before)).toEqual([]);
  });
});
