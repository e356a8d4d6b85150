/**
 * `npm run demo`: the chaos drill. A MockServer behind a ChaosProxy (network profile, a blackout,
 * corrupted and dropped frames) and several ResilientClients streaming both ways; the server is
 * restarted in the middle. Prints a report and exits 0 only when every guarantee held.
 *
 * Flags: --clients 6 --channels 2 --rate 50 --duration 20 --profile regional --seed 1
 *        --blackout 2 --corrupt 0.01 --drop 0.01 --restart graceful|immediate|none
 *        --mode semantest-v1|plain (plain mode has no acks: the drill shows what it loses)
 */
import { parseArgs } from 'node:util';
import { NETWORK_PROFILES, type NetworkProfileName } from '@semantest/ws-kit';
import { runDrill } from './drill.js';
import { formatReport } from './tally.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '6' },
    channels: { type: 'string', default: '2' },
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '20' },
    profile: { type: 'string', default: 'regional' },
    seed: { type: 'string', default: '1' },
    blackout: { type: 'string', default: '2' },
    corrupt: { type: 'string', default: '0.01' },
    drop: { type: 'string', default: '0.01' },
    restart: { type: 'string', default: 'graceful' },
    mode: { type: 'string', default: 'semantest-v1' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'npm run demo -- [--clients 6] [--channels 2] [--rate 50] [--duration 20] [--profile regional]\n' +
      '                [--seed 1] [--blackout 2] [--corrupt 0.01] [--drop 0.01] [--restart graceful|immediate|none]\n' +
      '                [--mode semantest-v1|plain]   (plain: no acks — see what it loses)\n' +
      `profiles: ${Object.keys(NETWORK_PROFILES).join(', ')}`,
  );
  process.exit(0);
}

function num(name: string, value: string, min: number, max: number): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < min || x > max) {
    console.error(`--${name} must be a number in [${min}, ${max}], got ${value}`);
    process.exit(2);
  }
  return x;
}

if (!(values.profile in NETWORK_PROFILES)) {
  console.error(
    `--profile must be one of ${Object.keys(NETWORK_PROFILES).join(', ')}, got ${values.profile}`,
  );
  process.exit(2);
}
if (!['semantest-v1', 'plain'].includes(values.mode)) {
  console.error(`--mode must be semantest-v1 or plain, got ${values.mode}`);
  process.exit(2);
}
if (!['graceful', 'immediate', 'none'].includes(values.restart)) {
  console.error(`--restart must be graceful, immediate or none, got ${values.restart}`);
  process.exit(2);
}

const tty = process.stdout.isTTY;
let last = 0;
const tally = await runDrill({
  clients: num('clients', values.clients, 1, 500),
  channels: num('channels', values.channels, 1, 100),
  rate: num('rate', values.rate, 1, 5000),
  durationMs: num('duration', values.duration, 1, 3600) * 1000,
  profile: values.profile as NetworkProfileName,
  seed: num('seed', values.seed, 0, 0xffffffff),
  blackoutMs: num('blackout', values.blackout, 0, 3600) * 1000,
  corrupt: num('corrupt', values.corrupt, 0, 1),
  drop: num('drop', values.drop, 0, 1),
  restart: values.restart as 'graceful' | 'immediate' | 'none',
  mode: values.mode as 'semantest-v1' | 'plain',
  progress: (line) => {
    if (tty) process.stdout.write(`\r${line}\u001b[K`);
    else if (performance.now() - last > 2000) {
      last = performance.now();
      console.log(line);
    }
  },
});
if (tty) process.stdout.write('\n');
console.log(formatReport(tally));
process.exit(tally.failures.length === 0 ? 0 : 1);
