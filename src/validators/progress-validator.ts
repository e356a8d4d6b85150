import { ValidationError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import { type ProgressValidatorOptions, resolveProgressOptions } from './progress-options.js';
import type {
  ProgressReport,
  ProgressUpdate,
  ProgressViolation,
  ProgressViolationCounts,
  ProgressViolationKind,
} from './progress-report.js';
import type { Validator } from './validator.js';
import { checkObject, checkOptionalString } from './validator-checks.js';

type MutableCounts = { -readonly [K in keyof ProgressViolationCounts]: ProgressViolationCounts[K] };

const COUNT_OF: Record<ProgressViolationKind, keyof ProgressViolationCounts> = {
  'non-monotonic': 'nonMonotonic',
  'out-of-bounds': 'outOfBounds',
  'total-changed': 'totalChanged',
  'percent-mismatch': 'percentMismatch',
  'rate-too-high': 'rateTooHigh',
  'rate-too-low': 'rateTooLow',
  incomplete: 'incomplete',
};

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Checks a progress-tracking stream (uploads, exports, long jobs): `current` monotonic and within
 * `[0, total]`, `total` stable, `percent` consistent with `current / total`, the update rate within
 * bounds, and completion at 100 %. Reports every count and the first violations.
 *
 * docs/progress-validator.md defines every rule with examples.
 *
 * @example
 * ```ts
 * const progress = new ProgressValidator({ maxRatePerSecond: 20 });
 * client.on('progress', (p) => progress.observe(p)); // { current, total, percent?, stage? }
 * await job.done;
 * progress.assert(); // throws a ValidationError naming the first violation
 * ```
 */
export class ProgressValidator implements Validator<ProgressReport> {
  readonly #o: Readonly<Required<ProgressValidatorOptions>>;
  readonly #counts: MutableCounts = {
    nonMonotonic: 0,
    outOfBounds: 0,
    totalChanged: 0,
    percentMismatch: 0,
    rateTooHigh: 0,
    rateTooLow: 0,
    incomplete: 0,
  };
  readonly #violations: ProgressViolation[] = [];
  #updates = 0;
  #stages = 0;
  #last: ProgressUpdate | undefined;
  #lastAt = Number.NaN;
  #minInterval = Number.POSITIVE_INFINITY;
  #maxInterval = Number.NEGATIVE_INFINITY;

  /**
   * @param options - see {@link ProgressValidatorOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its documented range
   */
  constructor(options: ProgressValidatorOptions = {}) {
    this.#o = resolveProgressOptions(options);
  }

  /**
   * Checks one progress update against the previous one and the rules.
   *
   * @param update - `{ current, total, percent?, stage? }`
   * @param atMs - when it arrived (ms); default `clock.now()`; never earlier than the previous update
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `current`, `total` or `percent` is not a finite number,
   *   `stage` is not a string, or `atMs` is invalid or goes back in time. Nothing is recorded then.
   */
  observe(update: ProgressUpdate, atMs?: number): void {
    checkObject('ProgressValidator.observe update', update, false);
    const { current, total, percent } = update;
    checkNumber('ProgressValidator.observe update.current', current, {}, 'argument');
    checkNumber('ProgressValidator.observe update.total', total, {}, 'argument');
    if (percent !== undefined)
      checkNumber('ProgressValidator.observe update.percent', percent, {}, 'argument');
    const stage = checkOptionalString('ProgressValidator.observe update.stage', update.stage);
    const at = atMs === undefined ? this.#o.clock.now() : atMs;
    checkNumber(
      'ProgressValidator.observe atMs',
      at,
      Number.isNaN(this.#lastAt) ? {} : { min: this.#lastAt },
      'argument',
    );

    const index = ++this.#updates;
    const last = this.#last;
    if (last !== undefined) this.#checkRate(index, stage, at - this.#lastAt);
    if (last === undefined || last.stage !== stage) {
      this.#stages++;
      if (last !== undefined && this.#o.requireCompletion && !isComplete(last)) {
        this.#add(
          'incomplete',
          index,
          last.stage,
          `${stageName(last.stage)} left at ${describe(last)} when ${stageName(stage)} began (incomplete)`,
        );
      }
    } else {
      if (current < last.current) {
        this.#add(
          'non-monotonic',
          index,
          stage,
          `current went back from ${last.current} to ${current} (non-monotonic)`,
        );
      }
      if (total !== last.total && !this.#o.allowTotalChange) {
        this.#add(
          'total-changed',
          index,
          stage,
          `total changed from ${last.total} to ${total} (total changed)`,
        );
      }
    }
    if (current < 0 || current > total) {
      this.#add('out-of-bounds', index, stage, `current ${current} outside [0, ${total}] (out of bounds)`);
    }
    const expected = expectedPercent(current, total);
    if (
      percent !== undefined &&
      expected !== undefined &&
      Math.abs(percent - expected) > this.#o.percentTolerance
    ) {
      this.#add(
        'percent-mismatch',
        index,
        stage,
        `percent ${percent} but current/total is ${round(expected)} % (${current}/${total}); tolerance ${this.#o.percentTolerance} points (percent mismatch)`,
      );
    }
    this.#last = { current, total, percent, stage };
    this.#lastAt = at;
  }

  /**
   * Summarises the stream so far. With `requireCompletion`, a stream whose last stage has not
   * completed (or that had no update) counts one `incomplete` violation here, without recording it.
   *
   * @returns every count, the latest state and the first violations (see {@link ProgressReport})
   */
  report(): ProgressReport {
    const counts = { ...this.#counts };
    const firstViolations = [...this.#violations];
    const last = this.#last;
    if (this.#o.requireCompletion && (last === undefined || !isComplete(last))) {
      counts.incomplete++;
      if (firstViolations.length < this.#o.maxViolations) {
        const message =
          last === undefined
            ? 'no progress update observed (incomplete)'
            : `progress ended at ${describe(last)}${last.stage === undefined ? '' : ` in ${stageName(last.stage)}`} after ${this.#updates} update${this.#updates === 1 ? '' : 's'} (incomplete)`;
        firstViolations.push(
          Object.freeze({ kind: 'incomplete', index: this.#updates, stage: last?.stage, message }),
        );
      }
    }
    const twoOrMore = this.#updates >= 2;
    return {
      updates: this.#updates,
      stages: this.#stages,
      stage: last?.stage,
      completed: last !== undefined && isComplete(last),
      current: last?.current,
      total: last?.total,
      percent: last === undefined ? undefined : expectedPercent(last.current, last.total),
      minIntervalMs: twoOrMore ? this.#minInterval : undefined,
      maxIntervalMs: twoOrMore ? this.#maxInterval : undefined,
      violations: Object.values(counts).reduce((a, n) => a + n, 0),
      counts,
      firstViolations,
    };
  }

  /**
   * Throws when any violation was found (an incomplete stream included, with `requireCompletion`).
   *
   * @throws `WS_KIT_ERR_PROGRESS_VIOLATION` (a {@link ValidationError}), whose message names the counts and
   *   the first violations, and whose `report` holds {@link ProgressValidator.report}'s result
   */
  assert(): void {
    const r = this.report();
    if (r.violations === 0) return;
    const kinds = Object.entries(COUNT_OF) as [ProgressViolationKind, keyof ProgressViolationCounts][];
    const parts = kinds
      .filter(([, key]) => r.counts[key] > 0)
      .map(([kind, key]) => `${r.counts[key]} ${kind}`);
    const first = r.firstViolations.slice(0, 3).map((v) => v.message);
    throw new ValidationError(
      'WS_KIT_ERR_PROGRESS_VIOLATION',
      `progress: ${r.violations} violation${r.violations === 1 ? '' : 's'} (${parts.join(', ')}) in ${r.updates} updates` +
        (first.length > 0 ? `; first: ${first.join('; ')}` : ''),
      r,
    );
  }

  #checkRate(index: number, stage: string | undefined, dt: number): void {
    this.#minInterval = Math.min(this.#minInterval, dt);
    this.#maxInterval = Math.max(this.#maxInterval, dt);
    const rate = dt === 0 ? Number.POSITIVE_INFINITY : 1000 / dt;
    const { maxRatePerSecond: max, minRatePerSecond: min } = this.#o;
    if (max !== undefined && rate > max) {
      this.#add(
        'rate-too-high',
        index,
        stage,
        `${dt} ms after the previous update, ${round(rate)} updates/s > maxRatePerSecond ${max} (rate too high)`,
      );
    }
    if (min !== undefined && rate < min) {
      this.#add(
        'rate-too-low',
        index,
        stage,
        `${dt} ms after the previous update, ${round(rate)} updates/s < minRatePerSecond ${min} (rate too low)`,
      );
    }
  }

  /** Counts a violation and records it (prefixed with the update number and stage) while there is room. */
  #add(kind: ProgressViolationKind, index: number, stage: string | undefined, detail: string): void {
    this.#counts[COUNT_OF[kind]]++;
    if (this.#violations.length >= this.#o.maxViolations) return;
    const where =
      kind === 'incomplete' || stage === undefined
        ? `update #${index}`
        : `update #${index} (stage ${JSON.stringify(stage)})`;
    this.#violations.push(Object.freeze({ kind, index, stage, message: `${where}: ${detail}` }));
  }
}

function stageName(stage: string | undefined): string {
  return stage === undefined ? 'the unnamed stage' : `stage ${JSON.stringify(stage)}`;
}

function isComplete(u: ProgressUpdate): boolean {
  return u.total >= 0 && u.current >= u.total;
}

function expectedPercent(current: number, total: number): number | undefined {
  if (total < 0) return undefined;
  return total === 0 ? 100 : (current / total) * 100;
}

function describe(u: ProgressUpdate): string {
  const p = expectedPercent(u.current, u.total);
  return `${p === undefined ? '?' : round(p)} % (${u.current}/${u.total})`;
}
