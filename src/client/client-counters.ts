import type { Clock } from '../clock/clock.js';
import { utf8Length } from '../framing/utf8.js';
import type { ClientStats } from './client-types.js';

/** The counters of {@link ClientStats} a client keeps itself (internal), writable. */
export type ClientCounters = {
  -readonly [K in keyof Omit<ClientStats, 'state' | 'unacked' | 'duplicatesDropped'>]: ClientStats[K];
};

/** @returns a client's counters, all zero */
export function newCounters(): ClientCounters {
  return {
    reconnects: 0,
    downtimeMs: 0,
    lastRttMs: undefined,
    messagesOut: 0,
    messagesIn: 0,
    bytesOut: 0,
    bytesIn: 0,
    resends: 0,
  };
}

/**
 * Counts one WebSocket message and its size in bytes (UTF-8 bytes for text).
 *
 * @param s - the counters
 * @param sent - sent, or else received
 * @param data - the message
 */
export function countMessage(s: ClientCounters, sent: boolean, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? utf8Length(data) : data.byteLength;
  if (sent) {
    s.messagesOut++;
    s.bytesOut += bytes;
  } else {
    s.messagesIn++;
    s.bytesIn += bytes;
  }
}

/**
 * @param clock - the client's clock
 * @param lostAt - when the outage in progress began, if one is
 * @returns how long it has lasted so far (0 when there is none)
 */
export function outageMs(clock: Clock, lostAt: number | undefined): number {
  return lostAt === undefined ? 0 : clock.now() - lostAt;
}
