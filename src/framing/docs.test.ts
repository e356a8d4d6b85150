/**
 * Keeps the option tables of docs/framing.md in step with the exported defaults.
 */
import { describe, expect, it } from 'vitest';
import { documentedDefaults, renderedDefaults } from '../../test/helpers/docs.js';
import { DEFAULT_FRAME_CODEC_OPTIONS } from './frame.js';
import { DEFAULT_SEQUENCER_OPTIONS } from './sequencer.js';

describe('docs/framing.md', () => {
  it('documents the default of every FrameCodecOptions field', () => {
    expect(documentedDefaults('framing.md', '### Options (`FrameCodecOptions`)')).toEqual(
      renderedDefaults(DEFAULT_FRAME_CODEC_OPTIONS),
    );
  });

  it('documents the default of every SequencerOptions field', () => {
    expect(documentedDefaults('framing.md', '## `Sequencer`')).toEqual(
      renderedDefaults(DEFAULT_SEQUENCER_OPTIONS),
    );
  });
});
