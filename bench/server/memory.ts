/**
 * (e) server-side RSS per idle connection at 5,000 connections, and RSS after they all closed,
 * in a process that holds only the server (mem-server-child.ts); the clients live in another
 * process (mem-clients-child.ts).
 */
import { Child } from './util.js';

export interface MemoryFigures {
  /** RSS after start (after full GCs), bytes. */
  rssStart: number;
  /** RSS with `count` idle connections open. */
  rssOpen: number;
  /** RSS after every connection closed (200 ms later, after full GCs). */
  rssClosed: number;
  /** RSS after {@link IDLE_MS} idle, closed connections still kept for inspection. */
  rssSettled: number;
  /** When RSS first came within {@link SETTLE_RATIO} of the start in that time, ms (−1: never). */
  settleMs: number;
  /** The same after `server.flush()`. */
  rssFlushedSettled: number;
  /** (rssOpen − rssStart) / count, bytes. */
  perConnection: number;
  /** heapUsed with the connections open and after, bytes (to tell a leak from allocator retention). */
  heapStart: number;
  heapOpen: number;
  heapClosed: number;
  /** heapUsed after `server.flush()` forgot the closed connections kept for inspection. */
  heapFlushed: number;
  /** RSS after a second wave of `count` connections opened and closed (and a flush). */
  rssSecondWave: number;
}

/** The target: RSS after close back within 10 % of the start. */
export const SETTLE_RATIO = 1.1;
/** How long the server stays idle after close before the settled reading, ms; V8's memory reducer ran 3–6 s after close here. */
export const IDLE_MS = 8000;

interface Measured {
  rss: number;
  heapUsed: number;
}

interface Settled extends Measured {
  underAtMs: number;
}

export async function memoryRun(kind: 'mock' | 'ws', count: number): Promise<MemoryFigures> {
  const server = new Child('mem-server-child.ts');
  const clients = new Child('mem-clients-child.ts');
  try {
    const { url } = await server.call<{ url: string }>('start', { kind });
    const start = await server.call<Measured>('measure', { open: 0, timeoutMs: 1000 });
    await clients.call('open', { url, count });
    const opened = await server.call<Measured>('measure', { open: count, timeoutMs: 30_000 });
    await clients.call('close');
    const closed = await server.call<Measured>('measure', { open: 0, timeoutMs: 30_000 });
    const limit = start.rss * SETTLE_RATIO;
    const settled = await server.call<Settled>('settle', { limit, idleMs: IDLE_MS });
    await server.call('flush');
    const flushed = await server.call<Measured>('measure', { open: 0, timeoutMs: 1000 });
    const flushedSettled = await server.call<Settled>('settle', { limit, idleMs: IDLE_MS });
    // a second wave: memory the first one left with the allocator is reused, not added to
    await clients.call('open', { url, count });
    await server.call<Measured>('measure', { open: count, timeoutMs: 30_000 });
    await clients.call('close');
    await server.call<Measured>('measure', { open: 0, timeoutMs: 30_000 });
    await server.call('flush');
    const second = await server.call<Measured>('measure', { open: 0, timeoutMs: 1000 });
    return {
      rssStart: start.rss,
      rssOpen: opened.rss,
      rssClosed: closed.rss,
      rssSettled: settled.rss,
      settleMs: settled.underAtMs,
      rssFlushedSettled: flushedSettled.rss,
      perConnection: (opened.rss - start.rss) / count,
      heapStart: start.heapUsed,
      heapOpen: opened.heapUsed,
      heapClosed: closed.heapUsed,
      heapFlushed: flushed.heapUsed,
      rssSecondWave: second.rss,
    };
  } finally {
    await clients.stop();
    await server.stop();
  }
}
