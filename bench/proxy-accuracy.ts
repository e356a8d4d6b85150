/**
 * ChaosProxy accuracy: configured latency, jitter and bandwidth against what a client measures, on a
 * ChaosProxy in this process in front of the bare `ws` server child. Latency and jitter are set on
 * one direction only (client → server, `toServer`); the added one-way delay of a message is its
 * round-trip time through the proxy minus the median round-trip time of the direct path measured the
 * same way just before. Rounds: direct, latency, jitter, bandwidth, repeated; medians over rounds.
 */
import type { ChaosProxy } from '../src/proxy/index.js';
import { atMost, type BenchRow, median, percentile, row } from './harness.js';
import { bulk, paced } from './proxy-rounds.js';

const ROUNDS = 3;
const LATENCY_MS = 50;
const JITTER_MS = 10;
/** One message every 25 ms: more than the jitter's whole range (2 × 10 ms), so no chunk waits for the one ahead. */
const PACE_MS = 25;
const LATENCY_N = 40;
const JITTER_N = 80;
const BANDWIDTH_KBPS = 1000;
const BULK = { total: 512 * 1024, messageBytes: 64 * 1024 };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const mad = (xs: number[]) => {
  const m = mean(xs);
  return mean(xs.map((x) => Math.abs(x - m)));
};

/** Uniform on [L − J, L + J] (no clamping while L ≥ J): standard deviation J/√3, mean absolute deviation J/2. */
const EXPECTED_SD = JITTER_MS / Math.sqrt(3);
const EXPECTED_MAD = JITTER_MS / 2;

interface RoundFigures {
  baseline: number;
  latency: number[];
  jitter: number[];
  kbps: number;
}

async function round(proxy: ChaosProxy, direct: string): Promise<RoundFigures> {
  const baseline = median(await paced(direct, LATENCY_N, PACE_MS));
  proxy.clear();
  proxy.set({ toServer: { latencyMs: LATENCY_MS } });
  const latency = (await paced(proxy.url, LATENCY_N, PACE_MS)).map((x) => x - baseline);
  proxy.set({ toServer: { latencyMs: LATENCY_MS, jitterMs: JITTER_MS } });
  const jitter = (await paced(proxy.url, JITTER_N, PACE_MS)).map((x) => x - baseline);
  proxy.clear();
  proxy.set({ toServer: { bandwidthKbps: BANDWIDTH_KBPS } });
  const b = await bulk(proxy.url, BULK.total, BULK.messageBytes);
  proxy.clear();
  return { baseline, latency, jitter, kbps: (b.wireBytes * 8) / b.ms };
}

/** The accuracy rows (3–5 of the list). */
export async function accuracy(
  proxy: ChaosProxy,
  direct: string,
  log: (m: string) => void,
): Promise<BenchRow[]> {
  const f: RoundFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const x = await round(proxy, direct);
    f.push(x);
    log(
      `accuracy round ${r + 1}: baseline RTT ${x.baseline.toFixed(3)} ms; latency mean ${mean(x.latency).toFixed(2)} (min ${Math.min(...x.latency).toFixed(2)}, max ${Math.max(...x.latency).toFixed(2)}); jitter mean ${mean(x.jitter).toFixed(2)} sd ${sd(x.jitter).toFixed(2)} mad ${mad(x.jitter).toFixed(2)} (min ${Math.min(...x.jitter).toFixed(2)}, max ${Math.max(...x.jitter).toFixed(2)}); bandwidth ${x.kbps.toFixed(1)} kbps`,
    );
  }
  const all = (k: 'latency' | 'jitter') => f.flatMap((x) => x[k]);
  const lat = f.map((x) => mean(x.latency));
  const jit = f.map((x) => sd(x.jitter));
  const kbps = f.map((x) => x.kbps);
  const pacing = `one 64 B binary message every ${PACE_MS} ms on an absolute schedule (each its own TCP chunk), echoed by the bare ws server child; added one-way delay of a message = its RTT through the proxy − the median RTT of ${LATENCY_N} messages sent the same way on the direct path just before (median ${median(f.map((x) => x.baseline)).toFixed(3)} ms); ${ROUNDS} rounds, a fresh connection each`;
  return [
    row(
      `latency ${LATENCY_MS} ms jitter 0 (client → server only): mean added one-way delay`,
      'ms',
      lat,
      undefined,
      `proxy.set({ toServer: { latencyMs: ${LATENCY_MS} } }) on a ChaosProxy in this process; the server → client direction is clean, so RTT − direct RTT is the one-way delay (not halved); ${LATENCY_N} messages per round: ${pacing}; over all ${all('latency').length} messages: p50 ${percentile(all('latency'), 50).toFixed(2)}, min ${Math.min(...all('latency')).toFixed(2)}, max ${Math.max(...all('latency')).toFixed(2)} ms`,
    ),
    row(
      `latency ${LATENCY_MS} ms jitter 0: |mean added delay − ${LATENCY_MS}|`,
      'ms',
      lat.map((x) => Math.abs(x - LATENCY_MS)),
      atMost(2),
      'per round; includes Node timer lateness (whole-ms timers) and the proxy’s own pass-through cost',
    ),
    row(
      `latency ${LATENCY_MS} ± ${JITTER_MS} ms (client → server only): standard deviation of the added delay`,
      'ms',
      jit,
      undefined,
      `proxy.set({ toServer: { latencyMs: ${LATENCY_MS}, jitterMs: ${JITTER_MS} } }): each chunk waits ${LATENCY_MS} + uniform[−${JITTER_MS}, +${JITTER_MS}] ms (clamped at 0, never before the chunk ahead: TCP order), so the expected standard deviation is ${JITTER_MS}/√3 = ${EXPECTED_SD.toFixed(2)} ms; sample SD per round over ${JITTER_N} messages: ${pacing}; mean added delay per round ${f.map((x) => mean(x.jitter).toFixed(2)).join(', ')} ms (expected ${LATENCY_MS}); over all ${all('jitter').length}: min ${Math.min(...all('jitter')).toFixed(2)}, max ${Math.max(...all('jitter')).toFixed(2)} ms`,
    ),
    row(
      `jitter ±${JITTER_MS} ms: |measured SD / expected SD − 1|`,
      '%',
      jit.map((x) => Math.abs(x / EXPECTED_SD - 1) * 100),
      atMost(20),
      `per round, expected SD ${EXPECTED_SD.toFixed(3)} ms`,
    ),
    row(
      `jitter ±${JITTER_MS} ms: mean absolute deviation of the added delay`,
      'ms',
      f.map((x) => mad(x.jitter)),
      undefined,
      `extra row, no target: expected ${JITTER_MS}/2 = ${EXPECTED_MAD.toFixed(2)} ms for the uniform distribution`,
    ),
    row(
      `bandwidth ${BANDWIDTH_KBPS} kbps (client → server only): measured`,
      'kbps',
      kbps,
      undefined,
      `proxy.set({ toServer: { bandwidthKbps: ${BANDWIDTH_KBPS} } }); per round ${BULK.total / 1024} KiB as ${BULK.total / BULK.messageBytes} binary messages of ${BULK.messageBytes / 1024} KiB handed to ws.send() at once, timed from the first send to the server's answer that it has them all (the answer comes back over the clean direction); rate = bytes on the wire (payloads + WebSocket frame headers) × 8 / time; ${ROUNDS} rounds (${(ROUNDS * BULK.total) / 2 ** 20} MiB in all)`,
    ),
    row(
      `bandwidth ${BANDWIDTH_KBPS} kbps: |measured / configured − 1|`,
      '%',
      kbps.map((x) => Math.abs(x / BANDWIDTH_KBPS - 1) * 100),
      atMost(10),
      'per round',
    ),
  ];
}
