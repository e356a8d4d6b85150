import { encodeIntoCompressedBase64, Float64Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { MeterError } from '../errors.js';
import { LatencyMeter } from './latency-meter.js';
import type { LatencySnapshot } from './latency-snapshot.js';

function sampleMeter(): LatencyMeter {
  const meter = new LatencyMeter({ expectedIntervalMs: 20 });
  for (let i = 0; i < 2000; i++) meter.record(((i * 31) % 997) / 7);
  return meter;
}

function expectSnapshotError(fn: () => unknown, message: string): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(MeterError);
  expect(error).toMatchObject({
    code: 'WS_KIT_ERR_METER_SNAPSHOT',
    message: `LatencyMeter snapshot: ${message}`,
  });
}

describe('LatencyMeter snapshots', () => {
  it('round-trips through JSON text with an identical report', () => {
    const meter = sampleMeter();
    const copy = LatencyMeter.fromSnapshot(JSON.stringify(meter.toSnapshot()));
    expect(copy.report()).toEqual(meter.report());
    expect(copy.options).toEqual(meter.options);
  });

  it('round-trips an empty meter', () => {
    const meter = new LatencyMeter({ significantDigits: 2 });
    const copy = LatencyMeter.fromSnapshot(meter.toSnapshot());
    expect(copy.report().count).toBe(0);
    expect(copy.options.significantDigits).toBe(2);
  });

  it('carries the settings, exact extremes and synthetic count in a versioned object', () => {
    const meter = new LatencyMeter({ expectedIntervalMs: 1 });
    meter.record(3.5);
    expect(meter.toSnapshot()).toMatchObject({
      format: 'ws-kit/latency-meter',
      version: 1,
      highestTrackableMs: 3_600_000,
      significantDigits: 3,
      expectedIntervalMs: 1,
      count: 3,
      synthetic: 2,
      minUs: 1500,
      maxUs: 3500,
    });
  });

  it('stays compact: 2 000 samples over 0–142 ms, with their corrections, fit in 3 KiB of JSON', () => {
    expect(JSON.stringify(sampleMeter().toSnapshot()).length).toBeLessThan(3072);
  });

  it('merges snapshots from several meters into exactly the single-meter result', () => {
    const all = new LatencyMeter();
    const parts = [new LatencyMeter(), new LatencyMeter(), new LatencyMeter()];
    for (let i = 0; i < 3000; i++) {
      const ms = ((i * 7919) % 65_537) / 9;
      all.record(ms);
      parts[i % 3]!.record(ms);
    }
    const [first, ...rest] = parts.map((p) => JSON.stringify(p.toSnapshot()));
    const merged = LatencyMeter.fromSnapshot(first!);
    for (const snapshot of rest) merged.merge(snapshot);
    expect(merged.report()).toEqual(all.report());
  });

  it('rejects a snapshot taken with other settings and stays unchanged', () => {
    const meter = new LatencyMeter();
    meter.record(1);
    const error = thrown(() => meter.merge(new LatencyMeter({ highestTrackableMs: 60_000 }).toSnapshot()));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_METER_SNAPSHOT',
      message: 'LatencyMeter.merge: the snapshot has other settings (highestTrackableMs 60000 vs 3600000)',
    });
    expect(meter.count).toBe(1);
  });

  it('rejects text that is not JSON', () => {
    expectSnapshotError(() => LatencyMeter.fromSnapshot('{"format":'), 'the text is not JSON');
  });

  it('rejects a value that is not an object', () => {
    expectSnapshotError(() => LatencyMeter.fromSnapshot('[1,2]'), 'expected an object, got array(2)');
  });

  it('rejects another format tag', () => {
    const snapshot = { ...sampleMeter().toSnapshot(), format: 'other' } as unknown as LatencySnapshot;
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot(snapshot),
      `format must be 'ws-kit/latency-meter', got "other"`,
    );
  });

  it('rejects another version', () => {
    const snapshot = { ...sampleMeter().toSnapshot(), version: 2 } as unknown as LatencySnapshot;
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot(snapshot),
      'unsupported version 2 (this release reads 1)',
    );
  });

  it('rejects invalid settings', () => {
    const snapshot = { ...sampleMeter().toSnapshot(), significantDigits: 9 };
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot(snapshot),
      'invalid settings: LatencyMeter snapshot.significantDigits must be an integer >= 1 <= 5, got 9',
    );
  });

  it('rejects a histogram that is not compressed HdrHistogram base64', () => {
    const snapshot = { ...sampleMeter().toSnapshot(), histogram: 'not-a-histogram' };
    expectSnapshotError(() => LatencyMeter.fromSnapshot(snapshot), 'histogram: not base64');
  });

  it('rejects a truncated histogram', () => {
    const good = sampleMeter().toSnapshot();
    const snapshot = { ...good, histogram: good.histogram.slice(0, 40) };
    const error = thrown(() => LatencyMeter.fromSnapshot(snapshot));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({ code: 'WS_KIT_ERR_METER_SNAPSHOT' });
  });

  it('rejects a count that disagrees with the histogram', () => {
    const good = sampleMeter().toSnapshot();
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot({ ...good, count: good.count + 1 }),
      `histogram holds ${good.count} values, count says ${good.count + 1}`,
    );
  });

  it('rejects extremes that disagree with the histogram', () => {
    const good = sampleMeter().toSnapshot();
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot({ ...good, maxUs: good.maxUs - 5000 }),
      `minUs/maxUs (${good.minUs}/${good.maxUs - 5000}) do not match the histogram's extremes`,
    );
  });

  it('rejects a histogram whose layout differs from the stated settings', () => {
    const foreign = new LatencyMeter({ highestTrackableMs: 60_000 });
    foreign.record(1);
    const snapshot = { ...new LatencyMeter().toSnapshot(), count: 1, minUs: 1000, maxUs: 1000 };
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot({ ...snapshot, histogram: foreign.toSnapshot().histogram }),
      'histogram: layout differs from the stated settings',
    );
  });

  it('rejects a deflate-compressed histogram, which only other HdrHistogram libraries write', () => {
    const other = new Float64Histogram(1, 3_600_000_000, 3);
    other.recordValue(1000);
    const snapshot = { ...new LatencyMeter().toSnapshot(), count: 1, minUs: 1000, maxUs: 1000 };
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot({ ...snapshot, histogram: encodeIntoCompressedBase64(other) }),
      'histogram: deflate-compressed blocks are not supported (only level-0 histograms, as ws-kit writes)',
    );
  });

  it('rejects a negative count', () => {
    expectSnapshotError(
      () => LatencyMeter.fromSnapshot({ ...sampleMeter().toSnapshot(), synthetic: -1 }),
      'synthetic must be a non-negative safe integer, got -1',
    );
  });
});
