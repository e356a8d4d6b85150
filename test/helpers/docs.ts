/**
 * Reads the options tables of docs/ pages, so tests can hold each page's documented defaults to the
 * `DEFAULT_*_OPTIONS` object the code uses (the drift STYLE.md warns about).
 */
import { readFileSync } from 'node:fs';
import { systemClock } from '../../src/clock/clock.js';
import { realClock } from '../../src/server/real-clock.js';

const docs = new URL('../../docs/', import.meta.url);

/**
 * The `` | `name` | `default` | meaning | `` rows of the section of `page` that starts at the heading
 * line `heading` and ends at the next heading of the same or a higher level.
 *
 * @returns option name → the default column's code span, digit separators (`3_600_000`) removed
 */
export function documentedDefaults(page: string, heading = '## Options'): Record<string, string> {
  const text = readFileSync(new URL(page, docs), 'utf8');
  const start = text.split('\n').findIndex((line) => line === heading || line.startsWith(`${heading} `));
  if (start < 0) throw new Error(`docs/${page} has no heading "${heading}"`);
  const level = heading.split(' ')[0]!;
  const lines = text.split('\n').slice(start + 1);
  const end = lines.findIndex((line) => /^#+ /.test(line) && line.split(' ')[0]!.length <= level.length);
  const out: Record<string, string> = {};
  for (const line of end < 0 ? lines : lines.slice(0, end)) {
    const m = /^\|\s*`(\w+)`\s*\|\s*`([^`]+)`/.exec(line);
    if (m && !m[1]!.startsWith('WS_KIT_ERR_'))
      out[m[1]!] = /^[\d_.]+$/.test(m[2]!) ? m[2]!.replaceAll('_', '') : m[2]!;
  }
  return out;
}

/** How the docs write a default value: `'text'`, `3600`, `systemClock`, `[…]`, `{}`. */
export function renderDefault(value: unknown): string {
  if (value === systemClock) return 'systemClock';
  if (value === realClock) return 'realClock';
  if (value === Math.random) return 'Math.random';
  if (typeof value === 'function') return value.name;
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(renderDefault).join(', ')}]`;
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return String(value);
}

/** `defaults` as the docs should show them: option name → {@link renderDefault}. */
export function renderedDefaults(defaults: object): Record<string, string> {
  return Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, renderDefault(v)]));
}
