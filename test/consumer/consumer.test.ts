/**
 * The package as published: `npm pack`, unpack into a temporary project's node_modules, and use it
 * from ESM and CJS under Vitest, Jest and node:test. Offline: the temporary project links the
 * package's runtime dependencies and the runners from this repository's node_modules instead of
 * installing them from the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
let project = '';

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours from runners' output
  const output = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { status: result.status, output };
}

beforeAll(() => {
  project = mkdtempSync(path.join(os.tmpdir(), 'ws-kit-consumer-'));
  // A tarball made by .ci/run is reused; otherwise build and pack now.
  let tarball = process.env.WS_KIT_TARBALL;
  if (!tarball) {
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
    const packed = execFileSync(
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', project],
      {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    tarball = path.join(project, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
  }
  const target = path.join(project, 'node_modules/@semantest/ws-kit');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  // the fixture's tests also use `ws` as their client (a dependency too, listed for clarity)
  for (const dep of new Set([...Object.keys(pkg.dependencies), 'ws', 'vitest', 'jest'])) {
    const link = path.join(project, 'node_modules', dep);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(repo, 'node_modules', dep), link, 'dir');
  }
  cpSync(path.join(import.meta.dirname, 'fixture'), project, { recursive: true });
  // the Jest example runs as published code, from the same temporary project
  for (const example of ['mock-server.test.cjs', 'resilient-client.test.cjs', 'chaos-proxy.test.cjs'])
    cpSync(path.join(repo, 'examples/jest', example), path.join(project, example));
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships only dist/, README, CHANGELOG, LICENSE and package.json', () => {
    const files = execFileSync('find', ['.', '-type', 'f'], {
      cwd: path.join(project, 'node_modules/@semantest/ws-kit'),
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((f) => f.slice(2).split('/')[0])
      .filter((top, i, all) => all.indexOf(top) === i)
      .sort();
    expect(files).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
  });

  it('works from ESM under Vitest, with the matchers from @semantest/ws-kit/vitest', () => {
    const result = run(process.execPath, [
      path.join(repo, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--root',
      project,
      '--config',
      'vitest.config.mjs',
    ]);
    expect(result.output).toMatch(/Tests\s+\S*\s*4 passed/);
    expect(result.status).toBe(0);
  });

  it('works from CJS under Jest, with the matchers from @semantest/ws-kit/jest and examples/jest', () => {
    const result = run(process.execPath, [
      path.join(repo, 'node_modules/jest/bin/jest.js'),
      '--rootDir',
      project,
      '--config',
      'jest.config.cjs',
      '--ci',
    ]);
    expect(result.output).toMatch(/Test Suites:\s+4 passed, 4 total/);
    expect(result.output).toMatch(/Tests:\s+12 passed, 12 total/);
    expect(result.status).toBe(0);
  });

  it('works from ESM and CJS under node:test', () => {
    const result = run(process.execPath, ['--test', 'node-test.test.mjs', 'node-test.test.cjs']);
    expect(result.output).toMatch(/# pass 2\b/);
    expect(result.output).toMatch(/# fail 0\b/);
    expect(result.status).toBe(0);
  });

  it('resolves the browser condition to the browser build', () => {
    const result = run(process.execPath, [
      '--conditions=browser',
      '--input-type=module',
      '-e',
      "const m = await import('@semantest/ws-kit'); const b = await import('@semantest/ws-kit/browser'); console.log(m.crc32c === b.crc32c, typeof m.encodeFrame);",
    ]);
    expect(result.output.trim()).toBe('true function');
  });
});
