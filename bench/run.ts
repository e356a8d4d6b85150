/**
 * `npm run bench [-- area …]`: runs each area's benchmark, prints a table per area and writes
 * bench/results/<area>.json. Areas: client, framing, meters, proxy, server, size, validators (default: all).
 */
import { type BenchRow, report } from './harness.js';

const AREAS: Record<string, () => Promise<{ bench(): Promise<BenchRow[]> }>> = {
  client: () => import('./client.js'),
  framing: () => import('./framing.js'),
  meters: () => import('./meters.js'),
  proxy: () => import('./proxy.js'),
  server: () => import('./server.js'),
  size: () => import('./size.js'),
  validators: () => import('./validators.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((a) => !(a in AREAS));
if (unknown.length > 0) {
  console.error(`unknown bench area(s): ${unknown.join(', ')}; known: ${Object.keys(AREAS).join(', ')}`);
  process.exit(2);
}
let missed = 0;
for (const area of wanted.length > 0 ? wanted : Object.keys(AREAS)) {
  const started = performance.now();
  const rows = await (await AREAS[area]!()).bench();
  const file = report(area, `${area} (${((performance.now() - started) / 1000).toFixed(1)} s)`, rows);
  console.log(`  → ${file}`);
  missed += rows.filter((r) => r.met === false).length;
}
console.log(missed === 0 ? '\nall targets met' : `\n${missed} target(s) missed (see NO above)`);
