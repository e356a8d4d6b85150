/**
 * Meters without sockets: a simulated server whose clock runs 250 ms ahead sends 2 000 messages;
 * the client estimates the clock offset from ping/pong timestamps, then measures one-way latency,
 * jitter and throughput, merges latency results from two "workers" through JSON snapshots, and
 * compares ISO 8601 timestamps written in different time zones.
 *
 * Run: node --import tsx examples/meters.ts
 */
import {
  ClockSync,
  compareIsoTimestamps,
  diffIsoTimestamps,
  JitterMeter,
  LatencyMeter,
  ManualClock,
  ThroughputMeter,
} from '@semantest/ws-kit';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

// A seeded generator so that every run prints the same figures.
let seed = 42;
const random = () => {
  seed = (seed * 48_271) % 2_147_483_647;
  return seed / 2_147_483_647;
};
const networkDelayMs = () => 2 + random() * 3 + (random() < 0.01 ? 40 : 0); // 2–5 ms, 1 % spikes

const TRUE_OFFSET_MS = 250; // server clock − client clock
const clock = new ManualClock(1_000_000); // the client's clock
const serverNow = () => clock.now() + TRUE_OFFSET_MS;

// 1. Clock sync: eight ping/pong exchanges carry t0 (client send), t1/t2 (server), t3 (client receive).
const sync = new ClockSync();
for (let i = 0; i < 8; i++) {
  const t0 = clock.now();
  clock.advance(networkDelayMs());
  const t1 = serverNow();
  clock.advance(0.2); // server processing
  const t2 = serverNow();
  clock.advance(networkDelayMs());
  sync.addSample(t0, t1, t2, clock.now());
  clock.advance(100);
}
const { offset = Number.NaN, rtt = Number.NaN } = sync.report();
check(Math.abs(offset - TRUE_OFFSET_MS) <= rtt / 2, 'the offset is within rtt/2 of the truth');

// 2. 2 000 messages, one every 5 ms, stamped by the server clock; two workers each measure half.
const latency = new LatencyMeter();
const workers = [new LatencyMeter(), new LatencyMeter()];
const jitter = new JitterMeter();
const throughput = new ThroughputMeter({ clock });
throughput.start();
for (let i = 0; i < 2000; i++) {
  clock.advance(5);
  const sentAtServer = serverNow();
  const receivedAt = clock.now() + networkDelayMs();
  const oneWay = sync.oneWayLatency(sentAtServer, receivedAt);
  latency.record(Math.max(0, oneWay)); // the estimate can dip below 0 by up to rtt/2
  workers[i % 2]!.record(Math.max(0, oneWay));
  jitter.observe(receivedAt - sentAtServer); // raw transit: clocks need not be synced for jitter
  throughput.record(256, receivedAt);
}

// 3. Each worker sends a JSON snapshot; merged, they equal the meter that saw everything.
const wire = workers.map((w) => JSON.stringify(w.toSnapshot()));
const merged = LatencyMeter.fromSnapshot(wire[0]!).merge(wire[1]!);
check(
  JSON.stringify(merged.report()) === JSON.stringify(latency.report()),
  'merged snapshots equal one meter',
);

const l = latency.report();
const j = jitter.report();
const t = throughput.report();
check(l.count === 2000 && l.p50 > 1 && l.p50 < 7, 'median one-way latency is a few ms');
check(l.max >= 40, 'the latency spikes reach the max');
check(j.jitter > 0 && j.spread > 0, 'jitter and spread are measured');
check(t.messages === 2000 && t.series.length >= 10, 'throughput has a per-second series');
check(Math.abs(t.messagesPerSecond - 200) < 2, 'about 200 messages per second');

// 4. ISO 8601 timestamps from services in different time zones compare exactly.
check(
  compareIsoTimestamps('2024-06-01T12:00:00+05:45', '2024-06-01T06:15:00Z') === 0,
  'Kathmandu noon is 06:15 UTC',
);
check(
  diffIsoTimestamps('2024-03-10T03:00:00-04:00', '2024-03-10T01:59:59.999999999-05:00') === 0.000001,
  '1 ns apart',
);

const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`clock offset ${ms(offset)} (true ${TRUE_OFFSET_MS}), rtt ${ms(rtt)}`);
console.log(
  `latency p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  (n=${l.count}, merged from 2 snapshots)`,
);
console.log(`jitter (RFC 3550) ${ms(j.jitter)}  mean |Δ| ${ms(j.meanAbsDelta)}  p99−p50 ${ms(j.spread)}`);
console.log(
  `throughput ${t.messagesPerSecond.toFixed(1)} msg/s, ${(t.bytesPerSecond / 1024).toFixed(1)} KiB/s over ${t.series.length} s`,
);
console.log('meters example: all checks passed');
