import { MeterError } from '../errors.js';
import { checkKnownKeys, checkNumber, formatValue } from '../internal/options.js';

/** Options of {@link ClockSync}; every field is optional. */
export interface ClockSyncOptions {
  /**
   * Best-of-N filtering: the estimate comes from the sample with the smallest round trip among the
   * last `windowSize` samples (an integer 1–1024). Queueing delay only ever adds to a round trip, so
   * the fastest exchange is the least distorted one.
   * @default 8
   */
  readonly windowSize?: number;
}

/** The defaults of every {@link ClockSyncOptions} field. */
export const DEFAULT_CLOCK_SYNC_OPTIONS: Readonly<Required<ClockSyncOptions>> = Object.freeze({
  windowSize: 8,
});

/** One accepted exchange and what it implies. All times in milliseconds. */
export interface ClockSample {
  /** Client (local) send time. */
  readonly t0: number;
  /** Server (remote) receive time. */
  readonly t1: number;
  /** Server (remote) send time. */
  readonly t2: number;
  /** Client (local) receive time. */
  readonly t3: number;
  /** `((t1 − t0) + (t2 − t3)) / 2`: remote clock minus local clock. */
  readonly offset: number;
  /** `(t3 − t0) − (t2 − t1)`: the network round trip, without the server's processing time. */
  readonly rtt: number;
  /** `(t0 + t3) / 2`: the local time the sample describes (used for drift). */
  readonly localMs: number;
}

/** The state of a {@link ClockSync}. */
export interface ClockSyncReport {
  /** Samples accepted since construction or `reset()`. */
  readonly samples: number;
  /** The best sample's offset (remote − local), or `undefined` before the first sample. */
  readonly offset: number | undefined;
  /** The best sample's round trip, or `undefined` before the first sample. */
  readonly rtt: number | undefined;
  /**
   * How fast the remote clock gains on the local one, in parts per million (positive: the remote
   * runs fast); `undefined` until two drift points exist. See {@link ClockSync.driftPpm}.
   */
  readonly driftPpm: number | undefined;
  /** Drift points collected so far (successive best samples, see {@link ClockSync.driftPpm}). */
  readonly driftPoints: number;
}

function checkTime(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MeterError(
      'WS_KIT_ERR_TIMESTAMP_INVALID',
      `ClockSync: ${name} must be a finite number, got ${formatValue(value)}`,
      {
        expected: 'a finite number of milliseconds',
        received: value,
      },
    );
  }
  return value;
}

/**
 * NTP-style clock offset and round-trip estimation from ping/pong exchanges (the four timestamps
 * t0..t3 of RFC 5905 §8), with best-of-N filtering, drift in ppm, and helpers that turn a remote
 * send timestamp into local time and a one-way latency.
 *
 * Sign convention: `offset = remote − local`, so `local = remote − offset`. The estimate assumes a
 * symmetric path; its error is at most `rtt / 2`.
 *
 * @see RFC 5905 §8 (on-wire protocol) and §10 (clock filter)
 * @example
 * ```ts
 * const sync = new ClockSync();
 * // t0 = client send, t1 = server receive, t2 = server send, t3 = client receive
 * sync.addSample(t0, t1, t2, t3);
 * const latency = sync.oneWayLatency(frame.timestamp, clock.now());
 * ```
 */
export class ClockSync {
  readonly #windowSize: number;
  #window: ClockSample[] = [];
  #best: ClockSample | undefined;
  #samples = 0;
  // Least-squares fit of best offsets over local time (Welford's online form, x relative to x0).
  #x0 = 0;
  #n = 0;
  #meanX = 0;
  #meanY = 0;
  #cxy = 0;
  #m2x = 0;
  #lastDriftX = Number.NEGATIVE_INFINITY;

  /**
   * @param options - see {@link ClockSyncOptions}
   * @throws {@link OptionsError} `WS_KIT_ERR_INVALID_OPTION` for an unknown key or a value out of range
   */
  constructor(options: ClockSyncOptions = {}) {
    checkKnownKeys('ClockSync', options, DEFAULT_CLOCK_SYNC_OPTIONS);
    const { windowSize } = { ...DEFAULT_CLOCK_SYNC_OPTIONS, ...options };
    this.#windowSize = checkNumber('ClockSync.windowSize', windowSize, { min: 1, max: 1024, integer: true });
  }

  /**
   * Adds one exchange: the client sent at `t0` (local clock), the server received at `t1` and
   * replied at `t2` (remote clock), the client received at `t3` (local clock).
   *
   * @param t0 - client send time (local ms)
   * @param t1 - server receive time (remote ms)
   * @param t2 - server send time (remote ms)
   * @param t3 - client receive time (local ms)
   * @returns the sample with its offset and round trip
   * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when a timestamp is not a finite number;
   *   `WS_KIT_ERR_METER_VALUE` when `t3 < t0`, `t2 < t1`, or the round trip is negative (the remote
   *   claims more processing time than the whole exchange took); the estimate is left unchanged
   */
  addSample(t0: number, t1: number, t2: number, t3: number): ClockSample {
    checkTime('t0', t0);
    checkTime('t1', t1);
    checkTime('t2', t2);
    checkTime('t3', t3);
    const rtt = t3 - t0 - (t2 - t1);
    if (t3 < t0 || t2 < t1 || rtt < 0) {
      const why = t3 < t0 ? 't3 < t0' : t2 < t1 ? 't2 < t1' : `round trip ${rtt} < 0`;
      throw new MeterError(
        'WS_KIT_ERR_METER_VALUE',
        `ClockSync.addSample: impossible sample (${why}): ${t0}, ${t1}, ${t2}, ${t3}`,
        {
          expected: 't0 <= t3, t1 <= t2, (t3 - t0) >= (t2 - t1)',
          received: [t0, t1, t2, t3],
        },
      );
    }
    const sample: ClockSample = Object.freeze({
      t0,
      t1,
      t2,
      t3,
      offset: (t1 - t0 + (t2 - t3)) / 2,
      rtt,
      localMs: (t0 + t3) / 2,
    });
    this.#window.push(sample);
    if (this.#window.length > this.#windowSize) this.#window.shift();
    let best = sample;
    for (const s of this.#window) if (s.rtt < best.rtt) best = s;
    this.#best = best;
    this.#samples++;
    this.#addDriftPoint(best);
    return sample;
  }

  /** Feeds a new best sample into the drift fit, unless it is not newer than the last point (NTP's rule). */
  #addDriftPoint(best: ClockSample): void {
    if (this.#n === 0) this.#x0 = best.localMs;
    const x = best.localMs - this.#x0;
    if (!(x > this.#lastDriftX)) return;
    this.#lastDriftX = x;
    this.#n++;
    const dx = x - this.#meanX;
    this.#meanX += dx / this.#n;
    this.#meanY += (best.offset - this.#meanY) / this.#n;
    this.#cxy += dx * (best.offset - this.#meanY);
    this.#m2x += dx * (x - this.#meanX);
  }

  /** Samples accepted so far. */
  get sampleCount(): number {
    return this.#samples;
  }

  /** The sample the estimate comes from (smallest round trip in the window; the latest on ties). */
  get best(): ClockSample | undefined {
    return this.#best;
  }

  /** Remote clock minus local clock, in ms, from the best sample; `undefined` before the first sample. */
  get offset(): number | undefined {
    return this.#best?.offset;
  }

  /** The best sample's round trip in ms; `undefined` before the first sample. */
  get rtt(): number | undefined {
    return this.#best?.rtt;
  }

  /**
   * The remote clock's drift relative to the local one, in parts per million: the least-squares
   * slope of the best offset over local time, × 10^6. A point is added each time the best sample
   * changes to a sample newer than the previous point (at its local time `(t0 + t3) / 2`), across
   * the whole series since construction or `reset()`. `undefined` until there are two points.
   */
  get driftPpm(): number | undefined {
    return this.#n >= 2 && this.#m2x > 0 ? (this.#cxy / this.#m2x) * 1e6 : undefined;
  }

  /**
   * Converts a remote timestamp to the local clock: `remoteMs − offset`.
   *
   * @param remoteMs - a time read on the remote clock
   * @returns the same instant on the local clock (± rtt / 2)
   * @throws {@link MeterError} `WS_KIT_ERR_METER_EMPTY` before the first sample;
   *   `WS_KIT_ERR_TIMESTAMP_INVALID` when `remoteMs` is not finite
   */
  toLocalTime(remoteMs: number): number {
    checkTime('remoteMs', remoteMs);
    return remoteMs - this.#requireBest('toLocalTime').offset;
  }

  /**
   * Converts a local timestamp to the remote clock: `localMs + offset`.
   *
   * @param localMs - a time read on the local clock
   * @returns the same instant on the remote clock (± rtt / 2)
   * @throws {@link MeterError} `WS_KIT_ERR_METER_EMPTY` before the first sample;
   *   `WS_KIT_ERR_TIMESTAMP_INVALID` when `localMs` is not finite
   */
  toRemoteTime(localMs: number): number {
    checkTime('localMs', localMs);
    return localMs + this.#requireBest('toRemoteTime').offset;
  }

  /**
   * The one-way latency of a message the remote side stamped at `remoteSendMs` (its clock) and this
   * side received at `localReceiveMs` (local clock): `localReceiveMs − toLocalTime(remoteSendMs)`.
   * Its uncertainty is the offset's, ± rtt / 2; a small negative result means "faster than that".
   *
   * @param remoteSendMs - the send timestamp on the remote clock
   * @param localReceiveMs - the receive time on the local clock
   * @returns the latency in ms
   * @throws {@link MeterError} `WS_KIT_ERR_METER_EMPTY` before the first sample;
   *   `WS_KIT_ERR_TIMESTAMP_INVALID` when a timestamp is not finite
   */
  oneWayLatency(remoteSendMs: number, localReceiveMs: number): number {
    checkTime('localReceiveMs', localReceiveMs);
    return localReceiveMs - this.toLocalTime(remoteSendMs);
  }

  #requireBest(where: string): ClockSample {
    if (this.#best === undefined) {
      throw new MeterError(
        'WS_KIT_ERR_METER_EMPTY',
        `ClockSync.${where}: no sample yet; call addSample() first`,
      );
    }
    return this.#best;
  }

  /** @returns the current estimate; see {@link ClockSyncReport} */
  report(): ClockSyncReport {
    return {
      samples: this.#samples,
      offset: this.offset,
      rtt: this.rtt,
      driftPpm: this.driftPpm,
      driftPoints: this.#n,
    };
  }

  /** Forgets every sample and the drift series; the options stay. */
  reset(): void {
    this.#window = [];
    this.#best = undefined;
    this.#samples = 0;
    this.#x0 = 0;
    this.#n = 0;
    this.#meanX = 0;
    this.#meanY = 0;
    this.#cxy = 0;
    this.#m2x = 0;
    this.#lastDriftX = Number.NEGATIVE_INFINITY;
  }
}
