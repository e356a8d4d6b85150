import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { systemClock } from '../clock/clock.js';
import { ManualClock } from '../clock/manual-clock.js';
import { MeterError, OptionsError } from '../errors.js';
import { DEFAULT_THROUGHPUT_METER_OPTIONS, ThroughputMeter } from './throughput-meter.js';

describe('ThroughputMeter', () => {
  it('counts messages and bytes and divides by the time from the first to the last record', () => {
    const meter = new ThroughputMeter();
    meter.record(100, 10_000);
    meter.record(300, 10_500);
    meter.record(200, 12_000);
    expect(meter.report()).toMatchObject({
      startMs: 10_000,
      lastMs: 12_000,
      elapsedMs: 2000,
      messages: 3,
      bytes: 600,
      messagesPerSecond: 1.5,
      bytesPerSecond: 300,
    });
  });

  it('reads the injected clock when no timestamp is given', () => {
    const clock = new ManualClock(5000);
    const meter = new ThroughputMeter({ clock });
    meter.record(10);
    clock.advance(250);
    meter.record(10);
    expect(meter.report()).toMatchObject({
      startMs: 5000,
      lastMs: 5250,
      elapsedMs: 250,
      messagesPerSecond: 8,
    });
  });

  it('buckets records per second from the start, including empty seconds', () => {
    const meter = new ThroughputMeter();
    meter.record(1, 0);
    meter.record(2, 999.9);
    meter.record(4, 1000);
    meter.record(8, 3500);
    expect(meter.report().series).toEqual([
      { second: 0, messages: 2, bytes: 3 },
      { second: 1, messages: 1, bytes: 4 },
      { second: 2, messages: 0, bytes: 0 },
      { second: 3, messages: 1, bytes: 8 },
    ]);
  });

  it('counts a late record in the second of its own timestamp', () => {
    const meter = new ThroughputMeter();
    meter.record(1, 0);
    meter.record(1, 2100);
    meter.record(5, 1200);
    expect(meter.report().series.map((s) => s.bytes)).toEqual([1, 5, 1]);
    expect(meter.report().lastMs).toBe(2100);
  });

  it('measures from start() and up to untilMs when given, so quiet time counts', () => {
    const clock = new ManualClock(1000);
    const meter = new ThroughputMeter({ clock });
    meter.start();
    meter.record(50, 1500);
    meter.record(50, 2000);
    const report = meter.report(5000);
    expect(report).toMatchObject({
      startMs: 1000,
      elapsedMs: 4000,
      messagesPerSecond: 0.5,
      bytesPerSecond: 25,
    });
    expect(report.series.map((s) => s.messages)).toEqual([1, 1]);
  });

  it('keeps only the newest maxSeriesSeconds seconds in the series and folds older ones into the totals', () => {
    const meter = new ThroughputMeter({ maxSeriesSeconds: 3 });
    for (let second = 0; second < 6; second++) meter.record(second + 1, second * 1000);
    const report = meter.report();
    expect(report.series.map((s) => s.second)).toEqual([3, 4, 5]);
    expect(report).toMatchObject({ messages: 6, bytes: 21, foldedMessages: 3, foldedBytes: 6 });
  });

  it('folds a late record that is older than the kept series', () => {
    const meter = new ThroughputMeter({ maxSeriesSeconds: 2 });
    meter.record(1, 0);
    meter.record(1, 5000);
    meter.record(7, 1000);
    expect(meter.report()).toMatchObject({ messages: 3, bytes: 9, foldedMessages: 2, foldedBytes: 8 });
    expect(meter.report().series).toEqual([
      { second: 4, messages: 0, bytes: 0 },
      { second: 5, messages: 1, bytes: 1 },
    ]);
  });

  it('folds everything when time jumps further than the series length', () => {
    const meter = new ThroughputMeter({ maxSeriesSeconds: 4 });
    meter.record(10, 0);
    meter.record(10, 1000);
    meter.record(10, 1_000_000);
    const report = meter.report();
    expect(report.series).toHaveLength(4);
    expect(report.series.at(-1)).toEqual({ second: 1000, messages: 1, bytes: 10 });
    expect(report).toMatchObject({ foldedMessages: 2, foldedBytes: 20 });
  });

  it('reports zeros and undefined times when nothing was recorded', () => {
    expect(new ThroughputMeter().report()).toEqual({
      startMs: undefined,
      lastMs: undefined,
      elapsedMs: 0,
      messages: 0,
      bytes: 0,
      messagesPerSecond: 0,
      bytesPerSecond: 0,
      series: [],
      foldedMessages: 0,
      foldedBytes: 0,
    });
  });

  it('reports a rate of 0 when all records share one instant', () => {
    const meter = new ThroughputMeter();
    meter.record(5, 100);
    meter.record(5, 100);
    expect(meter.report()).toMatchObject({
      elapsedMs: 0,
      messagesPerSecond: 0,
      bytesPerSecond: 0,
      messages: 2,
    });
  });

  it('rejects a record before the window start and stays unchanged', () => {
    const meter = new ThroughputMeter();
    meter.start(1000);
    expectError(
      () => meter.record(1, 999),
      MeterError,
      'WS_KIT_ERR_TIMESTAMP_INVALID',
      "ThroughputMeter.record: atMs 999 is before the window's start 1000",
    );
    expect(meter.report().messages).toBe(0);
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [2 ** 53, '9007199254740992'],
  ])('rejects %s bytes', (bytes, shown) => {
    expectError(
      () => new ThroughputMeter().record(bytes, 0),
      MeterError,
      'WS_KIT_ERR_METER_VALUE',
      `ThroughputMeter.record: bytes must be a non-negative safe integer, got ${shown}`,
    );
  });

  it('rejects a timestamp that is not finite', () => {
    expectError(
      () => new ThroughputMeter().record(1, Number.NaN),
      MeterError,
      'WS_KIT_ERR_TIMESTAMP_INVALID',
      'ThroughputMeter.record: atMs must be a finite number, got NaN',
    );
  });

  it('rejects an untilMs before the latest record', () => {
    const meter = new ThroughputMeter();
    meter.record(1, 2000);
    expectError(
      () => meter.report(1999),
      MeterError,
      'WS_KIT_ERR_TIMESTAMP_INVALID',
      'ThroughputMeter.report: untilMs must be a finite number not before 2000, got 1999',
    );
  });

  it.each([
    [{ maxSeriesSeconds: 0 }, 'ThroughputMeter.maxSeriesSeconds must be an integer >= 1 <= 10000000, got 0'],
    [{ clock: { now: 5 } }, 'ThroughputMeter.clock must be a Clock (an object with now()), got object'],
    [{ interval: 1 }, "ThroughputMeter: unknown option 'interval' (known: clock, maxSeriesSeconds)"],
  ])('rejects the options %o', (options, message) => {
    expectError(
      () => new ThroughputMeter(options as never),
      OptionsError,
      'WS_KIT_ERR_INVALID_OPTION',
      message,
    );
  });

  it('defaults to the system clock and an hour of series', () => {
    expect(Object.isFrozen(DEFAULT_THROUGHPUT_METER_OPTIONS)).toBe(true);
    expect(DEFAULT_THROUGHPUT_METER_OPTIONS).toEqual({ clock: systemClock, maxSeriesSeconds: 3600 });
  });

  it('forgets everything, including the start, on reset()', () => {
    const meter = new ThroughputMeter();
    meter.start(0);
    meter.record(5, 4000);
    meter.reset();
    meter.record(7, 100);
    expect(meter.report()).toMatchObject({
      startMs: 100,
      messages: 1,
      bytes: 7,
      series: [{ second: 0, messages: 1, bytes: 7 }],
    });
  });
});
