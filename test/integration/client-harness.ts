/**
 * The zero-loss scenario harness of the ResilientClient tests: one MockServer (semantest-v1, echo)
 * and one ResilientClient; the client sends `count` JSON messages on several channels at one per
 * millisecond (absolute schedule), the server echoes each one back (so both directions carry
 * `count` messages), and a disruption runs once `disruptAt` messages were sent. At the end:
 * DeliveryValidator (nothing lost, nothing delivered twice) and OrderingValidator (per channel) in
 * both directions, and the reconnect timings.
 */
import { ResilientClient, type ResilientClientOptions } from '../../src/client/index.js';
import { MockServer, type MockServerOptions } from '../../src/server/index.js';
import { DeliveryValidator, OrderingValidator } from '../../src/validators/index.js';

/** What a disruption gets: the pair under test, and the sender's progress as its timeline. */
export interface DisruptionContext {
  server: MockServer;
  client: ResilientClient;
  /**
   * Resolves once the client has sent `n` messages. The sender sends one per millisecond, so
   * `untilSent(sent + 2000)` is "2 s of traffic later" — an event, not a sleep.
   */
  untilSent(n: number): Promise<void>;
}

export interface Disruption {
  /** Breaks things; resolves with the time (performance.now) the server is reachable again. */
  (ctx: DisruptionContext): Promise<number>;
}

export interface ScenarioResult {
  up: { delivery: DeliveryValidator; order: OrderingValidator };
  down: { delivery: DeliveryValidator; order: OrderingValidator };
  /** Every `error` event of the server and the client. */
  errors: string[];
  /** Application-level duplicates on the client (the same id delivered twice). */
  duplicatesDelivered: number;
  reachableAt: number;
  /** Every `reconnecting` event: when, and the drawn delay. */
  reconnecting: { at: number; delayMs: number; reason: string }[];
  /** Every time the connection came back (`state` reconnecting → open: before the backlog is resent). */
  reconnectedAt: number[];
  /** reconnected − max(reachable, time the successful attempt was due), ms (per reconnect after the disruption). */
  lateMs: number;
  stats: ReturnType<ResilientClient['stats']>;
}

export interface ScenarioOptions {
  count?: number;
  channels?: number;
  disruptAt?: number;
  client?: ResilientClientOptions;
  server?: MockServerOptions;
  disrupt: Disruption;
}

/** Fast reconnects and a quick heartbeat, so a scenario stays within seconds. */
export const FAST: ResilientClientOptions = {
  backoff: { initialMs: 50, maxMs: 400, jitter: 'full' },
  heartbeat: { intervalMs: 250, timeoutMs: 400 },
  connectTimeoutMs: 2000,
};

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const count = o.count ?? 10_000;
  const channels = o.channels ?? 4;
  const disruptAt = o.disruptAt ?? Math.floor(count / 3);
  await using server = await MockServer.start({
    echo: true,
    protocols: ['semantest-v1'],
    timeoutMs: 30_000,
    // after an outage the client resends its backlog at once, and every message is echoed before
    // the client can ack: the server's replay buffer must hold the echoes of a whole backlog
    protocol: { maxReplayFrames: 20_000 },
    ...o.server,
  });
  const errors: string[] = [];
  server.on('error', (error) => errors.push(`server: ${error.message}`));
  const up = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  const down = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  server.on('message', (m) => {
    up.delivery.received((m.data as { id: number }).id, { channel: m.channel });
    up.order.observe(m);
  });
  await using client = new ResilientClient(server.url, { ...FAST, ...o.client });
  client.on('error', (error) => errors.push(`client: ${error.message}`));
  const seen = new Set<number>();
  let duplicatesDelivered = 0;
  let received = 0;
  let allReceived: () => void = () => undefined;
  const everything = new Promise<void>((resolve) => {
    allReceived = resolve;
  });
  client.on('message', (m) => {
    const id = (m.data as { id: number }).id;
    if (seen.has(id)) duplicatesDelivered++;
    seen.add(id);
    down.delivery.received(id, { channel: m.channel });
    down.order.observe(m);
    if (++received === count) allReceived();
  });
  const reconnecting: ScenarioResult['reconnecting'] = [];
  const reconnectedAt: number[] = [];
  client.on('reconnecting', (e) =>
    reconnecting.push({ at: performance.now(), delayMs: e.delayMs, reason: e.reason.kind }),
  );
  // reconnected = the connection is back (reconnecting → open), before the backlog is resent
  client.on('state', (s) => {
    if (s.from === 'reconnecting' && s.to === 'open') reconnectedAt.push(performance.now());
  });
  await client.opened();

  let reachable: Promise<number> | undefined;
  let sent = 0;
  const progress: { n: number; resolve: () => void }[] = [];
  const untilSent = (n: number) =>
    n <= sent ? Promise.resolve() : new Promise<void>((resolve) => progress.push({ n, resolve }));
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor(performance.now() - start) + 1);
      for (; sent < due; sent++) {
        const channel = `ch${sent % channels}`;
        up.delivery.sent(sent, { channel });
        down.delivery.sent(sent, { channel });
        void client.send({ id: sent }, { channel });
        if (sent === disruptAt) reachable = o.disrupt({ server, client, untilSent });
      }
      for (const p of progress.filter((p) => p.n <= sent)) {
        progress.splice(progress.indexOf(p), 1);
        p.resolve();
      }
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 5);
  });
  const reachableAt = await (reachable ?? Promise.resolve(performance.now()));
  await client.drained({ timeoutMs: 60_000 });
  await Promise.race([
    everything,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${received} of ${count} echoes arrived`)), 30_000),
    ),
  ]);
  // the first reconnect after the server was reachable again, against the attempt that made it
  const after = reconnectedAt.find((t) => t >= reachableAt) ?? Number.NaN;
  const attempt = [...reconnecting].reverse().find((r) => r.at < after);
  const due = attempt === undefined ? reachableAt : Math.max(reachableAt, attempt.at + attempt.delayMs);
  return {
    up,
    down,
    errors,
    duplicatesDelivered,
    reachableAt,
    reconnecting,
    reconnectedAt,
    lateMs: after - due,
    stats: client.stats(),
  };
}
