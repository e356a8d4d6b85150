/**
 * Keeps the option tables of docs/framing.md in step with the exported defaults.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FRAME_CODEC_OPTIONS } from './frame.js';
import { DEFAULT_SEQUENCER_OPTIONS } from './sequencer.js';

const page = readFileSync(new URL('../../docs/framing.md', import.meta.url), 'utf8');

/** The default column of the options-table row for `name`. */
function documentedDefault(name: string): string | undefined {
  return new RegExp(`^\\| \`${name}\` \\| \`([^\`]+)\``, 'm').exec(page)?.[1];
}

describe('docs/framing.md', () => {
  it('documents the default of every FrameCodecOptions field', () => {
    for (const [name, value] of Object.entries(DEFAULT_FRAME_CODEC_OPTIONS)) {
      expect(documentedDefault(name), name).toBe(String(value));
    }
  });

  it('documents the default of every SequencerOptions field', () => {
    for (const [name, value] of Object.entries(DEFAULT_SEQUENCER_OPTIONS)) {
      expect(documentedDefault(name), name).toBe(String(value));
    }
  });
});
