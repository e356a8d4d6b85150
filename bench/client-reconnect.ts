/**
 * Reconnect time over repeated server restarts: one ResilientClient (`semantest-v1`) and one
 * MockServer in this process; `restarts` times the server restarts (alternately `immediate`: sockets
 * destroyed, the client sees 1006; and `graceful`: close 1012, drain), and each time the clock runs
 * from `restart()` resolving (the server listening again on the same port) to the client's
 * `reconnected` event (connection open and `welcome` received).
 *
 * The client's `reconnecting` events say when it scheduled its next attempt and with what delay, so
 * each sample splits into the backoff still to wait once the server was listening
 * (`max(0, scheduledAt + delayMs − listeningAt)`, from the last `reconnecting` before
 * `reconnected`) and the rest (TCP connect, upgrade, hello/welcome, event loop).
 */
import { type BackoffOptions, ResilientClient } from '../src/client/index.js';
import { MockServer } from '../src/server/index.js';

/** One restart's figures, ms. */
export interface ReconnectSample {
  mode: 'immediate' | 'graceful';
  /** `restart()` resolved → `reconnected`. */
  totalMs: number;
  /** Backoff delay still pending when the server was listening again. */
  backoffMs: number;
  /** `totalMs − backoffMs`. */
  beyondMs: number;
  /** `reconnecting` events for this restart (more than 1: attempts failed while the server was down). */
  attempts: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Restarts the server `restarts` times.
 *
 * @returns a sample per restart, and the messages of the client's `error` events (none expected)
 * @param backoff - the client's backoff options
 * @param pauseMs - wait after each `reconnected` before the next restart (longer than `backoff.stableMs`, so the backoff starts again from attempt 1)
 * @param warmup - uncounted restarts first (JIT warm-up)
 */
export async function reconnectRun(
  restarts: number,
  backoff: BackoffOptions,
  pauseMs: number,
  warmup = 2,
): Promise<{ samples: ReconnectSample[]; errors: string[] }> {
  await using server = await MockServer.start({ protocols: ['semantest-v1'] });
  server.on('error', () => undefined);
  await using client = new ResilientClient(server.url, { backoff });
  const errors: string[] = [];
  client.on('error', (e) => errors.push(e.message));
  await client.opened();
  let scheduled: { at: number; delayMs: number }[] = [];
  client.on('reconnecting', (e) => scheduled.push({ at: performance.now(), delayMs: e.delayMs }));
  const samples: ReconnectSample[] = [];
  for (let r = -warmup; r < restarts; r++) {
    const mode = (r + warmup) % 2 === 0 ? 'immediate' : 'graceful';
    scheduled = [];
    const back = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`restart ${r} (${mode}): no reconnected in 10 s`)),
        10_000,
      );
      client.once('reconnected', () => {
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    await server.restart({ mode });
    const listening = performance.now();
    const reconnectedAt = await back;
    const last = scheduled.at(-1);
    const backoffMs = last ? Math.max(0, last.at + last.delayMs - listening) : 0;
    const totalMs = reconnectedAt - listening;
    if (r >= 0)
      samples.push({ mode, totalMs, backoffMs, beyondMs: totalMs - backoffMs, attempts: scheduled.length });
    await sleep(pauseMs);
  }
  return { samples, errors };
}
