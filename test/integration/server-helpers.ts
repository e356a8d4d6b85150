import { connect, createServer, type Socket } from 'node:net';
import { WebSocket } from 'ws';

/** Opens a ws client and resolves once it is open (rejects on error or a non-101 answer). */
export function openClient(
  url: string,
  protocols?: string | string[],
  options: WebSocket.ClientOptions = {},
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the HTTP status of a refused upgrade (rejects if the upgrade succeeds). */
export function upgradeStatus(
  url: string,
  protocols?: string | string[],
  options: WebSocket.ClientOptions = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('upgrade succeeded'));
    });
    ws.once('error', () => {});
  });
}

/** Resolves with the next message a client receives, as text or bytes. */
export function nextClientMessage(ws: WebSocket): Promise<string | Buffer> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer, binary: boolean) => resolve(binary ? data : data.toString('utf8')));
  });
}

/** Resolves with the close code and reason a client sees. */
export function clientClosed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve({ code: 1006, reason: '' });
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
  });
}

/** Opens a raw TCP socket to a server URL. */
export function rawConnect(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves once `emitter` has emitted `event`, or rejects after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A complete client upgrade request, for raw TCP tests. */
export function upgradeRequest(extra = ''): string {
  return (
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

/** Builds a masked client frame (RFC 6455 §5.2) with a chosen opcode and payload, FIN set unless told. */
export function clientFrame(
  opcode: number,
  payload: Uint8Array,
  options: { fin?: boolean; rsv?: number } = {},
): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const length = payload.byteLength;
  const head =
    length < 126
      ? Buffer.from([((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode, 0x80 | length])
      : Buffer.from([((options.fin ?? true) ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  const body = Buffer.from(payload).map((b, i) => b ^ mask[i % 4]!);
  return Buffer.concat([head, mask, body]);
}

/** Sends an upgrade request over raw TCP and resolves with the response head (status line and headers). */
export async function rawHandshake(url: string, extraHeaders = ''): Promise<string> {
  const socket = await rawConnect(url);
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed before a response head: ${JSON.stringify(text)}`)));
    socket.write(upgradeRequest(extraHeaders));
  });
}

/** Active sockets, servers and timers: what a leak would add. */
export function activeNetworkAndTimers(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((r) => /TCP|Timeout|Immediate|Pipe|TLS/.test(r))
    .sort();
}

/**
 * What is active now and was not in `before` (a multiset difference): a leak shows up here, while a
 * timer of the runner's that existed before and has since fired does not.
 */
export function leftSince(before: readonly string[]): string[] {
  const remaining = [...before];
  return activeNetworkAndTimers().filter((resource) => {
    const i = remaining.indexOf(resource);
    if (i < 0) return true;
    remaining.splice(i, 1);
    return false;
  });
}

/**
 * {@link leftSince}, once handles that are already closing have finished: Node releases a
 * destroyed socket's handle a few event-loop turns after its `close` event, so this checks again
 * for up to 50 turns (no timers: a timer would itself show up) before answering.
 */
export async function leftAfterSettling(before: readonly string[]): Promise<string[]> {
  let left = leftSince(before);
  for (let turn = 0; turn < 50 && left.length > 0; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    left = leftSince(before);
  }
  return left;
}

/** A loopback port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
