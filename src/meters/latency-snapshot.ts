import { isWsKitError, MeterError } from '../errors.js';
import { formatValue } from '../internal/options.js';
import { decodeHistogram } from './histogram-codec.js';
import { type ResolvedLatencyOptions, resolveLatencyOptions } from './latency-options.js';
import type { MeterHistogram } from './meter-histogram.js';

/** The `format` tag of every {@link LatencySnapshot}. */
export const LATENCY_SNAPSHOT_FORMAT = 'ws-kit/latency-meter';

/**
 * A compact, JSON-safe, versioned export of a `LatencyMeter`: its settings, its exact extremes and
 * its whole histogram. Send it from a worker or process (`postMessage`, stdout, a file) and
 * `LatencyMeter.fromSnapshot` or `merge` it elsewhere; merged snapshots give exactly what one meter
 * recording every sample would give.
 *
 * Treat it as opaque apart from reading; build one only with `LatencyMeter.toSnapshot`.
 */
export interface LatencySnapshot {
  /** Always `'ws-kit/latency-meter'`. */
  readonly format: typeof LATENCY_SNAPSHOT_FORMAT;
  /** The snapshot layout version; this release writes and reads `1`. */
  readonly version: 1;
  /** The meter's `highestTrackableMs` option. */
  readonly highestTrackableMs: number;
  /** The meter's `significantDigits` option. */
  readonly significantDigits: number;
  /** The meter's `expectedIntervalMs` option. */
  readonly expectedIntervalMs: number;
  /** Values in the histogram, including those added by coordinated-omission correction. */
  readonly count: number;
  /** How many of `count` were added by coordinated-omission correction. */
  readonly synthetic: number;
  /** The exact smallest value, in whole microseconds (0 when `count` is 0). */
  readonly minUs: number;
  /** The exact largest value, in whole microseconds (0 when `count` is 0). */
  readonly maxUs: number;
  /**
   * The histogram in HdrHistogram's standard V2 compressed base64 form, values in microseconds,
   * written with stored (level-0) deflate blocks: any HdrHistogram library decodes it; this
   * library reads back only level-0 histograms (see docs/latency-meter.md).
   */
  readonly histogram: string;
}

/** A snapshot after validation, with its histogram decoded. */
export interface DecodedLatencySnapshot {
  /** The settings the snapshot was taken with. */
  readonly options: ResolvedLatencyOptions;
  /** Values in the histogram, including synthetic ones. */
  readonly count: number;
  /** Values added by coordinated-omission correction. */
  readonly synthetic: number;
  /** The exact smallest value in µs. */
  readonly minUs: number;
  /** The exact largest value in µs. */
  readonly maxUs: number;
  /** The decoded histogram, same layout as a meter with `options` would have. */
  readonly histogram: MeterHistogram;
}

function fail(message: string, received: unknown, cause?: unknown): never {
  throw new MeterError(
    'WS_KIT_ERR_METER_SNAPSHOT',
    `LatencyMeter snapshot: ${message}`,
    cause === undefined ? { received } : { received, cause },
  );
}

function safeCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(`${name} must be a non-negative safe integer, got ${formatValue(value)}`, value);
  }
  return value;
}

/**
 * Parses and validates a snapshot (object or its JSON text) and decodes its histogram.
 *
 * @param input - a {@link LatencySnapshot} or `JSON.stringify` of one
 * @returns the validated content
 * @throws {@link MeterError} `WS_KIT_ERR_METER_SNAPSHOT` for anything that is not an intact snapshot
 */
export function decodeLatencySnapshot(input: unknown): DecodedLatencySnapshot {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      fail('the text is not JSON', input, error);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`expected an object, got ${formatValue(value)}`, value);
  }
  const s = value as Partial<Record<keyof LatencySnapshot, unknown>>;
  if (s.format !== LATENCY_SNAPSHOT_FORMAT) {
    fail(`format must be '${LATENCY_SNAPSHOT_FORMAT}', got ${formatValue(s.format)}`, s.format);
  }
  if (s.version !== 1)
    fail(`unsupported version ${formatValue(s.version)} (this release reads 1)`, s.version);
  let options: ResolvedLatencyOptions;
  try {
    options = resolveLatencyOptions('LatencyMeter snapshot', {
      highestTrackableMs: s.highestTrackableMs as number,
      significantDigits: s.significantDigits as number,
      expectedIntervalMs: s.expectedIntervalMs as number,
    });
  } catch (error) {
    fail(`invalid settings: ${isWsKitError(error) ? error.message : String(error)}`, value, error);
  }
  const count = safeCount('count', s.count);
  const synthetic = safeCount('synthetic', s.synthetic);
  const minUs = safeCount('minUs', s.minUs);
  const maxUs = safeCount('maxUs', s.maxUs);
  if (synthetic > count) fail(`synthetic (${synthetic}) exceeds count (${count})`, value);
  if (count === 0 ? minUs !== 0 || maxUs !== 0 : minUs > maxUs || maxUs > options.highestTrackableUs) {
    fail(`minUs/maxUs (${minUs}/${maxUs}) do not fit count ${count} and the range`, value);
  }
  if (typeof s.histogram !== 'string')
    fail(`histogram must be a string, got ${formatValue(s.histogram)}`, s.histogram);
  let histogram: MeterHistogram;
  try {
    histogram = decodeHistogram(s.histogram, options.highestTrackableUs, options.significantDigits);
  } catch (error) {
    fail(`histogram: ${error instanceof Error ? error.message : String(error)}`, s.histogram, error);
  }
  if (histogram.totalCount !== count)
    fail(`histogram holds ${histogram.totalCount} values, count says ${count}`, value);
  if (
    count > 0 &&
    (histogram.getValueAtPercentile(0) !== histogram.lowestEquivalentValue(minUs) ||
      histogram.getValueAtPercentile(100) !== histogram.highestEquivalentValue(maxUs))
  ) {
    fail(`minUs/maxUs (${minUs}/${maxUs}) do not match the histogram's extremes`, value);
  }
  return { options, count, synthetic, minUs, maxUs, histogram };
}
