import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ManualClock } from '../../src/clock/index.js';
import { crc32c } from '../../src/framing/index.js';
import { createJwtAuthenticator } from '../../src/server/auth/index.js';
import { type MockConnection, MockServer } from '../../src/server/index.js';
import { progressStream } from '../../src/server/routing/index.js';
import { ProgressValidator } from '../../src/validators/index.js';
import { openClient, upgradeStatus } from './server-helpers.js';

const clients: WebSocket[] = [];
afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

/** Connects a client and collects everything it receives as text. */
async function listener(
  server: MockServer,
  url = server.url,
): Promise<{ ws: WebSocket; got: string[]; connection: MockConnection }> {
  const ws = await openClient(url);
  clients.push(ws);
  const got: string[] = [];
  ws.on('message', (data: Buffer) => got.push(data.toString()));
  const connection = await server.nextConnection();
  return { ws, got, connection };
}

describe('MockServer authentication', { timeout: 8000 }, () => {
  it('gives the identity from authenticate to the connection', async () => {
    await using server = await MockServer.start({
      authenticate: (request) => ({
        userId: new URL(request.url ?? '/', 'http://x').searchParams.get('u') ?? '',
        roles: ['admin'],
        tags: { team: 'a' },
      }),
    });
    const { connection } = await listener(server, `${server.url}/?u=alice`);
    expect(connection).toMatchObject({
      userId: 'alice',
      roles: ['admin'],
      tags: { team: 'a' },
      url: '/?u=alice',
    });
  });

  it('answers a rejection with its status (401) and never opens a connection', async () => {
    await using server = await MockServer.start({
      authenticate: () => ({ status: 401, reason: 'no token' }),
    });
    const refused = new Promise<string>((resolve) => server.once('refused', (_s, reason) => resolve(reason)));
    expect(await upgradeStatus(server.url)).toBe(401);
    expect(await refused).toBe('no token');
    expect(server.stats().connections.total).toBe(0);
    await expect(server.nextConnection({ timeoutMs: 20 })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_TIMEOUT',
    });
  });

  it('answers a throwing authenticate with 500', async () => {
    await using server = await MockServer.start({
      authenticate: () => {
        throw new Error('db down');
      },
    });
    expect(await upgradeStatus(server.url)).toBe(500);
  });

  it('accepts a valid HS256 JWT and refuses a missing one with 401 through createJwtAuthenticator', async () => {
    const secret = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');
    await using server = await MockServer.start({ authenticate: createJwtAuthenticator({ secret }) });
    expect(await upgradeStatus(server.url)).toBe(401);
    const token = await new SignJWT({ roles: ['reader'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setExpirationTime('1h')
      .sign(secret);
    const { connection } = await listener(server, `${server.url}/?token=${token}`);
    expect(connection.userId).toBe('bob');
    expect(connection.roles).toEqual(['reader']);
  });
});

describe('MockServer routing', { timeout: 8000 }, () => {
  async function three(server: MockServer) {
    const a = await listener(server);
    const b = await listener(server);
    const c = await listener(server);
    a.connection.subscribe('news');
    b.connection.subscribe('news');
    b.connection.subscribe('sport');
    return { a, b, c };
  }

  it('broadcasts to everyone with an empty target and returns the receivers', async () => {
    await using server = await MockServer.start();
    const { a, b, c } = await three(server);
    expect(server.broadcast('all')).toEqual(['c1', 'c2', 'c3']);
    await vi.waitFor(() => expect([a.got, b.got, c.got]).toEqual([['all'], ['all'], ['all']]), {
      timeout: 2000,
    });
  });

  it('broadcasts text, binary and JSON of every frame-header size byte for byte, also to a paused connection', async () => {
    await using server = await MockServer.start();
    const receivers: Array<{ got: Array<{ data: Buffer; binary: boolean }>; connection: MockConnection }> =
      [];
    for (let i = 0; i < 3; i++) {
      const ws = await openClient(server.url);
      clients.push(ws);
      const got: Array<{ data: Buffer; binary: boolean }> = [];
      ws.on('message', (data: Buffer, binary: boolean) => got.push({ data, binary }));
      receivers.push({ got, connection: await server.nextConnection() });
    }
    const paused = receivers[2]!.connection;
    server.pause(paused);
    // payload lengths that take the 7-bit, 16-bit and 64-bit length forms of the frame header
    const sent: Array<{ data: Buffer; binary: boolean }> = [];
    for (const size of [0, 125, 126, 65_535, 65_536, 200_000]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
      server.broadcast(bytes);
      bytes.fill(0); // changing the array after the broadcast does not change what was sent
      sent.push({
        data: Buffer.from(new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff)),
        binary: true,
      });
      const text = `é${'t'.repeat(size)}`;
      server.broadcast(text);
      sent.push({ data: Buffer.from(text), binary: false });
    }
    server.broadcast({ json: [1, 'two'] });
    sent.push({ data: Buffer.from('{"json":[1,"two"]}'), binary: false });
    server.resume(paused);
    await vi.waitFor(() => expect(receivers.map((r) => r.got.length)).toEqual([13, 13, 13]), {
      timeout: 4000,
    });
    // compared by content (a deep diff of 200 KB buffers would take the runner a minute)
    const digest = (m: { data: Buffer; binary: boolean }) =>
      `${m.binary ? 'binary' : 'text'} ${m.data.byteLength} ${crc32c(m.data)}`;
    for (const { got } of receivers) expect(got.map(digest)).toEqual(sent.map(digest));
    expect(server.stats().bytes.out).toBe(3 * sent.reduce((n, m) => n + m.data.byteLength, 0));
  });

  it('routes by channel with except, and stops after unsubscribe, with zero leakage', async () => {
    await using server = await MockServer.start();
    const { a, b, c } = await three(server);
    expect(server.broadcast('n1', { channel: 'news' })).toEqual(['c1', 'c2']);
    expect(server.broadcast('n2', { channel: 'news', except: ['c1'] })).toEqual(['c2']);
    b.connection.unsubscribe('news');
    expect(server.broadcast('n3', { channel: 'news' })).toEqual(['c1']);
    server.broadcast('end');
    await vi.waitFor(() => expect(c.got).toEqual(['end']), { timeout: 2000 });
    await vi.waitFor(() => expect(a.got).toEqual(['n1', 'n3', 'end']), { timeout: 2000 });
    await vi.waitFor(() => expect(b.got).toEqual(['n1', 'n2', 'end']), { timeout: 2000 });
  });

  it('gives each connection its own live channels set, even before it subscribes', async () => {
    await using server = await MockServer.start();
    const { c } = await three(server);
    const d = await listener(server);
    const view = c.connection.channels;
    expect([...view]).toEqual([]);
    c.connection.subscribe('late');
    expect(view.has('late')).toBe(true); // the set read before is the connection's own, kept current
    (d.connection.channels as Set<string>).add('mine'); // a misuse, but it must stay d's alone
    expect(server.broadcast('x', { channel: 'mine' })).toEqual([d.connection.id]);
    expect(server.broadcast('y', { channel: 'late' })).toEqual([c.connection.id]);
  });

  it('routes by users, roles and tags from authenticate', async () => {
    let n = 0;
    const identities = [
      { userId: 'u1', roles: ['admin'], tags: { region: 'eu' } },
      { userId: 'u2', roles: ['reader'], tags: { region: 'us' } },
    ];
    await using server = await MockServer.start({ authenticate: () => identities[n++]! });
    await listener(server);
    await listener(server);
    expect(server.broadcast('x', { users: ['u2'] })).toEqual(['c2']);
    expect(server.broadcast('x', { roles: ['admin', 'ops'] })).toEqual(['c1']);
    expect(server.broadcast('x', { tags: { region: 'us' } })).toEqual(['c2']);
    expect(server.broadcast('x', { roles: ['admin'], tags: { region: 'us' } })).toEqual([]);
  });

  it('rejects a malformed target with WS_KIT_ERR_INVALID_ARGUMENT', async () => {
    await using server = await MockServer.start();
    expect(() => server.broadcast('x', { chanel: 'typo' } as never)).toThrow(
      expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }),
    );
  });
});

describe('MockServer streams', { timeout: 8000 }, () => {
  it('paces a stream at absolute times on the server clock', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start({ clock });
    const { got } = await listener(server);
    const run = server.stream({}, ['a', 'b', 'c', 'd'], { ratePerSecond: 10 });
    clock.advance(0);
    expect(run.sent).toBe(1);
    clock.advance(199);
    expect(run.sent).toBe(2);
    clock.advance(1);
    expect(run.sent).toBe(3);
    clock.advance(200);
    const result = await run.done;
    expect(result).toMatchObject({ sent: 4, stopped: false });
    await vi.waitFor(() => expect(got).toEqual(['a', 'b', 'c', 'd']), { timeout: 2000 });
  });

  it('streams a progress stream that a ProgressValidator accepts', async () => {
    await using server = await MockServer.start();
    const { got, connection } = await listener(server);
    connection.subscribe('jobs');
    const run = server.stream({ channel: 'jobs' }, progressStream({ total: 20, step: 5 }), {
      ratePerSecond: 500,
    });
    expect((await run.done).sent).toBe(5);
    await vi.waitFor(() => expect(got).toHaveLength(5), { timeout: 2000 });
    const validator = new ProgressValidator();
    for (const text of got) validator.observe(JSON.parse(text));
    expect(() => validator.assert()).not.toThrow();
    expect(JSON.parse(got.at(-1)!)).toMatchObject({ current: 20, total: 20 });
  });

  it('stops running streams on close()', async () => {
    const server = await MockServer.start();
    await listener(server);
    function* forever() {
      for (;;) yield 'tick';
    }
    const run = server.stream({}, forever(), { ratePerSecond: 1000 });
    await server.close();
    expect((await run.done).stopped).toBe(true);
  });
});
