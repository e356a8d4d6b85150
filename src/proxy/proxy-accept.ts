import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import type { Clock } from '../clock/clock.js';
import type { LogFault } from './fault-log.js';
import type { Upstream } from './upstream-pool.js';

/** What {@link acceptClient} needs from its `ChaosProxy` (internal). */
export interface AcceptHost {
  readonly clock: Clock;
  /** The proxy's fault log (for a refused client). */
  readonly log: LogFault;
  /** How long the upstream may take to connect before the client is reset. */
  readonly connectTimeoutMs: number;
  /** TLS options for a `wss://` upstream. */
  readonly tls: ConnectionOptions;
  /** Upstream sockets still connecting (the proxy destroys them when it closes). */
  readonly pending: Set<Socket>;
  /** The upstream for a new client, or `undefined` to refuse it (refusing, closing, or none up). */
  pick(): Upstream | undefined;
  /** Whether the proxy is closing. */
  closed(): boolean;
  /** Takes over a client and its connected upstream. */
  pair(client: Socket, server: Socket, upstream: Upstream): void;
}

/**
 * Takes a new client: refuses it (a reset, logged) when the host picks no upstream, else dials one.
 *
 * @param host - the proxy's side
 * @param client - the accepted socket
 */
export function acceptClient(host: AcceptHost, client: Socket): void {
  client.on('error', () => undefined);
  const upstream = host.pick();
  if (!upstream) {
    host.log({ kind: 'refused', connection: 0 });
    client.resetAndDestroy();
    return;
  }
  connectUpstream(host, client, upstream);
}

/**
 * Dials `upstream` for an accepted `client` (paused until then) and hands both to `host.pair` once
 * connected. A failed or timed-out dial resets the client; a client gone before that ends the dial.
 *
 * @param host - the proxy's side
 * @param client - the accepted socket
 * @param upstream - the upstream picked for it
 */
export function connectUpstream(host: AcceptHost, client: Socket, upstream: Upstream): void {
  client.pause();
  const server = dialUpstream(upstream, host.tls);
  host.pending.add(server);
  upstream.dialling++;
  const timer = host.clock.setTimeout(() => server.destroy(), host.connectTimeoutMs);
  const settle = () => {
    host.clock.clearTimeout(timer);
    if (host.pending.delete(server)) upstream.dialling--;
  };
  const fail = () => {
    settle();
    if (!client.destroyed) client.resetAndDestroy();
  };
  const gone = () => server.destroy();
  server.once('error', fail);
  server.once('close', fail);
  client.once('close', gone);
  server.once(upstream.tls ? 'secureConnect' : 'connect', () => {
    settle();
    server.off('error', fail);
    server.off('close', fail);
    client.off('close', gone); // from here the connection decides (a clean close passes a FIN on)
    if (client.destroyed || host.closed()) {
      server.destroy();
      return;
    }
    host.pair(client, server, upstream);
  });
}

/**
 * Opens a half-open-capable TCP or TLS socket to `u`.
 *
 * @param u - the upstream
 * @param tls - TLS options, used when `u` is `wss://`
 * @returns the connecting socket
 */
export function dialUpstream(u: Upstream, tls: ConnectionOptions): Socket {
  if (!u.tls) return tcpConnect({ host: u.host, port: u.port, allowHalfOpen: true });
  // SNI takes a host name only (an IP address there is deprecated, RFC 6066)
  const sni = isIP(u.host) === 0 ? { servername: u.host } : {};
  // allowHalfOpen reaches the TLS socket (Node passes it on), though ConnectionOptions omits it
  const options: ConnectionOptions & { allowHalfOpen: boolean } = {
    host: u.host,
    port: u.port,
    ...sni,
    ...tls,
    allowHalfOpen: true,
  };
  return tlsConnect(options);
}
