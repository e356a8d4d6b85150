import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { MeterError, OptionsError } from '../errors.js';
import { LatencyMeter } from './latency-meter.js';
import { DEFAULT_LATENCY_METER_OPTIONS } from './latency-options.js';

/** 0.001, 0.002, …, 1.000 ms: below 2.048 ms every microsecond has its own bucket (3 digits). */
function meterWithFirstThousandMicroseconds(): LatencyMeter {
  const meter = new LatencyMeter();
  for (let us = 1; us <= 1000; us++) meter.record(us / 1000);
  return meter;
}

describe('LatencyMeter', () => {
  it('reports count, exact min and max, and nearest-rank percentiles', () => {
    const report = meterWithFirstThousandMicroseconds().report();
    expect(report).toMatchObject({ count: 1000, synthetic: 0, min: 0.001, max: 1 });
    expect([report.p50, report.p90, report.p95, report.p99, report.p999]).toEqual([
      0.5, 0.9, 0.95, 0.99, 0.999,
    ]);
  });

  it('reports the mean and population standard deviation', () => {
    const meter = new LatencyMeter();
    for (const ms of [0.1, 0.2, 0.3, 0.4]) meter.record(ms);
    expect(meter.report().mean).toBe(0.25);
    expect(meter.report().stddev).toBeCloseTo(Math.sqrt(0.0125), 12);
  });

  it('answers percentile(p) with the value of rank ceil(p/100 × count)', () => {
    const meter = meterWithFirstThousandMicroseconds();
    expect(meter.percentile(0)).toBe(0.001);
    expect(meter.percentile(0.05)).toBe(0.001);
    expect(meter.percentile(0.15)).toBe(0.002);
    expect(meter.percentile(33.3)).toBe(0.333);
    expect(meter.percentile(100)).toBe(1);
  });

  it('keeps a percentile within the histogram precision above the recorded value, never above max', () => {
    const meter = new LatencyMeter();
    for (const ms of [12, 12, 12, 500]) meter.record(ms);
    const p50 = meter.percentile(50);
    expect(p50).toBeGreaterThanOrEqual(12);
    expect(p50).toBeLessThanOrEqual(12 * 1.001);
    expect(meter.percentile(99)).toBe(500);
  });

  it('rounds values to the nearest microsecond', () => {
    const meter = new LatencyMeter();
    meter.record(0.0014);
    meter.record(0.0016);
    expect(meter.report()).toMatchObject({ min: 0.001, max: 0.002 });
  });

  it('records zero latency and reports it as the minimum', () => {
    const meter = new LatencyMeter();
    meter.record(0);
    meter.record(5);
    expect(meter.report()).toMatchObject({ count: 2, min: 0, p50: 0 });
  });

  it('reports zeros when nothing was recorded', () => {
    const meter = new LatencyMeter();
    expect(meter.report()).toEqual({
      count: 0,
      synthetic: 0,
      min: 0,
      max: 0,
      mean: 0,
      stddev: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
    });
    expect(meter.percentile(99)).toBe(0);
  });

  it('accepts a value equal to highestTrackableMs', () => {
    const meter = new LatencyMeter({ highestTrackableMs: 1000 });
    meter.record(1000);
    expect(meter.report().max).toBe(1000);
  });

  it.each([
    [-1, '-1'],
    [-0.0001, '-0.0001'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [1000.001, '1000.001'],
    [null, 'null'],
    ['5', '"5"'],
  ])('rejects %s with WS_KIT_ERR_METER_VALUE and records nothing', (value, shown) => {
    const meter = new LatencyMeter({ highestTrackableMs: 1000 });
    const error = thrown(() => meter.record(value as number));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_METER_VALUE',
      message: `LatencyMeter.record: latencyMs must be a number of milliseconds in [0, 1000], got ${shown}`,
    });
    expect(meter.count).toBe(0);
  });

  it('rejects a percentile outside [0, 100]', () => {
    const error = thrown(() => new LatencyMeter().percentile(101));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'LatencyMeter.percentile p must be a finite number >= 0 <= 100, got 101',
    });
  });

  it('exposes its defaults as a frozen object and reports the resolved options', () => {
    expect(Object.isFrozen(DEFAULT_LATENCY_METER_OPTIONS)).toBe(true);
    expect(new LatencyMeter().options).toEqual(DEFAULT_LATENCY_METER_OPTIONS);
    expect(new LatencyMeter({ significantDigits: 2 }).options).toEqual({
      ...DEFAULT_LATENCY_METER_OPTIONS,
      significantDigits: 2,
    });
  });

  it.each([
    [
      { sigificantDigits: 3 },
      "LatencyMeter: unknown option 'sigificantDigits' (known: highestTrackableMs, significantDigits, expectedIntervalMs)",
    ],
    [{ significantDigits: 6 }, 'LatencyMeter.significantDigits must be an integer >= 1 <= 5, got 6'],
    [{ significantDigits: 2.5 }, 'LatencyMeter.significantDigits must be an integer >= 1 <= 5, got 2.5'],
    [
      { highestTrackableMs: 0 },
      'LatencyMeter.highestTrackableMs must be a finite number >= 0.002 <= 9007199254740, got 0',
    ],
    [
      { expectedIntervalMs: -1 },
      'LatencyMeter.expectedIntervalMs must be a finite number >= 0 <= 3600000, got -1',
    ],
    [
      { expectedIntervalMs: 0.0001 },
      'LatencyMeter.expectedIntervalMs must be 0 (off) or >= 0.001 (1 µs), got 0.0001',
    ],
  ])('rejects the options %o', (options, message) => {
    const error = thrown(() => new LatencyMeter(options as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_INVALID_OPTION', message });
  });

  it('adds the missed samples when a latency exceeds twice the expected interval', () => {
    const meter = new LatencyMeter({ expectedIntervalMs: 0.1 });
    meter.record(0.55);
    expect(meter.report()).toMatchObject({ count: 5, synthetic: 4, min: 0.15, max: 0.55 });
    expect([20, 40, 60, 80, 100].map((p) => meter.percentile(p))).toEqual([0.15, 0.25, 0.35, 0.45, 0.55]);
  });

  it('adds no samples for a latency below twice the expected interval', () => {
    const meter = new LatencyMeter({ expectedIntervalMs: 10 });
    meter.record(19.999);
    expect(meter.report()).toMatchObject({ count: 1, synthetic: 0, min: 19.999 });
  });

  it('keeps its memory footprint fixed whatever the number of samples', () => {
    const meter = new LatencyMeter();
    const before = meter.footprintBytes;
    for (let i = 0; i < 100_000; i++) meter.record((i % 5000) * 0.7);
    expect(meter.footprintBytes).toBe(before);
    expect(before).toBe(189_440);
  });

  it('forgets everything on reset()', () => {
    const meter = meterWithFirstThousandMicroseconds();
    meter.reset();
    expect(meter.report()).toMatchObject({ count: 0, min: 0, max: 0 });
    meter.record(7);
    expect(meter.report()).toMatchObject({ count: 1, min: 7, max: 7 });
  });
});

describe('LatencyMeter.merge', () => {
  it('gives exactly what one meter fed every value gives', () => {
    const all = new LatencyMeter();
    const a = new LatencyMeter();
    const b = new LatencyMeter();
    for (let i = 0; i < 5000; i++) {
      const ms = ((i * 7919) % 10007) / 13;
      all.record(ms);
      (i % 3 === 0 ? a : b).record(ms);
    }
    expect(a.merge(b).report()).toEqual(all.report());
  });

  it('merges a meter into itself by doubling every count', () => {
    const meter = new LatencyMeter();
    meter.record(1);
    meter.record(3);
    meter.merge(meter);
    expect(meter.report()).toMatchObject({ count: 4, min: 1, max: 3, p50: 1, p99: 3 });
  });

  it('rejects a meter with other settings and stays unchanged', () => {
    const meter = new LatencyMeter();
    meter.record(1);
    const other = new LatencyMeter({ significantDigits: 2, expectedIntervalMs: 5 });
    other.record(2);
    const error = thrown(() => meter.merge(other));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_METER_SNAPSHOT',
      message:
        'LatencyMeter.merge: the meter has other settings (significantDigits 2 vs 3, expectedIntervalMs 5 vs 0)',
    });
    expect(meter.report()).toMatchObject({ count: 1, max: 1 });
  });
});
