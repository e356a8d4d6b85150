/**
 * `npm run examples`: runs every example in this folder, one process each, and exits non-zero if
 * any of them fails. (`npm run demo` is the chaos drill, examples/chaos-drill/.)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const examples = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.endsWith('.test.ts'))
  .sort();
let failed = 0;
for (const file of examples) {
  console.log(`\n▶ examples/${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`✖ examples/${file} exited with ${result.status ?? result.signal}`);
  }
}
console.log(`\n${examples.length - failed} of ${examples.length} examples passed`);
process.exit(failed === 0 ? 0 : 1);
