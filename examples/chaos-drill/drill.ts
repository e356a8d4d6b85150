/**
 * The chaos drill: a MockServer behind a ChaosProxy, and several ResilientClients streaming
 * framed messages both ways (the server echoes every message) through a network profile, a
 * blackout, dropped and corrupted frames, and a server restart — then what arrived is checked.
 */
import {
  ChaosProxy,
  DeliveryValidator,
  FairnessValidator,
  JitterMeter,
  LatencyMeter,
  MockServer,
  type NetworkProfileName,
  OrderingValidator,
  ResilientClient,
} from '@semantest/ws-kit';
import { type Tally, tallyOf } from './tally.js';

/** What the drill runs; see main.ts for the flags. */
export interface DrillOptions {
  readonly clients: number;
  readonly channels: number;
  /** Messages per second per client, each way. */
  readonly rate: number;
  readonly durationMs: number;
  readonly profile: NetworkProfileName;
  readonly seed: number;
  readonly blackoutMs: number;
  /** Fraction of data frames corrupted / dropped by the proxy, each way. */
  readonly corrupt: number;
  readonly drop: number;
  readonly restart: 'graceful' | 'immediate' | 'none';
  /** The clients' mode: `plain` has no acks, so the drill shows what it loses. */
  readonly mode: 'semantest-v1' | 'plain';
  /** Called with a one-line status about twice a second. */
  readonly progress: (line: string) => void;
}

interface Payload {
  /** `client:n` */
  readonly id: string;
  /** The client's message number n, from 0: the order the application sent them in. */
  readonly n: number;
  readonly t: number;
}

/** The payload, whatever the mode delivered (plain mode gets JSON text); `undefined` if garbled. */
function payloadOf(data: unknown): Payload | undefined {
  try {
    const p = (typeof data === 'string' ? JSON.parse(data) : data) as Payload;
    return typeof p?.id === 'string' && Number.isInteger(p.n) && typeof p.t === 'number' ? p : undefined;
  } catch {
    return undefined; // a corrupted plain-mode message: nothing checked it
  }
}

const now = () => performance.timeOrigin + performance.now();

/** Resolves once `count()` has not changed for `quietMs`, or after `maxMs`. */
function quiet(count: () => number, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const start = now();
    let last = count();
    let since = now();
    const timer = setInterval(() => {
      const c = count();
      if (c !== last) {
        last = c;
        since = now();
      }
      if (now() - since >= quietMs || now() - start >= maxMs) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
}

/** Runs the drill; resolves with everything the report prints. */
export async function runDrill(o: DrillOptions): Promise<Tally> {
  const channelOf = (p: Payload) => `c${p.id.split(':')[0]}-${p.n % o.channels}`;
  // the application's order per channel: message n is the (n / channels + 1)-th of its channel
  const seqOf = (p: Payload) => Math.floor(p.n / o.channels) + 1;
  await using server = await MockServer.start({
    ...(o.mode === 'semantest-v1' ? { protocols: ['semantest-v1'] } : {}),
    echo: true,
    maxMessages: 2 * o.clients * Math.ceil((o.rate * o.durationMs) / 1000) + 1000,
    protocol: { maxReplayFrames: 50_000 },
  });
  await using proxy = await ChaosProxy.start({
    target: server.url,
    profile: o.profile,
    seed: o.seed,
    both: { corrupt: o.corrupt, drop: o.drop },
  });
  const up = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  const down = { delivery: new DeliveryValidator(), order: new OrderingValidator({ mode: 'per-channel' }) };
  const latency = { up: new LatencyMeter(), down: new LatencyMeter() };
  const jitter = { up: new JitterMeter(), down: new JitterMeter() };
  const fairness = new FairnessValidator();
  const detected = { up: 0, down: 0 };
  const garbled = { up: 0, down: 0 };
  const errors: string[] = [];
  const recoveries: number[] = [];
  let phase = 'starting';
  const upSeen = new Set<string>();
  const downSeen = new Set<string>();
  let expected = Number.POSITIVE_INFINITY;
  let allEchoed: () => void = () => undefined;
  const echoed = new Promise<void>((resolve) => {
    allEchoed = resolve;
  });

  server.on('message', (m) => {
    const p = payloadOf(m.data);
    if (!p) {
      garbled.up++;
      return;
    }
    const channel = channelOf(p);
    up.delivery.received(p.id, { channel });
    up.order.observe({ channel, seq: seqOf(p) });
    const at = now();
    latency.up.record(Math.max(0, at - p.t));
    jitter.up.observe(at - p.t);
    upSeen.add(p.id);
    fairness.serve(p.id.split(':')[0]!, 1, at);
  });
  server.on('error', (error) => {
    if ((error as { code?: string }).code?.startsWith('WS_KIT_ERR_FRAME')) detected.up++;
    else errors.push(`server: ${error.message}`);
  });

  const clients = Array.from({ length: o.clients }, (_, i) => {
    const client = new ResilientClient(proxy.url, {
      protocol: o.mode,
      heartbeat: { intervalMs: 500, timeoutMs: 1000 },
      connectTimeoutMs: 2000, // a hello or welcome dropped by the proxy costs one attempt
      backoff: { initialMs: 100, maxMs: 1000 },
      buffer: { maxMessages: 50_000 },
    });
    client.on('message', (m) => {
      const p = payloadOf(m.data);
      if (!p) {
        garbled.down++;
        return;
      }
      const channel = channelOf(p);
      down.delivery.received(p.id, { channel });
      downSeen.add(p.id);
      if (downSeen.size === expected) allEchoed();
      down.order.observe({ channel, seq: seqOf(p) });
      const at = now();
      // semantest-v1 frames carry the server's send time; plain echoes only the client's
      const sentAt = m.sentAt ?? p.t;
      latency.down.record(Math.max(0, at - sentAt));
      jitter.down.observe(at - sentAt);
    });
    client.on('error', (error) => {
      if ((error as { code?: string }).code?.startsWith('WS_KIT_ERR_FRAME')) detected.down++;
      // the server answers a frame it cannot even read the header of with an error frame: it
      // counted that corruption already (checksumFailures), and the client resends on ack timeout
      else if (!/^server error WS_KIT_ERR_FRAME_CHECKSUM/.test(error.message))
        errors.push(`client ${i}: ${error.message}`);
    });
    client.on('reconnected', (e) => recoveries.push(e.downtimeMs));
    fairness.register(String(i), { atMs: now() });
    return client;
  });
  await Promise.all(clients.map((c) => c.opened({ timeoutMs: 15_000 })));

  // the script: blackout at a quarter, restart at half, stop sending at the end
  const start = now();
  const events = [
    {
      atMs: o.durationMs / 4,
      run: () => {
        if (o.blackoutMs <= 0) return;
        phase = `blackout ${o.blackoutMs / 1000} s`;
        void proxy.blackout(o.blackoutMs).then(() => {
          phase = 'streaming';
        });
      },
    },
    {
      atMs: o.durationMs / 2,
      run: () => {
        if (o.restart === 'none') return;
        phase = `server restart (${o.restart})`;
        void server.restart({ mode: o.restart }).then(() => {
          phase = 'streaming';
        });
      },
    },
  ];
  let sent = 0;
  const perClient = Math.floor((o.rate * o.durationMs) / 1000);
  const status = () =>
    `[${((now() - start) / 1000).toFixed(1).padStart(5)} s / ${o.durationMs / 1000} s] ${phase.padEnd(26)} ` +
    `sent ${sent} · server got ${upSeen.size} · clients got ${downSeen.size} · ` +
    `faults ${proxy.faults.length} · reconnects ${recoveries.length}`;
  const ticker = setInterval(() => o.progress(status()), 500);
  phase = 'streaming';
  try {
    await new Promise<void>((resolve) => {
      const tick = () => {
        const elapsed = now() - start;
        while (events.length > 0 && events[0]!.atMs <= elapsed) events.shift()!.run();
        const due = Math.min(perClient, Math.floor((elapsed * o.rate) / 1000) + 1);
        for (let c = 0; c < o.clients; c++) {
          for (let n = clientSent(c); n < due; n++) {
            const id = `${c}:${n}`;
            const channel = `c${c}-${n % o.channels}`; // = channelOf(payload)
            up.delivery.sent(id, { channel });
            down.delivery.sent(id, { channel });
            void clients[c]!.send({ id, n, t: now() }, { channel });
            sentBy[c] = n + 1;
            sent++;
          }
        }
        if (sentBy.every((n) => n >= perClient)) {
          clearInterval(timer);
          resolve();
        }
      };
      const sentBy = new Array<number>(o.clients).fill(0);
      const clientSent = (c: number) => sentBy[c]!;
      const timer = setInterval(tick, 5);
    });
    phase = 'draining';
    await Promise.all(clients.map((c) => c.drained({ timeoutMs: 60_000 })));
    expected = sent;
    if (downSeen.size === expected) allEchoed();
    // every echo is on its way (the server acked every message): wait until all arrived, or none
    // has for a while (semantest-v1 resends a lost last frame after 3 s), at most 30 s
    const quietMs = o.mode === 'plain' ? 2000 : 5000;
    await Promise.race([echoed, quiet(() => downSeen.size, quietMs, 30_000)]);
  } finally {
    clearInterval(ticker);
    o.progress(status());
  }
  const stats = clients.map((c) => c.stats());
  await Promise.all(clients.map((c) => c.close()));
  return tallyOf({
    o,
    up,
    down,
    latency,
    jitter,
    fairness,
    detected,
    garbled,
    injected: {
      up: proxy.faults.filter((f) => f.kind === 'corrupt' && f.direction === 'toServer').length,
      down: proxy.faults.filter((f) => f.kind === 'corrupt' && f.direction === 'toClient').length,
    },
    dropped: proxy.faults.filter((f) => f.kind === 'drop').length,
    checksumFailures: server.stats().checksumFailures,
    recoveries,
    reconnects: stats.reduce((n, s) => n + s.reconnects, 0),
    resends: stats.reduce((n, s) => n + s.resends, 0),
    errors,
    elapsedMs: now() - start,
  });
}
