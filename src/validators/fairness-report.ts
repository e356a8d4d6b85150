/**
 * The data types a `FairnessValidator` reports. docs/fairness-validator.md defines every field with
 * examples.
 */
import type { ValidatorId } from './validator.js';

/** Per-call options of `FairnessValidator.register`. */
export interface RegisterClientOptions {
  /** The client's weight (its fair share is proportional to it), a finite number > 0; default 1. */
  readonly weight?: number | undefined;
  /** When the client joined (ms); default `clock.now()`. Until its first service, starvation is measured from here. */
  readonly atMs?: number | undefined;
}

/** One client in {@link FairnessReport.clients}. */
export interface FairnessClientReport {
  /** The client id. */
  readonly id: ValidatorId;
  /** Its weight. */
  readonly weight: number;
  /** Units of service it received (the sum of `serve` units). */
  readonly service: number;
  /** `service / weight`: the x_i of Jain's index. */
  readonly normalised: number;
  /** `service / totalService`; 0 when nothing was served. */
  readonly share: number;
  /** Starvation events of this client, the ongoing one included. */
  readonly starvationEvents: number;
  /** Its latest service time (ms); `undefined` if never served. */
  readonly lastServedAt: number | undefined;
}

/**
 * A starvation event: between two consecutive services of a client (or its registration and first
 * service, or its last service and the report), other clients were served over a span longer than
 * `starvationWindowMs` — from the first other service after the client's previous one to the last
 * other service before its next one. Idle time, when nobody is served, never counts.
 */
export interface StarvationEvent {
  /** The starved client. */
  readonly client: ValidatorId;
  /** Its previous service time, or its registration time if it had none (ms). */
  readonly sinceMs: number;
  /** The first service of another client after `sinceMs` (ms). */
  readonly othersFromMs: number;
  /** The last service of another client before the starved client's next service, or before the report (ms). */
  readonly othersUntilMs: number;
  /** The client served at `othersUntilMs`. */
  readonly otherClient: ValidatorId;
  /** `othersUntilMs − othersFromMs`: how long others were served while this client was not; `> starvationWindowMs`. */
  readonly starvedMs: number;
  /** `true` when the client has still not been served again at the time of the report. */
  readonly ongoing: boolean;
}

/** A priority inversion: a client got less normalised service than a lower-weighted client, beyond the tolerance. */
export interface PriorityInversion {
  /** The higher-weighted client. */
  readonly client: ValidatorId;
  /** Its weight. */
  readonly weight: number;
  /** Its normalised service. */
  readonly normalised: number;
  /** The lower-weighted client with the most normalised service. */
  readonly overtakenBy: ValidatorId;
  /** That client's weight. */
  readonly overtakenByWeight: number;
  /** That client's normalised service; `normalised < (1 − tolerance) · overtakenByNormalised`. */
  readonly overtakenByNormalised: number;
}

/** What a `FairnessValidator` found. */
export interface FairnessReport {
  /** Every registered client, in registration order. */
  readonly clients: readonly FairnessClientReport[];
  /** The sum of every client's service. */
  readonly totalService: number;
  /**
   * Jain's fairness index over normalised service: `(Σ x_i)² / (n · Σ x_i²)` with `x_i = service_i / weight_i`
   * and n the number of registered clients (unserved ones count as x_i = 0). In [1/n, 1]; 1 when every
   * client got the same normalised service, and 1 when n = 0 or nothing was served.
   */
  readonly jainIndex: number;
  /** Starvation events over all clients, ongoing ones included. */
  readonly starvationEvents: number;
  /** The first starvation events: finished ones in detection order, then ongoing ones (at most `maxListed`). */
  readonly firstStarvations: readonly StarvationEvent[];
  /** `true` when no client got less normalised service than a lower-weighted client beyond the tolerance. */
  readonly priorityRespected: boolean;
  /** Clients with at least one priority inversion. */
  readonly priorityInversions: number;
  /** The first priority inversions, by ascending weight (at most `maxListed`). */
  readonly firstPriorityInversions: readonly PriorityInversion[];
}
