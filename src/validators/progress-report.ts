/**
 * The data types a `ProgressValidator` accepts and reports. docs/progress-validator.md defines every
 * rule with examples.
 */

/** One progress update as a progress-tracking stream sends it. */
export interface ProgressUpdate {
  /** Work done so far, a finite number; must stay within `[0, total]` and never decrease within a stage. */
  readonly current: number;
  /** Work in the stage, a finite number; must not change within a stage (unless `allowTotalChange`). */
  readonly total: number;
  /** The percentage the stream reports, if any; must equal `current / total × 100` within `percentTolerance`. */
  readonly percent?: number | undefined;
  /** The stage name, if any; a change of stage starts a new stage, where `current` may start again. */
  readonly stage?: string | undefined;
}

/**
 * What a progress violation is about:
 * - `non-monotonic` — `current` went below the previous update's `current` within a stage;
 * - `out-of-bounds` — `current < 0` or `current > total` (so also any update with `total < 0`);
 * - `total-changed` — `total` differs from the previous update's within a stage (unless `allowTotalChange`);
 * - `percent-mismatch` — `percent` differs from `current / total × 100` by more than `percentTolerance`
 *   (with `total = 0`, the expected percent is 100);
 * - `rate-too-high` / `rate-too-low` — the interval since the previous update, as a rate `1000 / Δt` per
 *   second, is above `maxRatePerSecond` / below `minRatePerSecond`;
 * - `incomplete` — with `requireCompletion`, a stage ended (the next stage began, or the report came)
 *   before `current` reached `total`; or no update arrived at all.
 */
export type ProgressViolationKind =
  | 'non-monotonic'
  | 'out-of-bounds'
  | 'total-changed'
  | 'percent-mismatch'
  | 'rate-too-high'
  | 'rate-too-low'
  | 'incomplete';

/** One violation a `ProgressValidator` found, as kept in {@link ProgressReport.firstViolations}. */
export interface ProgressViolation {
  /** What went wrong. */
  readonly kind: ProgressViolationKind;
  /** The 1-based number of the update at which it was found (for an `incomplete` stream at report time: the number of updates). */
  readonly index: number;
  /** The stage it concerns (`undefined` for updates without a stage). */
  readonly stage: string | undefined;
  /** A one-line explanation naming what was expected and what arrived. */
  readonly message: string;
}

/** How many violations of each kind a `ProgressValidator` found. */
export interface ProgressViolationCounts {
  /** `non-monotonic` violations. */
  readonly nonMonotonic: number;
  /** `out-of-bounds` violations. */
  readonly outOfBounds: number;
  /** `total-changed` violations. */
  readonly totalChanged: number;
  /** `percent-mismatch` violations. */
  readonly percentMismatch: number;
  /** `rate-too-high` violations. */
  readonly rateTooHigh: number;
  /** `rate-too-low` violations. */
  readonly rateTooLow: number;
  /** `incomplete` violations, the one at report time included. */
  readonly incomplete: number;
}

/** What a `ProgressValidator` found. */
export interface ProgressReport {
  /** Updates observed. */
  readonly updates: number;
  /** Stages seen (0 before the first update; a stream without stage names has 1). */
  readonly stages: number;
  /** The latest stage name (`undefined` when it had none or before the first update). */
  readonly stage: string | undefined;
  /** Whether the latest stage reached `current >= total` (with `total >= 0`). */
  readonly completed: boolean;
  /** The latest `current`; `undefined` before the first update. */
  readonly current: number | undefined;
  /** The latest `total`; `undefined` before the first update. */
  readonly total: number | undefined;
  /** The latest `current / total × 100` (100 when `total` is 0); `undefined` before the first update or when `total < 0`. */
  readonly percent: number | undefined;
  /** The shortest interval between consecutive updates (ms); `undefined` with fewer than 2 updates. */
  readonly minIntervalMs: number | undefined;
  /** The longest interval between consecutive updates (ms); `undefined` with fewer than 2 updates. */
  readonly maxIntervalMs: number | undefined;
  /** The sum of every count in {@link ProgressReport.counts}. */
  readonly violations: number;
  /** The number of violations of each kind. */
  readonly counts: ProgressViolationCounts;
  /** The first violations in order (at most `maxViolations`); the first one is the stream's first violation. */
  readonly firstViolations: readonly ProgressViolation[];
}
