/**
 * ChaosProxy (issue 5), measured side by side in one run:
 * (a) pass-through overhead with no faults — throughput of 1 KiB and 64 KiB messages client → server
 *     and ping-pong RTT, direct vs through a ChaosProxy in the client's process vs in a process of
 *     its own, rounds interleaved (bench/proxy-overhead.ts);
 * (b) accuracy — configured latency 50 ms, 50 ± 10 ms, and 1 Mbps against what a client measures
 *     (bench/proxy-accuracy.ts).
 * The upstream is a bare `ws` server in a child process (bench/proxy-server-child.ts). Everything on
 * 127.0.0.1, ephemeral ports; child processes stopped at the end. Run alone: npm run bench -- proxy
 */
import { ChaosProxy } from '../src/proxy/index.js';
import type { BenchRow } from './harness.js';
import { accuracy } from './proxy-accuracy.js';
import { overhead } from './proxy-overhead.js';
import { Child } from './server/util.js';

function log(message: string): void {
  console.error(`  [proxy] ${message}`);
}

export async function bench(): Promise<BenchRow[]> {
  const server = new Child('../proxy-server-child.ts');
  const proxyChild = new Child('../proxy-child.ts');
  let proxy: ChaosProxy | undefined;
  try {
    const direct = await server.call<string>('start');
    const childUrl = await proxyChild.call<string>('start', { target: direct });
    proxy = await ChaosProxy.start({ target: direct });
    const rows: BenchRow[] = [];
    let t0 = performance.now();
    rows.push(
      ...(await overhead({
        urls: { direct, 'in-process': proxy.url, child: childUrl },
        server,
        proxyChild,
        log,
      })),
    );
    log(`(a) overhead done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    rows.push(...(await accuracy(proxy, direct, log)));
    log(`(b) accuracy done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const s = proxy.stats();
    log(
      `in-process proxy stats: ${s.connections.total} connections, toServer ${s.toServer.messages} messages ${s.toServer.bytesIn} B in / ${s.toServer.bytesOut} B out, toClient ${s.toClient.messages} messages, faults ${JSON.stringify(s.faults)}`,
    );
    return rows;
  } finally {
    await proxy?.close();
    await Promise.all([server.stop(), proxyChild.stop()]);
  }
}
