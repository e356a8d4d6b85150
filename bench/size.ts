/**
 * Browser bundle sizes, min+gzip (esbuild, minified, gzip level 9), measured the same way for
 * ResilientClient and the popular reconnecting clients: each is bundled alone for the browser with
 * its dependencies inlined, as an app importing only it would ship. ResilientClient is built from
 * src/ with the published browser build's aliases (scripts/browser-build.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BROWSER_ALIAS } from '../scripts/browser-build.js';
import { type BenchRow, row } from './harness.js';

const root = path.resolve(import.meta.dirname, '..');

async function gzipped(contents: string): Promise<{ min: number; gz: number }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
    alias: { ...BROWSER_ALIAS },
  });
  const bytes = result.outputFiles[0]!.contents;
  return { min: bytes.byteLength, gz: gzipSync(bytes, { level: 9 }).byteLength };
}

function version(name: string): string {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** @returns the rows of the `size` area */
export async function bench(): Promise<BenchRow[]> {
  const contestants: [string, string, string][] = [
    [
      'ResilientClient (+ the framing, CRC32C and eventemitter3 it uses)',
      "export { ResilientClient } from './src/client/index.ts';",
      'acks, resend, resume, dedupe, CRC32C-checked frames, heartbeat, bounded buffer, option checks with messages',
    ],
    [
      `partysocket ${version('partysocket')} (WebSocket)`,
      "export { WebSocket } from 'partysocket';",
      'reconnect + buffer, no acks',
    ],
    [
      `reconnecting-websocket ${version('reconnecting-websocket')}`,
      "export { default } from 'reconnecting-websocket';",
      'reconnect + buffer, no acks',
    ],
    [
      `websocket-ts ${version('websocket-ts')}`,
      "export * from 'websocket-ts';",
      'reconnect + buffer, no acks',
    ],
    [
      'whole browser entry (client, framing, meters, validators)',
      "export * from './src/browser.ts';",
      'hdr-histogram-js inlined',
    ],
  ];
  const rows: BenchRow[] = [];
  for (const [name, contents, note] of contestants) {
    const { min, gz } = await gzipped(contents);
    const target = name.startsWith('ResilientClient') ? ({ op: '<=', value: 8 } as const) : undefined;
    rows.push(
      row(`${name}: min+gzip`, 'KB', [gz / 1000], target, `${(min / 1000).toFixed(1)} KB minified; ${note}`),
    );
  }
  return rows;
}
