/**
 * The reconnecting clients of the blackout benchmark (bench/client-blackout.ts) behind one small
 * interface: ResilientClient and the three popular reconnecting clients, each on `ws` in Node.
 */

import PartySocket from 'partysocket/ws';
import ReconnectingWebSocket from 'reconnecting-websocket';
import { ArrayQueue, ConstantBackoff, WebsocketBuilder } from 'websocket-ts';
import { WebSocket as WsWebSocket } from 'ws';
import { ResilientClient, type ResilientClientOptions } from '../src/client/index.js';

/** What the blackout scenario sees of a client. */
export interface BlackoutClient {
  /** Resolves once the first connection is open. */
  readonly opened: Promise<void>;
  /** Hands one text message to the library (never awaited: the library buffers as it sees fit). */
  send(text: string): void;
  /** Resolves once the library holds nothing more it would still send (ResilientClient: every message acked). */
  drained?(timeoutMs: number): Promise<void>;
  /** A line of library-side figures for the row notes. */
  summary(): string;
  /** Closes for good (no reconnect), resolving when the socket is gone or after a bound. */
  close(): Promise<void>;
}

/** Callbacks into the scenario: the library noticed the link went down, and came back up. */
export interface LinkEvents {
  down(what: string): void;
  up(what: string): void;
}

/** One contestant: its name for the table, its configuration for the notes, and how to start it. */
export interface Contestant {
  readonly name: string;
  readonly config: string;
  /** Whether the server must speak `semantest-v1`. */
  readonly protocol: boolean;
  start(url: string, events: LinkEvents): BlackoutClient;
}

function onceOpen(target: { addEventListener(type: 'open', fn: () => void): void }): Promise<void> {
  return new Promise((resolve) => target.addEventListener('open', () => resolve()));
}

/** ResilientClient in `semantest-v1` mode with `options` (defaults where not given). */
export function resilient(name: string, config: string, options: ResilientClientOptions): Contestant {
  return {
    name,
    config,
    protocol: true,
    start(url, events) {
      const client = new ResilientClient(url, options);
      const errors: string[] = [];
      client.on('error', (e) => errors.push(e.message));
      client.on('reconnecting', (e) => events.down(`reconnecting (${e.reason.kind})`));
      client.on('reconnected', () => events.up('reconnected'));
      return {
        opened: client.opened(),
        send: (text) => void client.send(text),
        drained: (timeoutMs) => client.drained({ timeoutMs }),
        summary: () => {
          const s = client.stats();
          const err = errors.length > 0 ? `; ${errors.length} error events, first: ${errors[0]}` : '';
          return `client stats: reconnects ${s.reconnects}, resends ${s.resends}, unacked at the end ${s.unacked}${err}`;
        },
        close: () => client.close(),
      };
    },
  };
}

/** reconnecting-websocket 4.4 with its defaults and `ws` as the WebSocket. */
export const reconnectingWebSocket: Contestant = {
  name: 'reconnecting-websocket 4.4.0',
  config:
    'defaults (minReconnectionDelay 1000 + random × 4000 ms drawn once at import, growth 1.3, unbounded queue while not OPEN, no heartbeat), WebSocket: ws',
  protocol: false,
  start(url, events) {
    const rws = new ReconnectingWebSocket(url, [], { WebSocket: WsWebSocket });
    rws.addEventListener('close', () => events.down('close'));
    rws.addEventListener('open', () => events.up('open'));
    return {
      opened: onceOpen(rws),
      send: (text) => rws.send(text),
      summary: () => `retryCount ${rws.retryCount}, bufferedAmount at the end ${rws.bufferedAmount}`,
      close: async () => rws.close(1000),
    };
  },
};

/** partysocket 1.3's ReconnectingWebSocket (`partysocket/ws`) with its defaults and `ws`. */
export const partySocket: Contestant = {
  name: 'partysocket 1.3.0',
  config:
    'partysocket/ws with defaults (minReconnectionDelay 3000 ms, growth 1.3, unbounded queue while not OPEN, no heartbeat), WebSocket: ws',
  protocol: false,
  start(url, events) {
    const ps = new PartySocket(url, [], { WebSocket: WsWebSocket });
    ps.addEventListener('close', () => events.down('close'));
    ps.addEventListener('open', () => events.up('open'));
    return {
      opened: onceOpen(ps),
      send: (text) => ps.send(text),
      summary: () => `retryCount ${ps.retryCount}, bufferedAmount at the end ${ps.bufferedAmount}`,
      close: async () => ps.close(1000),
    };
  },
};

/** websocket-ts 2.3 as its README sets it up (ArrayQueue buffer, ConstantBackoff 1000 ms). */
export const websocketTs: Contestant = {
  name: 'websocket-ts 2.3.0',
  config:
    "the README's setup: withBuffer(new ArrayQueue()) (unbounded, used while not OPEN), withBackoff(new ConstantBackoff(1000)), no heartbeat; globalThis.WebSocket = ws's WebSocket for the run (Node 20 has none), restored afterwards",
  protocol: false,
  start(url, events) {
    const g = globalThis as { WebSocket?: unknown };
    const had = 'WebSocket' in g;
    const previous = g.WebSocket;
    g.WebSocket = WsWebSocket;
    let opened!: () => void;
    const first = new Promise<void>((resolve) => {
      opened = resolve;
    });
    let retries = 0;
    const socket = new WebsocketBuilder(url)
      .withBuffer(new ArrayQueue())
      .withBackoff(new ConstantBackoff(1000))
      .onOpen(() => {
        opened();
        events.up('open');
      })
      .onClose(() => events.down('close'))
      .onRetry(() => {
        retries++;
      })
      .build();
    return {
      opened: first,
      send: (text) => socket.send(text),
      summary: () =>
        `retries ${retries}, bufferedAmount at the end ${socket.underlyingWebsocket.bufferedAmount}`,
      close: async () => {
        socket.close(1000);
        if (had) g.WebSocket = previous;
        else delete g.WebSocket;
      },
    };
  },
};
