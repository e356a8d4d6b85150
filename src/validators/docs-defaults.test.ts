import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock.js';
import { DEFAULT_DELIVERY_VALIDATOR_OPTIONS } from './delivery-options.js';
import { DEFAULT_FAIRNESS_VALIDATOR_OPTIONS } from './fairness-options.js';
import { DEFAULT_ORDERING_VALIDATOR_OPTIONS } from './ordering-options.js';
import { DEFAULT_PROGRESS_VALIDATOR_OPTIONS } from './progress-options.js';
import { DEFAULT_ROUTING_VALIDATOR_OPTIONS } from './routing-options.js';

/** Reads the `| option | default | meaning |` table under `## Options` of a docs page. */
function documentedDefaults(page: string): Record<string, string> {
  const text = readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8');
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
  return String(value);
}

describe('validator docs', () => {
  it.each([
    ['ordering-validator.md', DEFAULT_ORDERING_VALIDATOR_OPTIONS],
    ['delivery-validator.md', DEFAULT_DELIVERY_VALIDATOR_OPTIONS],
    ['fairness-validator.md', DEFAULT_FAIRNESS_VALIDATOR_OPTIONS],
    ['progress-validator.md', DEFAULT_PROGRESS_VALIDATOR_OPTIONS],
    ['routing-validator.md', DEFAULT_ROUTING_VALIDATOR_OPTIONS],
  ] as const)('%s documents every option with the default the code uses', (page, defaults) => {
    const expected = Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, render(v)]));
    expect(documentedDefaults(page)).toEqual(expected);
  });
});
