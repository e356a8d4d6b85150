import { OptionsError } from '../../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../../internal/options.js';

/** One event of a {@link progressStream}; it passes `ProgressValidator` as is. */
export interface ProgressEvent {
  /** Work done so far in the stage, from 0 to `total`. */
  readonly current: number;
  /** Work in the stage. */
  readonly total: number;
  /** `current / total × 100`, rounded to two decimals (100 when `total` is 0). */
  readonly percent: number;
  /** The stage name; `undefined` without `stages`. */
  readonly stage: string | undefined;
}

/** Options of {@link progressStream}; every field is optional. */
export interface ProgressStreamOptions {
  /**
   * Work per stage (a finite number ≥ 0).
   * @default 100
   */
  readonly total?: number;
  /**
   * The increment of `current` between events (a finite number > 0); the last event of each stage is
   * clamped to `total`.
   * @default 10
   */
  readonly step?: number;
  /**
   * Stage names, in order; each stage goes from 0 to `total`. `undefined` gives one unnamed stage.
   * @default undefined
   */
  readonly stages?: readonly string[] | undefined;
}

/** The defaults of every {@link ProgressStreamOptions} field. */
export const DEFAULT_PROGRESS_STREAM_OPTIONS: Readonly<Required<ProgressStreamOptions>> = Object.freeze({
  total: 100,
  step: 10,
  stages: undefined,
});

/**
 * Generates a well-formed progress stream for `server.stream(target, progressStream(…), { ratePerSecond })`:
 * for each stage, events with `current` = 0, step, 2 × step, … and finally `total`, with `percent`
 * consistent with `current / total`. The stream passes `ProgressValidator` with its default options
 * (rate bounds aside, which depend on how it is paced); break it on purpose by mapping the events.
 *
 * @param options - see {@link ProgressStreamOptions}
 * @returns a generator of `{ current, total, percent, stage }`
 * @throws `WS_KIT_ERR_INVALID_OPTION` (when called, not when iterated) for an unknown option or a value out of range
 *
 * @example
 * ```ts
 * [...progressStream({ total: 3, step: 1, stages: ['upload'] })].map((e) => e.percent);
 * // [0, 33.33, 66.67, 100]
 * ```
 */
export function progressStream(
  options: ProgressStreamOptions = {},
): Generator<ProgressEvent, void, undefined> {
  if (typeof options !== 'object' || options === null) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `progressStream options must be an object, got ${formatValue(options)}`,
    );
  }
  checkKnownKeys('progressStream', options, DEFAULT_PROGRESS_STREAM_OPTIONS);
  const o = { ...DEFAULT_PROGRESS_STREAM_OPTIONS, ...options };
  const total = checkNumber('progressStream.total', o.total, { min: 0 });
  const step = checkNumber('progressStream.step', o.step, { min: 0, exclusiveMin: true });
  const stages = o.stages;
  if (stages !== undefined && (!Array.isArray(stages) || stages.some((s) => typeof s !== 'string'))) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `progressStream.stages must be an array of strings, got ${formatValue(stages)}`,
    );
  }
  return generate(total, step, stages === undefined ? [undefined] : [...stages]);
}

function* generate(
  total: number,
  step: number,
  stages: readonly (string | undefined)[],
): Generator<ProgressEvent, void, undefined> {
  for (const stage of stages) {
    for (let k = 0; ; k++) {
      const current = Math.min(total, k * step);
      const percent = total === 0 ? 100 : Math.round((current / total) * 10_000) / 100;
      yield Object.freeze({ current, total, percent, stage });
      if (current >= total) break;
    }
  }
}
