import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../clock/clock.js';
import { DEFAULT_JWT_AUTHENTICATOR_OPTIONS } from './jwt-options.js';

/** Reads the `| option | default | meaning |` table under `## Options` of a docs page. */
function documentedDefaults(page: string): Record<string, string> {
  const text = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
  const section = text.split('\n## Options\n')[1]?.split('\n## ')[0] ?? '';
  const out: Record<string, string> = {};
  for (const line of section.split('\n')) {
    const m = /^\|\s*`(\w+)`\s*\|\s*`([^`]+)`\s*\|/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

function render(value: unknown): string {
  if (value === systemClock) return 'systemClock';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  return String(value);
}

describe('auth docs', () => {
  it('auth.md documents every createJwtAuthenticator option with the default the code uses', () => {
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_JWT_AUTHENTICATOR_OPTIONS).map(([k, v]) => [k, render(v)]),
    );
    expect(documentedDefaults('auth.md')).toEqual(expected);
  });
});
