/**
 * MockServer tour: a real ws server on loopback, scripted and inspected, then broken on purpose.
 * A client connects, is echoed and answered by a script; the server routes a broadcast by channel,
 * refuses an upgrade, restarts gracefully (close 1012) on the same port, and reports its stats.
 * Every step is checked; the process exits 0 only if all checks hold.
 *
 * Run: node --import tsx examples/mock-server.ts
 */
import { MockServer } from '@semantest/ws-kit';
import { WebSocket } from 'ws';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString())));
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => {});
  });
}

{
  await using server = await MockServer.start({ echo: true });
  server.reply('ping', 'pong');
  console.log(`listening on ${server.url}`);

  // 1. connect, send, inspect
  const alice = await open(server.url);
  const aliceConnection = await server.nextConnection();
  const echoed = next(alice);
  alice.send('hello');
  const received = await aliceConnection.nextMessage();
  check(received.data === 'hello' && received.connectionId === 'c1', 'the server recorded the message');
  check((await echoed) === 'hello', 'echo');
  const answers: string[] = [];
  alice.on('message', (data: Buffer) => answers.push(data.toString()));
  alice.send('ping');
  await server.waitFor((m) => m.data === 'ping');

  // 2. a wait that times out says what arrived instead
  const timeout = await server.waitFor((m) => m.data === 'never', { timeoutMs: 20 }).catch((e: Error) => e);
  console.log(`timeout message: ${(timeout as Error).message}`);
  check((timeout as { code?: string }).code === 'WS_KIT_ERR_TIMEOUT', 'timeouts are coded');

  // 3. routing by channel
  const bob = await open(server.url);
  const bobConnection = await server.nextConnection();
  bobConnection.subscribe('news');
  const news = next(bob);
  const receivers = server.broadcast('headline', { channel: 'news' });
  check(receivers.join() === 'c2' && (await news) === 'headline', 'broadcast reached only the subscriber');

  // 4. refuse an upgrade, then restart gracefully on the same port
  server.rejectNext(1, 503);
  check((await status(server.url)) === 503, 'rejectNext answered 503');
  const port = server.port;
  const closed = new Promise<number>((resolve) => alice.once('close', (code: number) => resolve(code)));
  await server.restart({ mode: 'graceful' });
  check((await closed) === 1012 && server.port === port, 'graceful restart: close 1012, same port');
  const again = await open(server.url);
  check(again.readyState === WebSocket.OPEN, 'clients reconnect after the restart');

  // 5. statistics
  check(answers.includes('pong'), 'the scripted reply answered ping');
  const stats = server.stats();
  console.log(
    `connections ${JSON.stringify(stats.connections)}, messages ${JSON.stringify(stats.messages)}, ` +
      `close codes ${JSON.stringify(stats.closeCodes)}, refused ${JSON.stringify(stats.rejectedUpgrades)}`,
  );
  check(stats.connections.total === 3 && stats.connections.now === 1, 'connection counts');
  again.terminate();
  bob.terminate();
}
console.log('mock-server example: all checks passed');
