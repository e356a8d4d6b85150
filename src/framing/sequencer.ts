import { FrameError, OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../internal/options.js';
import { checkOptionsObject, MAX_CHANNEL_BYTES } from './frame.js';
import { isWellFormed, utf8Length } from './utf8.js';

/** Options of {@link Sequencer}. */
export interface SequencerOptions {
  /**
   * The first sequence number {@link Sequencer.next} issues on a channel it has not seen, an integer
   * in `[1, 2^53 − 1]`. Tests set it near `2 ** 32` or `Number.MAX_SAFE_INTEGER` to exercise large values.
   * @defaultValue 1
   */
  readonly start?: number;
}

/** The defaults of {@link SequencerOptions}. */
export const DEFAULT_SEQUENCER_OPTIONS: Readonly<Required<SequencerOptions>> = Object.freeze({ start: 1 });

/**
 * The state of a {@link Sequencer}, as {@link Sequencer.toJSON} returns it and
 * {@link Sequencer.from} accepts it. Plain JSON, so it can be stored and restored across a restart.
 */
export interface SequencerSnapshot {
  /** The first number issued on a new channel. */
  readonly start: number;
  /** The last number issued per channel (channels that have issued nothing are absent). */
  readonly last: Readonly<Record<string, number>>;
}

/**
 * Issues per-channel sequence numbers: 1, 2, 3, … on each channel independently, exact up to
 * `Number.MAX_SAFE_INTEGER` (2^53 − 1), far beyond 2^32. Sequence number 0 is never issued: it
 * means "nothing yet" (it is what {@link Sequencer.peek} returns for a new channel, and what a
 * `hello` frame reports for a channel with nothing received).
 *
 * Memory is one number per channel. Pure: no clock, no I/O.
 *
 * @example
 * ```ts
 * const seq = new Sequencer();
 * seq.next('chat:1'); // 1
 * seq.next('chat:1'); // 2
 * seq.next('chat:2'); // 1
 * const restored = Sequencer.from(JSON.parse(JSON.stringify(seq)));
 * restored.next('chat:1'); // 3
 * ```
 */
export class Sequencer {
  readonly #start: number;
  readonly #last = new Map<string, number>();

  /**
   * @param options - see {@link SequencerOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown option or a `start` out of range
   */
  constructor(options: SequencerOptions = {}) {
    checkOptionsObject('Sequencer', options);
    checkKnownKeys('Sequencer', options, DEFAULT_SEQUENCER_OPTIONS);
    this.#start =
      options.start === undefined
        ? DEFAULT_SEQUENCER_OPTIONS.start
        : checkNumber('Sequencer.start', options.start, {
            integer: true,
            min: 1,
            max: Number.MAX_SAFE_INTEGER,
          });
  }

  /**
   * Restores a sequencer from a snapshot, so numbering continues where it stopped.
   *
   * @param snapshot - what {@link Sequencer.toJSON} returned (possibly through `JSON.stringify`/`JSON.parse`)
   * @returns a sequencer whose next number on each channel follows the snapshot's last
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` when the snapshot is not an object with
   *   a valid `start` and a `last` map of valid channels to integers in `[0, 2^53 − 1]`
   */
  static from(snapshot: SequencerSnapshot): Sequencer {
    if (
      typeof snapshot !== 'object' ||
      snapshot === null ||
      typeof snapshot.last !== 'object' ||
      snapshot.last === null
    ) {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `Sequencer.from: snapshot must be { start, last }, got ${formatValue(snapshot)}`,
        { expected: '{ start, last }', received: snapshot },
      );
    }
    const start = checkNumber(
      'Sequencer.from: snapshot.start',
      snapshot.start,
      { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER },
      'argument',
    );
    const sequencer = new Sequencer({ start });
    for (const [channel, last] of Object.entries(snapshot.last)) {
      checkChannel('Sequencer.from', channel);
      const value = checkNumber(
        `Sequencer.from: snapshot.last[${JSON.stringify(channel)}]`,
        last,
        { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
        'argument',
      );
      if (value > 0) sequencer.#last.set(channel, value);
    }
    return sequencer;
  }

  /**
   * Issues the next sequence number on `channel`.
   *
   * @param channel - the channel, a string of at most 255 UTF-8 bytes (as a frame can carry)
   * @returns `start` on a new channel, then one more than the last number issued on it
   * @throws {@link FrameError} `WS_KIT_ERR_SEQUENCE_EXHAUSTED` when the channel has issued `Number.MAX_SAFE_INTEGER`
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_ARGUMENT` for a channel a frame cannot carry
   */
  next(channel = ''): number {
    const last = this.#last.get(channel);
    if (last === undefined) {
      checkChannel('Sequencer.next', channel);
      this.#last.set(channel, this.#start);
      return this.#start;
    }
    if (last >= Number.MAX_SAFE_INTEGER) {
      throw new FrameError(
        'WS_KIT_ERR_SEQUENCE_EXHAUSTED',
        `Sequencer.next: channel ${JSON.stringify(channel)} has issued ${last}, the largest exact sequence number`,
        { channel, seq: last, expected: `at most ${Number.MAX_SAFE_INTEGER}` },
      );
    }
    this.#last.set(channel, last + 1);
    return last + 1;
  }

  /**
   * @param channel - the channel
   * @returns the last number issued on `channel`, or 0 if it has issued none
   */
  peek(channel = ''): number {
    return this.#last.get(channel) ?? 0;
  }

  /** @returns the channels that have issued at least one number, in first-use order */
  channels(): string[] {
    return [...this.#last.keys()];
  }

  /** @returns a JSON-safe snapshot of the state, for {@link Sequencer.from} */
  toJSON(): SequencerSnapshot {
    return { start: this.#start, last: Object.fromEntries(this.#last) };
  }
}

function checkChannel(where: string, channel: unknown): void {
  if (
    typeof channel !== 'string' ||
    channel.length > MAX_CHANNEL_BYTES ||
    !isWellFormed(channel) ||
    utf8Length(channel) > MAX_CHANNEL_BYTES
  ) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `${where}: channel must be a string of at most ${MAX_CHANNEL_BYTES} UTF-8 bytes without lone surrogates, got ${formatValue(channel)}`,
      { expected: `a string of at most ${MAX_CHANNEL_BYTES} UTF-8 bytes`, received: channel },
    );
  }
}
