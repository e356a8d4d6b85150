import type { Clock, TimerHandle } from '../clock/clock.js';
import { OptionsError } from '../errors.js';
import { checkNumber, formatValue } from '../internal/options.js';

/**
 * A timed sequence of link faults for {@link ChaosProxy.schedule}:
 * - `intermittent`: `offMs` of blackout after every `onMs` of link, `cycles` times (default: until cancelled);
 * - `blip`: one blackout of `ms`, after `afterMs` (default 0);
 * - `outage`: for `ms` (after `afterMs`), open connections are reset and new ones refused — the
 *   upstream is unreachable — then connections are accepted again.
 */
export type ChaosSchedule = IntermittentSchedule | BlipSchedule | OutageSchedule;

/** Blackout cycles: `onMs` of link, then `offMs` of blackout. */
export interface IntermittentSchedule {
  /** `'intermittent'` */
  readonly kind: 'intermittent';
  /** Link up, ms. */
  readonly onMs: number;
  /** Blackout, ms. */
  readonly offMs: number;
  /** How many on/off cycles; default: until cancelled. */
  readonly cycles?: number;
}

/** One blackout. */
export interface BlipSchedule {
  /** `'blip'` */
  readonly kind: 'blip';
  /** How long, ms. */
  readonly ms: number;
  /** Starts after this long, ms (default 0). */
  readonly afterMs?: number;
}

/** The upstream unreachable: open connections reset, new ones refused. */
export interface OutageSchedule {
  /** `'outage'` */
  readonly kind: 'outage';
  /** How long, ms. */
  readonly ms: number;
  /** Starts after this long, ms (default 0). */
  readonly afterMs?: number;
}

/** A running schedule. */
export interface ScheduleHandle {
  /** Stops it; a blackout or outage in progress ends at once. */
  cancel(): void;
  /** Resolves when it has run to its end or was cancelled. */
  readonly done: Promise<void>;
}

/** What a schedule drives (internal). */
export interface ScheduleTarget {
  blackout(): void;
  restore(): void;
  reset(): void;
  refuse(on: boolean): void;
}

/**
 * Runs `schedule` on `clock` against `target` (internal).
 *
 * @throws `WS_KIT_ERR_INVALID_ARGUMENT` for a bad schedule
 */
export function runSchedule(schedule: ChaosSchedule, clock: Clock, target: ScheduleTarget): ScheduleHandle {
  const name = 'ChaosProxy.schedule';
  const steps: { atMs: number; run: () => void }[] = [];
  let undo: () => void = () => undefined;
  switch (schedule?.kind) {
    case 'intermittent': {
      const on = checkNumber(`${name}.onMs`, schedule.onMs, { min: 1 }, 'argument');
      const off = checkNumber(`${name}.offMs`, schedule.offMs, { min: 1 }, 'argument');
      const cycles = checkNumber(
        `${name}.cycles`,
        schedule.cycles ?? Number.MAX_SAFE_INTEGER,
        { min: 1, integer: true },
        'argument',
      );
      steps.push({ atMs: on, run: () => target.blackout() }, { atMs: on + off, run: () => target.restore() });
      return cyclic(clock, steps, on + off, cycles, () => target.restore());
    }
    case 'blip': {
      const ms = checkNumber(`${name}.ms`, schedule.ms, { min: 1 }, 'argument');
      const after = checkNumber(`${name}.afterMs`, schedule.afterMs ?? 0, { min: 0 }, 'argument');
      steps.push(
        { atMs: after, run: () => target.blackout() },
        { atMs: after + ms, run: () => target.restore() },
      );
      undo = () => target.restore();
      break;
    }
    case 'outage': {
      const ms = checkNumber(`${name}.ms`, schedule.ms, { min: 1 }, 'argument');
      const after = checkNumber(`${name}.afterMs`, schedule.afterMs ?? 0, { min: 0 }, 'argument');
      steps.push(
        {
          atMs: after,
          run: () => {
            target.refuse(true);
            target.reset();
          },
        },
        { atMs: after + ms, run: () => target.refuse(false) },
      );
      undo = () => target.refuse(false);
      break;
    }
    default:
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_ARGUMENT',
        `${name}: kind must be 'intermittent', 'blip' or 'outage', got ${formatValue((schedule as { kind?: unknown } | undefined)?.kind)}`,
        { expected: ['intermittent', 'blip', 'outage'], received: schedule },
      );
  }
  // one cycle: the period only has to be finite (cycle 0 × Infinity would be NaN, a 0 ms timer)
  return cyclic(clock, steps, steps[steps.length - 1]!.atMs, 1, undo);
}

/** Runs `steps` (times within one period), `cycles` times. */
function cyclic(
  clock: Clock,
  steps: { atMs: number; run: () => void }[],
  periodMs: number,
  cycles: number,
  undo: () => void,
): ScheduleHandle {
  let timer: TimerHandle | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let cycle = 0;
  let step = 0;
  const start = clock.now();
  let ended = false;
  const next = () => {
    if (step === steps.length) {
      step = 0;
      cycle++;
    }
    if (cycle >= cycles) {
      ended = true;
      finish();
      return;
    }
    const at = start + cycle * periodMs + steps[step]!.atMs;
    timer = clock.setTimeout(
      () => {
        steps[step]!.run();
        step++;
        next();
      },
      Math.max(0, at - clock.now()),
    );
  };
  next();
  return {
    done,
    cancel: () => {
      if (ended) return;
      ended = true;
      clock.clearTimeout(timer);
      undo();
      finish();
    },
  };
}
