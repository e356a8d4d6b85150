import type { Clock } from '../clock/clock.js';
import type { ChaosProxyStats, ProxyConnectionCounts } from './chaos-proxy-types.js';
import type { Direction, FaultKind, FaultRecord } from './fault-log.js';
import type { DirectionCounters } from './proxy-connection.js';

/**
 * The ground truth of a `ChaosProxy` (internal): every fault injected, in order, with counts by kind,
 * and the byte, frame and message counters of each direction.
 */
export class FaultLedger {
  /** Every fault logged so far, in order. */
  readonly faults: FaultRecord[] = [];
  /** Per direction, updated in place by the connections. */
  readonly counters: Record<Direction, DirectionCounters> = {
    toServer: { bytesIn: 0, bytesOut: 0, frames: 0, messages: 0 },
    toClient: { bytesIn: 0, bytesOut: 0, frames: 0, messages: 0 },
  };
  readonly #counts: Partial<Record<FaultKind, number>> = {};
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #emit: (record: FaultRecord) => void;

  /**
   * @param clock - times each record, from now
   * @param emit - called with each record once it is logged
   */
  constructor(clock: Clock, emit: (record: FaultRecord) => void) {
    this.#clock = clock;
    this.#startedAt = clock.now();
    this.#emit = emit;
  }

  /**
   * Numbers, times, counts and emits one fault.
   *
   * @param record - the fault, without its number and time
   */
  log(record: Omit<FaultRecord, 'n' | 'atMs'>): void {
    const full: FaultRecord = {
      n: this.faults.length,
      atMs: this.#clock.now() - this.#startedAt,
      ...record,
    };
    this.faults.push(full);
    this.#counts[record.kind] = (this.#counts[record.kind] ?? 0) + 1;
    this.#emit(full);
  }

  /**
   * @param connections - the proxy's connection counts
   * @returns a snapshot of the counters (copies)
   */
  stats(connections: ProxyConnectionCounts): ChaosProxyStats {
    return {
      connections,
      toServer: { ...this.counters.toServer },
      toClient: { ...this.counters.toClient },
      faults: { ...this.#counts },
    };
  }
}
