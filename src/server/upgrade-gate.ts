import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AuthResult, isAuthRejection, parseProtocolHeader } from './auth/index.js';
import type { HangMode, MockServerOptions } from './mock-server-options.js';
import { negotiateSubprotocol } from './subprotocol.js';

/** What the upgrade pipeline needs from its server (internal). */
export interface UpgradeHost {
  readonly options: Required<MockServerOptions>;
  /** The current hang mode. */
  hangMode(): HangMode;
  /** Takes one pending `rejectNext` status, if any. */
  takeRejection(): number | undefined;
  /** Open connections now. */
  openCount(): number;
  /** Whether the server still accepts (not closing or restarting). */
  accepting(): boolean;
  /** Waits `ms` on the server's clock; resolves `false` if the server stopped meanwhile. */
  delay(ms: number): Promise<boolean>;
  /** Records and announces a refused upgrade. */
  refused(status: number, reason: string): void;
  /** Completes the upgrade. */
  accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    identity: AuthResult,
    protocol: string,
  ): void;
}

/**
 * Answers an upgrade with an HTTP error and closes the socket; the client never gets a WebSocket.
 *
 * @param socket - the upgrade socket
 * @param status - the HTTP status
 * @param reason - the response body
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = Buffer.from(reason);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.byteLength}\r\n\r\n${reason}`,
  );
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Runs one upgrade through the server's gates, in this order: hang (`'upgrade'`), `rejectNext`,
 * origin allow-list (403), connection limit (503), subprotocol (400 on `'reject'`), `authenticate`
 * (its status, 401 by default; 500 if it throws), `handshakeDelayMs`, then accept.
 *
 * @param host - the server
 * @param request - the upgrade request
 * @param socket - its socket
 * @param head - bytes read past the request head
 */
export async function runUpgrade(
  host: UpgradeHost,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const o = host.options;
  if (host.hangMode() === 'upgrade' || !host.accepting()) {
    if (!host.accepting()) socket.destroy();
    return; // read, never answered; close()/restart() destroy the socket
  }
  const refuse = (status: number, reason: string): void => {
    host.refused(status, reason);
    refuseUpgrade(socket, status, reason);
  };
  const forced = host.takeRejection();
  if (forced !== undefined) return refuse(forced, 'rejected by rejectNext()');
  if (o.allowedOrigins !== undefined) {
    const origin = firstHeader(request.headers.origin);
    if (origin === undefined || !o.allowedOrigins.includes(origin)) {
      return refuse(403, `origin ${origin ?? '(none)'} is not allowed`);
    }
  }
  if (host.openCount() >= o.maxConnections)
    return refuse(503, `connection limit ${o.maxConnections} reached`);
  const offered = parseProtocolHeader(firstHeader(request.headers['sec-websocket-protocol']));
  const choice = negotiateSubprotocol(offered, o.protocols, o.protocolPreference);
  if (!choice.ok && o.protocolMismatch === 'reject') {
    return refuse(
      400,
      `unsupported subprotocol: offered ${choice.offered.join(', ')}; supported ${o.protocols.join(', ')}`,
    );
  }
  let identity: AuthResult = {};
  if (o.authenticate) {
    try {
      const result = await o.authenticate(request);
      if (isAuthRejection(result)) return refuse(result.status, result.reason ?? 'unauthorized');
      identity = result;
    } catch (error) {
      return refuse(500, `authenticate failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (o.handshakeDelayMs > 0 && !(await host.delay(o.handshakeDelayMs))) {
    socket.destroy();
    return;
  }
  if (socket.destroyed) return;
  if (!host.accepting()) {
    socket.destroy();
    return;
  }
  host.accept(request, socket, head, identity, choice.ok ? choice.protocol : '');
}
