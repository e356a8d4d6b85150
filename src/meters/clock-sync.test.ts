import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { MeterError, OptionsError } from '../errors.js';
import { ClockSync, DEFAULT_CLOCK_SYNC_OPTIONS } from './clock-sync.js';

/**
 * One exchange against a remote clock `remote(local) = local × (1 + ppm/1e6) + offsetMs`, with the
 * given one-way delays and 2 ms of server processing.
 */
function exchange(
  t0: number,
  offsetMs: number,
  up: number,
  down: number,
  ppm = 0,
): [number, number, number, number] {
  const remote = (local: number) => local * (1 + ppm / 1e6) + offsetMs;
  const t1 = remote(t0 + up);
  const t2 = remote(t0 + up + 2);
  return [t0, t1, t2, t0 + up + 2 + down];
}

describe('ClockSync', () => {
  it('computes offset = remote − local and the round trip without server time', () => {
    const sync = new ClockSync();
    const sample = sync.addSample(1000, 1045, 1047, 1012);
    expect(sample).toMatchObject({ offset: 40, rtt: 10, localMs: 1006 });
    expect(sync.report()).toEqual({ samples: 1, offset: 40, rtt: 10, driftPpm: undefined, driftPoints: 1 });
  });

  it('estimates from the sample with the smallest round trip in the window', () => {
    const sync = new ClockSync();
    sync.addSample(...exchange(0, 500, 30, 5)); // rtt 35, offset skewed by the asymmetry
    sync.addSample(...exchange(100, 500, 4, 4)); // rtt 8, symmetric
    sync.addSample(...exchange(200, 500, 2, 40)); // rtt 42
    expect(sync.rtt).toBe(8);
    expect(sync.offset).toBe(500);
    expect(sync.best?.t0).toBe(100);
  });

  it('drops the best sample once windowSize newer samples have arrived', () => {
    const sync = new ClockSync({ windowSize: 2 });
    sync.addSample(...exchange(0, 500, 1, 1));
    sync.addSample(...exchange(100, 500, 5, 5));
    expect(sync.rtt).toBe(2);
    sync.addSample(...exchange(200, 500, 6, 6));
    expect(sync.rtt).toBe(10);
  });

  it('prefers the latest sample when round trips tie', () => {
    const sync = new ClockSync();
    sync.addSample(...exchange(0, 500, 3, 3));
    sync.addSample(...exchange(100, 500, 3, 3));
    expect(sync.best?.t0).toBe(100);
  });

  it('measures a remote clock running 50 ppm fast as +50 ppm drift', () => {
    const sync = new ClockSync({ windowSize: 1 });
    for (let i = 0; i < 60; i++) sync.addSample(...exchange(i * 1000, 250, 3, 3, 50));
    expect(sync.driftPpm).toBeCloseTo(50, 6);
    expect(sync.report().driftPoints).toBe(60);
  });

  it('has no drift until the best sample has changed to a newer one', () => {
    const sync = new ClockSync();
    sync.addSample(...exchange(0, 500, 1, 1));
    sync.addSample(...exchange(1000, 600, 5, 5));
    sync.addSample(...exchange(2000, 700, 5, 5));
    expect(sync.driftPpm).toBeUndefined();
    expect(sync.report().driftPoints).toBe(1);
  });

  it('converts between remote and local time and measures one-way latency', () => {
    const sync = new ClockSync();
    sync.addSample(1000, 1045, 1047, 1012);
    expect(sync.toLocalTime(2040)).toBe(2000);
    expect(sync.toRemoteTime(2000)).toBe(2040);
    expect(sync.oneWayLatency(2040, 2007.5)).toBe(7.5);
  });

  it('refuses conversions before the first sample', () => {
    expectError(
      () => new ClockSync().oneWayLatency(1, 2),
      MeterError,
      'WS_KIT_ERR_METER_EMPTY',
      'ClockSync.toLocalTime: no sample yet; call addSample() first',
    );
    expect(new ClockSync().report()).toEqual({
      samples: 0,
      offset: undefined,
      rtt: undefined,
      driftPpm: undefined,
      driftPoints: 0,
    });
  });

  it.each([
    [[10, 5, 6, 9], 't3 < t0'],
    [[0, 5, 4, 9], 't2 < t1'],
    [[0, 100, 110, 9], 'round trip -1 < 0'],
  ])('rejects the impossible sample %o and keeps its estimate', (times, why) => {
    const sync = new ClockSync();
    sync.addSample(1000, 1045, 1047, 1012);
    const [t0, t1, t2, t3] = times as [number, number, number, number];
    expectError(
      () => sync.addSample(t0, t1, t2, t3),
      MeterError,
      'WS_KIT_ERR_METER_VALUE',
      `ClockSync.addSample: impossible sample (${why}): ${t0}, ${t1}, ${t2}, ${t3}`,
    );
    expect(sync.report()).toMatchObject({ samples: 1, offset: 40, rtt: 10 });
  });

  it('rejects a timestamp that is not a finite number', () => {
    expectError(
      () => new ClockSync().addSample(0, Number.NaN, 1, 2),
      MeterError,
      'WS_KIT_ERR_TIMESTAMP_INVALID',
      'ClockSync: t1 must be a finite number, got NaN',
    );
  });

  it.each([
    [{ windowSize: 0 }, 'ClockSync.windowSize must be an integer >= 1 <= 1024, got 0'],
    [{ window: 8 }, "ClockSync: unknown option 'window' (known: windowSize)"],
  ])('rejects the options %o', (options, message) => {
    expectError(() => new ClockSync(options as never), OptionsError, 'WS_KIT_ERR_INVALID_OPTION', message);
  });

  it('defaults to best of 8', () => {
    expect(Object.isFrozen(DEFAULT_CLOCK_SYNC_OPTIONS)).toBe(true);
    const sync = new ClockSync();
    sync.addSample(...exchange(0, 0, 1, 1));
    for (let i = 1; i <= 7; i++) sync.addSample(...exchange(i * 100, 0, 9, 9));
    expect(sync.rtt).toBe(2);
    sync.addSample(...exchange(800, 0, 9, 9));
    expect(sync.rtt).toBe(18);
  });

  it('forgets every sample and the drift series on reset()', () => {
    const sync = new ClockSync({ windowSize: 1 });
    for (let i = 0; i < 5; i++) sync.addSample(...exchange(i * 1000, 250, 3, 3, 50));
    sync.reset();
    sync.addSample(1000, 1045, 1047, 1012);
    expect(sync.report()).toEqual({ samples: 1, offset: 40, rtt: 10, driftPpm: undefined, driftPoints: 1 });
  });
});
