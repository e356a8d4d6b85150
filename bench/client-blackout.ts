/**
 * The blackout scenario of issue 4, run for one reconnecting client against a fresh MockServer in
 * this process: `count` text messages client → server at one per `everyMs` ms (scheduled by absolute
 * time, caught up in bursts when a timer fires late); just before message `pauseAt` the server
 * pauses the connection (half-open: it stops reading and writing) for `blackoutMs`, then drops it
 * abruptly (TCP reset, no close frame). The client reconnects and goes on. Every message carries a
 * unique id, counted at the server.
 */
import { type MockConnection, MockServer } from '../src/server/index.js';
import type { BlackoutClient, Contestant } from './client-contestants.js';

/** The scenario's parameters. */
export interface BlackoutPlan {
  readonly count: number;
  readonly everyMs: number;
  readonly pauseAt: number;
  readonly blackoutMs: number;
  /** The longest wait for the server to have everything, from the later of the drop and the last send. */
  readonly settleMaxMs: number;
  /** Server silence (after the client is back up) taken to mean nothing more will come. */
  readonly quietMs: number;
}

/** What one run measured. */
export interface BlackoutFigures {
  sent: number;
  /** Distinct ids the server received. */
  received: number;
  lost: number;
  /** Messages the server delivered more than once (deliveries − distinct ids). */
  duplicated: number;
  /** Pause start → the library's first close/reconnecting event, ms (`NaN`: never noticed). */
  detectMs: number;
  /** Pause start → the library open again, ms (`NaN`: not back within the settle bound). */
  recoverMs: number;
  /**
   * Messages of the paused connection the server still delivered: what its socket had read ahead
   * before reading stopped (Node keeps reading into the stream's buffer up to its highWaterMark
   * after `socket.pause()`), handed to `ws` when the drop closed the socket. A link that really went
   * dark would not deliver these.
   */
  readAhead: number;
  /** Pause start → the drop (the reset), ms. */
  dropMs: number;
  /** How the run ended and what the library said. */
  detail: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the blackout once for `contestant`. */
export async function blackoutRun(contestant: Contestant, plan: BlackoutPlan): Promise<BlackoutFigures> {
  await using server = await MockServer.start(contestant.protocol ? { protocols: ['semantest-v1'] } : {});
  server.on('error', () => undefined); // counted through the figures, not thrown
  let current: MockConnection | undefined;
  server.on('connection', (c) => {
    current = c;
  });
  const seen = new Uint16Array(plan.count);
  let deliveries = 0;
  let lastArrival = performance.now();
  let victimId: string | undefined;
  let readAhead = 0;
  server.on('message', (m) => {
    if (m.connectionId === victimId) readAhead++;
    const id = Number(String(m.data).slice(2));
    if (Number.isInteger(id) && id >= 0 && id < plan.count) seen[id]!++;
    deliveries++;
    lastArrival = performance.now();
  });

  let pausedAt: number | undefined;
  let detectedAt: number | undefined;
  let recoveredAt: number | undefined;
  let downWhat = '';
  const client: BlackoutClient = contestant.start(server.url, {
    down: (what) => {
      if (pausedAt !== undefined && detectedAt === undefined) {
        detectedAt = performance.now();
        downWhat = what;
      }
    },
    up: () => {
      if (detectedAt !== undefined && recoveredAt === undefined) recoveredAt = performance.now();
    },
  });
  try {
    await client.opened;
    let droppedAt: number | undefined;
    let dropped!: () => void;
    const dropDone = new Promise<void>((resolve) => {
      dropped = resolve;
    });
    const pause = () => {
      const victim = current;
      if (!victim) throw new Error(`${contestant.name}: no connection to pause`);
      server.pause(victim);
      victimId = victim.id;
      pausedAt = performance.now();
      setTimeout(() => {
        droppedAt = performance.now();
        server.drop(victim, 'abrupt');
        dropped();
      }, plan.blackoutMs);
    };
    await sendPaced(plan, (i) => {
      if (i === plan.pauseAt) pause();
      client.send(`m:${i}`);
    });
    await dropDone;
    const settleStart = performance.now();
    const distinct = () => seen.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
    let ended = `bound of ${plan.settleMaxMs} ms reached`;
    const drained = client.drained?.(plan.settleMaxMs).catch((e: Error) => {
      ended = `drained() failed: ${e.message}`;
    });
    for (;;) {
      const now = performance.now();
      if (distinct() === plan.count) {
        ended = 'the server had every id';
        break;
      }
      if (recoveredAt !== undefined && now - Math.max(lastArrival, recoveredAt) >= plan.quietMs) {
        ended = `back up and the server quiet for ${plan.quietMs} ms`;
        break;
      }
      if (now - settleStart >= plan.settleMaxMs) break;
      await sleep(20);
    }
    if (drained && distinct() === plan.count) await drained;
    const received = distinct();
    const base = pausedAt ?? Number.NaN;
    return {
      sent: plan.count,
      received,
      lost: plan.count - received,
      duplicated: deliveries - received,
      readAhead,
      detectMs: (detectedAt ?? Number.NaN) - base,
      recoverMs: (recoveredAt ?? Number.NaN) - base,
      dropMs: (droppedAt ?? Number.NaN) - base,
      detail: `noticed by: ${downWhat || 'nothing'}; ended: ${ended}; ${client.summary()}`,
    };
  } finally {
    await client.close();
  }
}

/**
 * Calls `send(i)` for i = 0 … count − 1, message i due at start + i × everyMs on the monotonic
 * clock; a late timer sends every message already due at once, so the average rate holds.
 */
function sendPaced(plan: BlackoutPlan, send: (i: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let next = 0;
    const tick = () => {
      try {
        const due = Math.min(plan.count, Math.floor((performance.now() - start) / plan.everyMs) + 1);
        while (next < due) send(next++);
      } catch (error) {
        reject(error);
        return;
      }
      if (next < plan.count) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
}
