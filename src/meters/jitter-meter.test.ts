import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { MeterError, OptionsError } from '../errors.js';
import { DEFAULT_JITTER_METER_OPTIONS, JitterMeter } from './jitter-meter.js';

/**
 * RFC 3550 §A.8 for one source, transcribed: per packet, transit = arrival − timestamp,
 * d = |transit − previous transit|, jitter += (1/16) × (d − jitter); the first packet only sets
 * the previous transit.
 */
function rfc3550Jitter(packets: readonly { sent: number; arrived: number }[]): number {
  let jitter = 0;
  let previous: number | undefined;
  for (const { sent, arrived } of packets) {
    const transit = arrived - sent;
    if (previous !== undefined) {
      let d = transit - previous;
      if (d < 0) d = -d;
      jitter += (1 / 16) * (d - jitter);
    }
    previous = transit;
  }
  return jitter;
}

// Sent every 20 ms by a sender whose clock is 1000 ms behind the receiver's.
const PACKETS = [
  { sent: 0, arrived: 1010 },
  { sent: 20, arrived: 1032 },
  { sent: 40, arrived: 1051 },
  { sent: 60, arrived: 1075 },
  { sent: 80, arrived: 1095 },
];

describe('JitterMeter', () => {
  it('computes the RFC 3550 interarrival jitter of a known sequence', () => {
    const meter = new JitterMeter();
    for (const p of PACKETS) meter.observe(p.arrived - p.sent);
    // D = 2, 1, 4, 0 → J = 0.125, 0.1796875, 0.41845703125, 0.392303466796875
    expect(meter.report().jitter).toBe(0.392303466796875);
    expect(meter.jitter).toBe(rfc3550Jitter(PACKETS));
  });

  it('reports the mean absolute difference of consecutive transits', () => {
    const meter = new JitterMeter();
    for (const p of PACKETS) meter.observe(p.arrived - p.sent);
    expect(meter.report().meanAbsDelta).toBe(1.75);
  });

  it('reports p50, p99 and their spread over the transits', () => {
    const meter = new JitterMeter();
    for (let i = 1; i <= 100; i++) meter.observe(i / 100); // 0.01 … 1.00 ms, exact at 3 digits
    expect(meter.report()).toMatchObject({ count: 100, p50: 0.5, p99: 0.99 });
    expect(meter.report().spread).toBeCloseTo(0.49, 12);
  });

  it('gives the same figures when every transit is shifted by a clock offset, even below zero', () => {
    const transits = [0.31, 0.52, 0.44, 0.9, 0.35, 0.61, 1.2, 0.33];
    const synced = new JitterMeter();
    const offset = new JitterMeter();
    for (const t of transits) {
      synced.observe(t);
      offset.observe(t - 1.5);
    }
    const a = synced.report();
    const b = offset.report();
    expect(b.jitter).toBeCloseTo(a.jitter, 12);
    expect(b.meanAbsDelta).toBeCloseTo(a.meanAbsDelta, 12);
    expect(b.spread).toBeCloseTo(a.spread, 12);
    expect(b.p50).toBeCloseTo(a.p50 - 1.5, 12);
  });

  it('ranks negative and positive transits together', () => {
    const meter = new JitterMeter();
    for (const t of [-0.3, 0.2, -0.1, 0.4, 0]) meter.observe(t);
    expect([0, 20, 40, 60, 80, 100].map((p) => meter.percentile(p))).toEqual([-0.3, -0.3, -0.1, 0, 0.2, 0.4]);
  });

  it('reports zero jitter and spread for a single transit', () => {
    const meter = new JitterMeter();
    meter.observe(12.5);
    expect(meter.report()).toEqual({ count: 1, jitter: 0, meanAbsDelta: 0, p50: 12.5, p99: 12.5, spread: 0 });
  });

  it('reports zeros when empty', () => {
    expect(new JitterMeter().report()).toEqual({
      count: 0,
      jitter: 0,
      meanAbsDelta: 0,
      p50: 0,
      p99: 0,
      spread: 0,
    });
    expect(new JitterMeter().percentile(50)).toBe(0);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [1000.5, '1000.5'],
    [-1000.5, '-1000.5'],
    [undefined, 'undefined'],
  ])('rejects the transit %s and stays unchanged', (value, shown) => {
    const meter = new JitterMeter({ highestTrackableMs: 1000 });
    meter.observe(5);
    const error = thrown(() => meter.observe(value as number));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_METER_VALUE',
      message: `JitterMeter.observe: transitMs must be a finite number of milliseconds in [−1000, 1000], got ${shown}`,
    });
    expect(meter.report()).toMatchObject({ count: 1, jitter: 0 });
  });

  it('rejects a percentile outside [0, 100]', () => {
    const error = thrown(() => new JitterMeter().percentile(-1));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'JitterMeter.percentile p must be a finite number >= 0 <= 100, got -1',
    });
  });

  it('rejects an unknown option', () => {
    const error = thrown(() => new JitterMeter({ expectedIntervalMs: 10 } as never));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_OPTION',
      message:
        "JitterMeter: unknown option 'expectedIntervalMs' (known: highestTrackableMs, significantDigits)",
    });
  });

  it('exposes frozen defaults and the resolved options', () => {
    expect(Object.isFrozen(DEFAULT_JITTER_METER_OPTIONS)).toBe(true);
    expect(new JitterMeter({ significantDigits: 2 }).options).toEqual({
      highestTrackableMs: 3_600_000,
      significantDigits: 2,
    });
  });

  it('forgets every observation on reset()', () => {
    const meter = new JitterMeter();
    for (const p of PACKETS) meter.observe(p.arrived - p.sent);
    meter.observe(-4);
    meter.reset();
    meter.observe(3);
    expect(meter.report()).toEqual({ count: 1, jitter: 0, meanAbsDelta: 0, p50: 3, p99: 3, spread: 0 });
  });
});
