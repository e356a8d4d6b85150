/** Test helpers for the protocol endpoint tests (not exported from the package). */
import { ManualClock } from '../../clock/index.js';
import {
  ackFrame,
  decodeFrame,
  decodeJsonFrame,
  encodeFrame,
  type Frame,
  helloFrame,
} from '../../framing/index.js';
import type { ProtocolErrorEvent } from './protocol-events.js';
import type { ServerProtocolOptions } from './protocol-options.js';
import { ServerProtocolEndpoint } from './server-protocol-endpoint.js';
import { SessionStore, type SessionStoreOptions } from './session-store.js';

/** An endpoint on a ManualClock with everything it sends and delivers recorded. */
export function setup(options: ServerProtocolOptions = {}, storeOptions: SessionStoreOptions = {}) {
  const clock = new ManualClock(1000);
  let ids = 0;
  const store = new SessionStore({ clock, createId: () => `s-${++ids}`, ...storeOptions });
  return { clock, store, ...connect(store, options) };
}

/** A further connection (endpoint) on an existing store. */
export function connect(store: SessionStore, options: ServerProtocolOptions = {}) {
  const sent: Frame[] = [];
  const raw: (Uint8Array | string)[] = [];
  const endpoint = new ServerProtocolEndpoint({
    send: (d) => {
      raw.push(d);
      sent.push(typeof d === 'string' ? decodeJsonFrame(d) : decodeFrame(d));
    },
    store,
    options,
  });
  const delivered: Frame[] = [];
  const errors: ProtocolErrorEvent[] = [];
  endpoint.on('data', (f) => delivered.push(f));
  endpoint.on('protocolError', (e) => errors.push(e));
  /** Returns and forgets what was sent so far. */
  const take = (): Frame[] => sent.splice(0);
  return { endpoint, sent, raw, delivered, errors, take };
}

/** A binary hello. */
export const hello = (sessionId: string | null = null, lastSeq: Record<string, number> = {}): Uint8Array =>
  encodeFrame(helloFrame({ sessionId, versions: [1], lastSeq }, 0));

/** A binary data frame with a text payload naming it. */
export const data = (channel: string, seq: number): Uint8Array =>
  encodeFrame({ channel, seq, timestamp: 0, payload: { kind: 'text', data: `${channel}#${seq}` } });

/** A binary ack. */
export const ack = (channel: string, seq: number): Uint8Array => encodeFrame(ackFrame(channel, seq, 0));

/** `channel#seq` of each frame. */
export const names = (frames: readonly Frame[]): string[] =>
  frames.map((f) => `${f.kind}:${f.channel}#${f.seq}`);
