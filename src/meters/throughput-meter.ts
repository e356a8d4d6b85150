import { type Clock, systemClock } from '../clock/clock.js';
import { MeterError, OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../internal/options.js';

/** Options of {@link ThroughputMeter}; every field is optional. */
export interface ThroughputMeterOptions {
  /**
   * Where `record()` and `start()` read the time when not given one. Inject a `ManualClock` in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * How many of the most recent seconds the per-second `series` keeps (an integer ≥ 1). Older
   * seconds leave the series but stay in the totals, and are counted in `foldedMessages` /
   * `foldedBytes`, so nothing is lost silently. Memory: 16 bytes per second kept.
   * @default 3600
   */
  readonly maxSeriesSeconds?: number;
}

/** The defaults of every {@link ThroughputMeterOptions} field. */
export const DEFAULT_THROUGHPUT_METER_OPTIONS: Readonly<Required<ThroughputMeterOptions>> = Object.freeze({
  clock: systemClock,
  maxSeriesSeconds: 3600,
});

/** One second of a {@link ThroughputReport.series}. */
export interface ThroughputSecond {
  /** The second's index: second k covers `[startMs + 1000·k, startMs + 1000·(k + 1))`. */
  readonly second: number;
  /** Messages recorded with a timestamp in that second. */
  readonly messages: number;
  /** Bytes of those messages. */
  readonly bytes: number;
}

/** What a {@link ThroughputMeter} measured. */
export interface ThroughputReport {
  /** The window's start: the `start()` time, else the first record's timestamp; `undefined` before either. */
  readonly startMs: number | undefined;
  /** The latest record timestamp; `undefined` before the first record. */
  readonly lastMs: number | undefined;
  /** `untilMs` (if passed to `report`) or `lastMs`, minus `startMs`; 0 before the first record. */
  readonly elapsedMs: number;
  /** Messages recorded. */
  readonly messages: number;
  /** Bytes recorded. */
  readonly bytes: number;
  /** `messages / (elapsedMs / 1000)`; 0 when `elapsedMs` is 0. */
  readonly messagesPerSecond: number;
  /** `bytes / (elapsedMs / 1000)`; 0 when `elapsedMs` is 0. */
  readonly bytesPerSecond: number;
  /**
   * Every second from the oldest one kept to the one holding `lastMs`, in order, including empty
   * seconds (a stall shows as zeros). At most `maxSeriesSeconds` entries.
   */
  readonly series: readonly ThroughputSecond[];
  /** Messages in the totals whose second is no longer in `series`: `messages = Σ series.messages + foldedMessages`. */
  readonly foldedMessages: number;
  /** Bytes in the totals whose second is no longer in `series`. */
  readonly foldedBytes: number;
}

function timestampError(where: string, message: string, received: unknown): MeterError {
  return new MeterError('WS_KIT_ERR_TIMESTAMP_INVALID', `ThroughputMeter.${where}: ${message}`, { received });
}

/**
 * Counts messages and bytes, overall and per second, from timestamps you pass or its clock reads.
 *
 * Records may arrive out of order (e.g. several clients feeding one meter): each one counts in the
 * second of its own timestamp. A timestamp before the window's start throws
 * `WS_KIT_ERR_TIMESTAMP_INVALID` instead of being moved. Memory is fixed by `maxSeriesSeconds`.
 * Pure: it reads the clock, sets no timers.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const meter = new ThroughputMeter({ clock });
 * meter.record(512); // at 0 ms
 * clock.advance(1500);
 * meter.record(512); // at 1500 ms
 * meter.report(); // messages 2, bytes 1024, elapsedMs 1500, series [{ second: 0, … }, { second: 1, … }]
 * ```
 */
export class ThroughputMeter {
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #seriesMessages: Float64Array;
  readonly #seriesBytes: Float64Array;
  #startMs: number | undefined;
  #lastMs: number | undefined;
  #headSecond = -1;
  #messages = 0;
  #bytes = 0;
  #foldedMessages = 0;
  #foldedBytes = 0;

  /**
   * @param options - clock and series length; see {@link ThroughputMeterOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
   */
  constructor(options: ThroughputMeterOptions = {}) {
    checkKnownKeys('ThroughputMeter', options, DEFAULT_THROUGHPUT_METER_OPTIONS);
    const merged = { ...DEFAULT_THROUGHPUT_METER_OPTIONS, ...options };
    const clock = merged.clock as unknown;
    if (typeof clock !== 'object' || clock === null || typeof (clock as Clock).now !== 'function') {
      throw new OptionsError(
        'WS_KIT_ERR_INVALID_OPTION',
        `ThroughputMeter.clock must be a Clock (an object with now()), got ${formatValue(clock)}`,
        { expected: 'Clock', received: clock },
      );
    }
    this.#clock = clock as Clock;
    this.#capacity = checkNumber('ThroughputMeter.maxSeriesSeconds', merged.maxSeriesSeconds, {
      min: 1,
      max: 10_000_000,
      integer: true,
    });
    this.#seriesMessages = new Float64Array(this.#capacity);
    this.#seriesBytes = new Float64Array(this.#capacity);
  }

  /**
   * Forgets everything and starts a new window at `atMs` (without a call, the window starts at the
   * first record).
   *
   * @param atMs - the start, in the same time base as the record timestamps
   * @default atMs clock.now()
   * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when `atMs` is not a finite number
   */
  start(atMs: number = this.#clock.now()): void {
    if (typeof atMs !== 'number' || !Number.isFinite(atMs)) {
      throw timestampError('start', `atMs must be a finite number, got ${formatValue(atMs)}`, atMs);
    }
    this.reset();
    this.#startMs = atMs;
  }

  /**
   * Records one message.
   *
   * @param bytes - the message's size in bytes (a non-negative safe integer; 0 for an empty message)
   * @param atMs - when it was sent or received, in milliseconds
   * @default atMs clock.now()
   * @throws {@link MeterError} `WS_KIT_ERR_METER_VALUE` when `bytes` is not a non-negative safe integer;
   *   `WS_KIT_ERR_TIMESTAMP_INVALID` when `atMs` is not finite or lies before the window's start
   *   (the meter is left unchanged)
   */
  record(bytes: number, atMs: number = this.#clock.now()): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new MeterError(
        'WS_KIT_ERR_METER_VALUE',
        `ThroughputMeter.record: bytes must be a non-negative safe integer, got ${formatValue(bytes)}`,
        { expected: 'a non-negative safe integer', received: bytes },
      );
    }
    if (typeof atMs !== 'number' || !Number.isFinite(atMs)) {
      throw timestampError('record', `atMs must be a finite number, got ${formatValue(atMs)}`, atMs);
    }
    const start = this.#startMs ?? atMs;
    if (atMs < start) {
      throw timestampError('record', `atMs ${atMs} is before the window's start ${start}`, atMs);
    }
    this.#startMs = start;
    const second = Math.floor((atMs - start) / 1000);
    if (second > this.#headSecond) this.#advanceTo(second);
    if (second > this.#headSecond - this.#capacity) {
      const slot = second % this.#capacity;
      this.#seriesMessages[slot]! += 1;
      this.#seriesBytes[slot]! += bytes;
    } else {
      this.#foldedMessages += 1;
      this.#foldedBytes += bytes;
    }
    this.#messages += 1;
    this.#bytes += bytes;
    if (this.#lastMs === undefined || atMs > this.#lastMs) this.#lastMs = atMs;
  }

  /** Moves the newest second to `second`, folding the seconds that leave the series into the folded totals. */
  #advanceTo(second: number): void {
    const last = Math.min(second, this.#headSecond + this.#capacity);
    for (let k = this.#headSecond + 1; k <= last; k++) {
      const slot = k % this.#capacity;
      this.#foldedMessages += this.#seriesMessages[slot]!;
      this.#foldedBytes += this.#seriesBytes[slot]!;
      this.#seriesMessages[slot] = 0;
      this.#seriesBytes[slot] = 0;
    }
    this.#headSecond = second;
  }

  /**
   * @param untilMs - the end of the window for `elapsedMs` and the rates (e.g. `clock.now()` to count
   *   a quiet tail); it must not be before the latest record or the start
   * @default untilMs the latest record timestamp
   * @returns totals, rates and the per-second series; see {@link ThroughputReport}
   * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when `untilMs` is not finite or is earlier
   *   than the latest record (or the start)
   */
  report(untilMs?: number): ThroughputReport {
    const start = this.#startMs;
    const floor = this.#lastMs ?? start;
    if (untilMs !== undefined) {
      if (
        typeof untilMs !== 'number' ||
        !Number.isFinite(untilMs) ||
        (floor !== undefined && untilMs < floor)
      ) {
        throw timestampError(
          'report',
          `untilMs must be a finite number not before ${floor ?? 'the latest record'}, got ${formatValue(untilMs)}`,
          untilMs,
        );
      }
    }
    const end = untilMs ?? this.#lastMs;
    const elapsedMs = start === undefined || end === undefined ? 0 : end - start;
    const series: ThroughputSecond[] = [];
    for (let k = Math.max(0, this.#headSecond - this.#capacity + 1); k <= this.#headSecond; k++) {
      const slot = k % this.#capacity;
      series.push({ second: k, messages: this.#seriesMessages[slot]!, bytes: this.#seriesBytes[slot]! });
    }
    return {
      startMs: start,
      lastMs: this.#lastMs,
      elapsedMs,
      messages: this.#messages,
      bytes: this.#bytes,
      messagesPerSecond: elapsedMs > 0 ? this.#messages / (elapsedMs / 1000) : 0,
      bytesPerSecond: elapsedMs > 0 ? this.#bytes / (elapsedMs / 1000) : 0,
      series,
      foldedMessages: this.#foldedMessages,
      foldedBytes: this.#foldedBytes,
    };
  }

  /** Forgets everything, including the start; the next record starts a new window. */
  reset(): void {
    this.#seriesMessages.fill(0);
    this.#seriesBytes.fill(0);
    this.#startMs = undefined;
    this.#lastMs = undefined;
    this.#headSecond = -1;
    this.#messages = 0;
    this.#bytes = 0;
    this.#foldedMessages = 0;
    this.#foldedBytes = 0;
  }
}
