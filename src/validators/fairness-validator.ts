import { ValidationError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import { type FairnessValidatorOptions, resolveFairnessOptions } from './fairness-options.js';
import type {
  FairnessClientReport,
  FairnessReport,
  PriorityInversion,
  RegisterClientOptions,
  StarvationEvent,
} from './fairness-report.js';
import type { Validator, ValidatorId } from './validator.js';
import { checkId, checkObject, formatId } from './validator-checks.js';

class Client {
  service = 0;
  /** The latest service time, or the registration time before the first service. */
  since: number;
  /** The first service of another client after `since`; NaN while there was none. */
  othersFrom = Number.NaN;
  served = false;
  starvation = 0;
  constructor(
    readonly id: ValidatorId,
    public weight: number,
    at: number,
  ) {
    this.since = at;
  }
}

/**
 * Measures how fairly a server shares its service among clients: Jain's fairness index over
 * weight-normalised service, starvation events, and whether higher weights get at least their share.
 * Pure: time comes from `atMs` arguments or the injected clock; no timers.
 *
 * docs/fairness-validator.md defines every figure precisely.
 *
 * @example
 * ```ts
 * const fairness = new FairnessValidator({ starvationWindowMs: 500 });
 * fairness.register('free', { weight: 1 });
 * fairness.register('pro', { weight: 2 });
 * server.on('dispatch', (clientId, messages) => fairness.serve(clientId, messages));
 * // ... run the load ...
 * fairness.assert(); // throws if Jain < 0.9, a client starved, or 'pro' got less per weight than 'free'
 * ```
 */
export class FairnessValidator implements Validator<FairnessReport> {
  readonly #options: Readonly<Required<FairnessValidatorOptions>>;
  readonly #clients = new Map<ValidatorId, Client>();
  readonly #starvations: StarvationEvent[] = [];
  /** Registered clients not served yet and not yet passed over by a service of another client. */
  #awaitingOthers: Client[] = [];
  #lastClient: Client | undefined;
  #lastServedAt = Number.NEGATIVE_INFINITY;
  #lastEventAt = Number.NEGATIVE_INFINITY;

  /**
   * @param options - see {@link FairnessValidatorOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its documented range
   */
  constructor(options: FairnessValidatorOptions = {}) {
    this.#options = resolveFairnessOptions(options);
  }

  /**
   * Registers a client (so that it counts in Jain's index even if never served), or changes the
   * weight of a registered one. `serve()` registers unknown clients with weight 1 by itself.
   *
   * @param clientId - the client id
   * @param options - its weight and when it joined
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when the id, weight or time is invalid, or the time is earlier
   *   than an earlier `register`/`serve` time
   */
  register(clientId: ValidatorId, options: RegisterClientOptions = {}): void {
    checkId('FairnessValidator.register clientId', clientId);
    checkObject('FairnessValidator.register options', options, false);
    const weight =
      options.weight === undefined
        ? 1
        : checkNumber(
            'FairnessValidator.register weight',
            options.weight,
            { min: 0, exclusiveMin: true },
            'argument',
          );
    const at = this.#time('FairnessValidator.register atMs', options.atMs);
    const existing = this.#clients.get(clientId);
    if (existing !== undefined) existing.weight = weight;
    else {
      const client = new Client(clientId, weight, at);
      this.#clients.set(clientId, client);
      this.#awaitingOthers.push(client);
    }
    this.#lastEventAt = at;
  }

  /**
   * Records that `clientId` received `units` of service at `atMs`.
   *
   * @param clientId - the client id; an unknown client is registered with weight 1 at `atMs`
   * @param units - how much service (messages, bytes…), a finite number > 0
   * @param atMs - when (ms); default `clock.now()`; never earlier than an earlier `register`/`serve` time
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when an argument is invalid; nothing is recorded then
   */
  serve(clientId: ValidatorId, units = 1, atMs?: number): void {
    checkId('FairnessValidator.serve clientId', clientId);
    checkNumber('FairnessValidator.serve units', units, { min: 0, exclusiveMin: true }, 'argument');
    const at = this.#time('FairnessValidator.serve atMs', atMs);
    let client = this.#clients.get(clientId);
    if (client === undefined) {
      client = new Client(clientId, 1, at);
      this.#clients.set(clientId, client);
    }
    // This service is the first one of another client after the previous client's latest service,
    // and after the registration of every client still awaiting one.
    const last = this.#lastClient;
    if (last !== undefined && last !== client && Number.isNaN(last.othersFrom)) last.othersFrom = at;
    if (this.#awaitingOthers.length > 0) {
      for (const c of this.#awaitingOthers) if (c !== client && Number.isNaN(c.othersFrom)) c.othersFrom = at;
      this.#awaitingOthers = [];
    }
    if (this.#starved(client)) {
      client.starvation++;
      if (this.#starvations.length < this.#options.maxListed)
        this.#starvations.push(this.#event(client, false));
    }
    client.service += units;
    client.since = at;
    client.othersFrom = Number.NaN;
    client.served = true;
    this.#lastClient = client;
    this.#lastServedAt = at;
    this.#lastEventAt = at;
  }

  /**
   * Summarises the service so far; ongoing starvation (a client still waiting while others were
   * served beyond the window) is included without being recorded, so calling it changes nothing.
   *
   * @returns Jain's index, per-client figures, starvation and priority findings (see {@link FairnessReport})
   */
  report(): FairnessReport {
    const clients = [...this.#clients.values()];
    const n = clients.length;
    let total = 0;
    let sum = 0;
    let sumSq = 0;
    for (const c of clients) {
      const x = c.service / c.weight;
      total += c.service;
      sum += x;
      sumSq += x * x;
    }
    const jain = n === 0 || sumSq === 0 ? 1 : Math.min(1, Math.max(1 / n, (sum * sum) / (n * sumSq)));

    const firstStarvations = [...this.#starvations];
    const ongoing = new Set<Client>();
    let starvation = 0;
    for (const c of clients) {
      starvation += c.starvation;
      if (this.#starved(c)) {
        ongoing.add(c);
        starvation++;
        if (firstStarvations.length < this.#options.maxListed) firstStarvations.push(this.#event(c, true));
      }
    }

    const inversions = this.#inversions(clients);
    return {
      clients: clients.map(
        (c): FairnessClientReport => ({
          id: c.id,
          weight: c.weight,
          service: c.service,
          normalised: c.service / c.weight,
          share: total === 0 ? 0 : c.service / total,
          starvationEvents: c.starvation + (ongoing.has(c) ? 1 : 0),
          lastServedAt: c.served ? c.since : undefined,
        }),
      ),
      totalService: total,
      jainIndex: jain,
      starvationEvents: starvation,
      firstStarvations,
      priorityRespected: inversions.count === 0,
      priorityInversions: inversions.count,
      firstPriorityInversions: inversions.first,
    };
  }

  /**
   * Throws when Jain's index is below `minJainIndex`, a client starved, or priority was not respected.
   *
   * @throws `WS_KIT_ERR_FAIRNESS_VIOLATION` (a {@link ValidationError}), whose message names each failed
   *   check and its first event, and whose `report` holds {@link FairnessValidator.report}'s result
   */
  assert(): void {
    const r = this.report();
    const o = this.#options;
    const parts: string[] = [];
    if (r.jainIndex < o.minJainIndex) {
      parts.push(`Jain index ${r.jainIndex.toFixed(3)} < ${o.minJainIndex} over ${r.clients.length} clients`);
    }
    if (r.starvationEvents > 0) {
      const e = r.firstStarvations[0];
      const first =
        e === undefined
          ? ''
          : `; first: client ${formatId(e.client)} unserved since ${e.sinceMs} ms while others were served from ${e.othersFromMs} to ${e.othersUntilMs} ms (${e.starvedMs} ms > ${o.starvationWindowMs} ms${e.ongoing ? ', still unserved' : ''})`;
      parts.push(`${r.starvationEvents} starvation event${r.starvationEvents === 1 ? '' : 's'}${first}`);
    }
    if (!r.priorityRespected) {
      const p = r.firstPriorityInversions[0];
      const first =
        p === undefined
          ? ''
          : `; first: client ${formatId(p.client)} (weight ${p.weight}) got ${p.normalised} per unit of weight, less than ${formatId(p.overtakenBy)} (weight ${p.overtakenByWeight}) with ${p.overtakenByNormalised}`;
      parts.push(
        `priority not respected for ${r.priorityInversions} client${r.priorityInversions === 1 ? '' : 's'}${first}`,
      );
    }
    if (parts.length === 0) return;
    throw new ValidationError('WS_KIT_ERR_FAIRNESS_VIOLATION', `fairness: ${parts.join('; ')}`, r);
  }

  #time(name: string, atMs: number | undefined): number {
    const at = atMs === undefined ? this.#options.clock.now() : atMs;
    const min = Number.isFinite(this.#lastEventAt) ? this.#lastEventAt : undefined;
    return checkNumber(name, at, min === undefined ? {} : { min }, 'argument');
  }

  /**
   * Whether `client`, unserved since `client.since`, has seen other clients served over a span longer
   * than the window: from the first other service after `since` to the latest service (which is by
   * another client, since `othersFrom` is reset whenever `client` is served). NaN compares false.
   */
  #starved(client: Client): boolean {
    return this.#lastServedAt - client.othersFrom > this.#options.starvationWindowMs;
  }

  #event(client: Client, ongoing: boolean): StarvationEvent {
    return Object.freeze({
      client: client.id,
      sinceMs: client.since,
      othersFromMs: client.othersFrom,
      othersUntilMs: this.#lastServedAt,
      otherClient: this.#lastClient!.id,
      starvedMs: this.#lastServedAt - client.othersFrom,
      ongoing,
    });
  }

  /** Sweeps clients by ascending weight, comparing each with the best-served strictly lower weight. */
  #inversions(clients: readonly Client[]): { count: number; first: PriorityInversion[] } {
    const sorted = [...clients].sort((a, b) => a.weight - b.weight);
    const keep = 1 - this.#options.tolerance;
    const first: PriorityInversion[] = [];
    let count = 0;
    let best: Client | undefined; // the best normalised service among strictly lower weights
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      let groupBest: Client | undefined;
      for (; j < sorted.length && sorted[j]!.weight === sorted[i]!.weight; j++) {
        const c = sorted[j]!;
        const x = c.service / c.weight;
        if (best !== undefined && x < keep * (best.service / best.weight)) {
          count++;
          if (first.length < this.#options.maxListed) {
            first.push(
              Object.freeze({
                client: c.id,
                weight: c.weight,
                normalised: x,
                overtakenBy: best.id,
                overtakenByWeight: best.weight,
                overtakenByNormalised: best.service / best.weight,
              }),
            );
          }
        }
        if (groupBest === undefined || x > groupBest.service / groupBest.weight) groupBest = c;
      }
      if (
        groupBest !== undefined &&
        (best === undefined || groupBest.service / groupBest.weight > best.service / best.weight)
      ) {
        best = groupBest;
      }
      i = j;
    }
    return { count, first };
  }
}
