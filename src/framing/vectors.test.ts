/**
 * Checks the hex test vectors of docs/protocol.md against the codecs, so the specification and the
 * code cannot drift apart. Each `### Vector` section holds a ```json frame block, a ```hex binary
 * block (`#` starts a comment) and a ```text envelope block.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.js';
import { decodeFrame, encodeFrame } from './frame-codec.js';
import { decodeJsonFrame, encodeJsonFrame } from './json-envelope.js';

interface Vector {
  title: string;
  frame: Frame;
  binary: Uint8Array;
  envelope: string;
}

function block(section: string, info: string): string {
  const match = new RegExp(`\`\`\`${info}\\n([\\s\\S]*?)\\n\`\`\``).exec(section);
  if (!match) throw new Error(`no \`\`\`${info} block in: ${section.slice(0, 60)}`);
  return match[1]!;
}

function parseHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/.test(digits)) throw new Error(`bad hex: ${digits}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

function parseFrame(json: string): Frame {
  return JSON.parse(json, (_key, value) =>
    value !== null &&
    typeof value === 'object' &&
    typeof value.hex === 'string' &&
    Object.keys(value).length === 1
      ? parseHex(value.hex)
      : value,
  ) as Frame;
}

function loadVectors(): Vector[] {
  const markdown = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  return markdown
    .split(/^### Vector /m)
    .slice(1)
    .map((section) => ({
      title: section.slice(0, section.indexOf('\n')),
      frame: parseFrame(block(section, 'json frame')),
      binary: parseHex(block(section, 'hex binary')),
      envelope: block(section, 'text envelope'),
    }));
}

const vectors = loadVectors();

describe('docs/protocol.md test vectors', () => {
  it('include a text, a binary and a JSON data frame, an ack, a ping and a pong', () => {
    const kinds = vectors.map((v) =>
      v.frame.kind === 'data' ? `data/${v.frame.payload.kind}` : v.frame.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(['data/text', 'data/binary', 'data/json', 'ack', 'ping', 'pong']),
    );
  });

  for (const vector of vectors) {
    describe(`vector ${vector.title}`, () => {
      it('encodes to exactly the documented bytes', () => {
        expect(encodeFrame(vector.frame)).toEqual(vector.binary);
      });

      it('decodes the documented bytes to exactly the documented frame', () => {
        expect(decodeFrame(vector.binary)).toEqual(vector.frame);
      });

      it('encodes to exactly the documented JSON envelope', () => {
        expect(encodeJsonFrame(vector.frame)).toBe(vector.envelope);
      });

      it('decodes the documented JSON envelope to exactly the documented frame', () => {
        expect(decodeJsonFrame(vector.envelope)).toEqual(vector.frame);
      });
    });
  }
});
