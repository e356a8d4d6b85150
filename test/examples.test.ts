import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(import.meta.dirname, '../examples');
const examples = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.endsWith('.test.ts'),
);

describe('examples/', () => {
  it('has an example per primitive area', () => {
    expect(examples.sort()).toEqual(expect.arrayContaining(['framing.ts', 'meters.ts', 'validators.ts']));
  });

  it.each(examples)('%s runs and exits 0', (file) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
