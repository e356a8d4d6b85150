import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const main = path.resolve(import.meta.dirname, '../../examples/chaos-drill/main.ts');

function drill(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The figure of a report row, both directions. */
function row(stdout: string, name: string): [number, number] {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(name));
  if (!line) throw new Error(`no '${name}' row in:\n${stdout}`);
  const figures = line
    .slice(line.indexOf(name) + name.length)
    .trim()
    .split(/\s{2,}/);
  return [Number(figures[0]!.replaceAll(',', '')), Number(figures[1]!.replaceAll(',', ''))];
}

describe('npm run demo (the chaos drill)', { timeout: 90_000 }, () => {
  it('passes with semantest-v1 clients through blackout, drops, corruption and a restart, and exits 0', async () => {
    const r = await drill([
      '--duration',
      '5',
      '--clients',
      '3',
      '--rate',
      '40',
      '--blackout',
      '1',
      '--corrupt',
      '0.03',
      '--drop',
      '0.03',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
    expect(row(r.stdout, 'sent')).toEqual([600, 600]);
    expect(row(r.stdout, 'delivered (distinct)')).toEqual([600, 600]);
    expect(row(r.stdout, 'lost')).toEqual([0, 0]);
    expect(row(r.stdout, 'duplicated')).toEqual([0, 0]);
    const corruptions = /corruptions detected \/ injected\s+(\d+) \/ (\d+)\s+(\d+) \/ (\d+)/.exec(r.stdout)!;
    // faults were injected, and caught by CRC32C — all but those cut off with their connection
    const [upFound, upInjected, downFound, downInjected] = corruptions.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    expect(upInjected + downInjected).toBeGreaterThan(0);
    expect(upFound).toBeLessThanOrEqual(upInjected);
    expect(downFound).toBeLessThanOrEqual(downInjected);
    expect(upFound + downFound).toBeGreaterThanOrEqual(0.8 * (upInjected + downInjected));
  });

  it('fails (exit 1) and names the losses when the clients run without acks (plain mode)', async () => {
    const r = await drill([
      '--duration',
      '4',
      '--clients',
      '2',
      '--rate',
      '40',
      '--blackout',
      '1',
      '--mode',
      'plain',
      '--corrupt',
      '0',
      '--drop',
      '0.05',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
    const [lostUp, lostDown] = row(r.stdout, 'lost');
    expect(lostUp + lostDown).toBeGreaterThan(0);
  });

  it('refuses bad flags with exit 2', async () => {
    const r = await drill(['--profile', 'moon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile must be one of/);
  });
});
