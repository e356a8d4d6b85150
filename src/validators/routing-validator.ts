import { ValidationError } from '../errors.js';
import { type RoutingValidatorOptions, resolveRoutingOptions } from './routing-options.js';
import type { RoutingPair, RoutingRecipientReport, RoutingReport } from './routing-report.js';
import type { Validator, ValidatorId } from './validator.js';
import { checkId, formatId, invalidArgument } from './validator-checks.js';

interface MessageRecord {
  /** Whether `addressed` was called for this id (possibly with no recipient). */
  declared: boolean;
  readonly recipients: Set<ValidatorId>;
  /** Deliveries per recipient. */
  readonly deliveries: Map<ValidatorId, number>;
}

type Counts = { -readonly [K in keyof RoutingRecipientReport]: RoutingRecipientReport[K] };

/**
 * Checks a router for zero leakage: every message reaches exactly the recipients it was addressed
 * to — no leaks (a delivery to a recipient not addressed), no missing deliveries, no duplicates, no
 * deliveries of messages never addressed. Reports totals, per-recipient counts and the first pairs
 * of each problem. Pure and browser-safe; memory grows with the number of (message, recipient) pairs.
 *
 * Calls may come in any order: a delivery recorded before its `addressed` call is classified at
 * `report()` time against the final addressee set. docs/routing-validator.md defines every count.
 *
 * @example
 * ```ts
 * const routing = new RoutingValidator();
 * routing.addressed('m1', ['alice', 'bob']); // what broadcast({ roles: ['admin'] }) should reach
 * for (const client of clients) client.on('message', (m) => routing.delivered(m.id, client.name));
 * // ... run the scenario ...
 * routing.assert(); // throws a ValidationError naming the first leaked / missing pairs
 * ```
 */
export class RoutingValidator implements Validator<RoutingReport> {
  readonly #options: Readonly<Required<RoutingValidatorOptions>>;
  readonly #messages = new Map<ValidatorId, MessageRecord>();
  readonly #recipients = new Set<ValidatorId>();
  #delivered = 0;

  /**
   * @param options - see {@link RoutingValidatorOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its documented range
   */
  constructor(options: RoutingValidatorOptions = {}) {
    this.#options = resolveRoutingOptions(options);
  }

  /**
   * Declares who a message was addressed to. Calling it again for the same id adds recipients (the
   * addressee set is the union); an empty list declares a message addressed to nobody, so that any
   * delivery of it is a leak.
   *
   * @param messageId - the message id (ids `1` and `'1'` are different)
   * @param recipientIds - the recipients (connection ids, client names…), any iterable except a string
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when an id is not a string or a finite number, or
   *   `recipientIds` is not an iterable; nothing is recorded then
   */
  addressed(messageId: ValidatorId, recipientIds: Iterable<ValidatorId>): void {
    checkId('RoutingValidator.addressed messageId', messageId);
    if (
      typeof recipientIds !== 'object' ||
      recipientIds === null ||
      typeof (recipientIds as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      invalidArgument('RoutingValidator.addressed recipientIds', 'an iterable of ids', recipientIds);
    }
    const list = [...recipientIds];
    for (const id of list) checkId('RoutingValidator.addressed recipient id', id);
    const record = this.#record(messageId);
    record.declared = true;
    for (const id of list) {
      record.recipients.add(id);
      this.#recipients.add(id);
    }
  }

  /**
   * Records that one recipient got one copy of a message.
   *
   * @param messageId - the message id
   * @param recipientId - who got it
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when an id is not a string or a finite number; nothing is recorded then
   */
  delivered(messageId: ValidatorId, recipientId: ValidatorId): void {
    checkId('RoutingValidator.delivered messageId', messageId);
    checkId('RoutingValidator.delivered recipientId', recipientId);
    const record = this.#record(messageId);
    record.deliveries.set(recipientId, (record.deliveries.get(recipientId) ?? 0) + 1);
    this.#recipients.add(recipientId);
    this.#delivered++;
  }

  /**
   * Classifies every delivery against the addressee sets declared so far.
   *
   * @returns totals, per-recipient counts and the first pairs of each problem (see {@link RoutingReport})
   */
  report(): RoutingReport {
    const max = this.#options.maxListed;
    const per = new Map<ValidatorId, Counts>();
    for (const recipientId of this.#recipients) {
      per.set(recipientId, {
        recipientId,
        addressed: 0,
        delivered: 0,
        received: 0,
        missing: 0,
        leaked: 0,
        duplicated: 0,
        unknown: 0,
      });
    }
    const firstLeaked: RoutingPair[] = [];
    const firstMissing: RoutingPair[] = [];
    const firstDuplicated: RoutingPair[] = [];
    const firstUnknown: RoutingPair[] = [];
    const push = (list: RoutingPair[], messageId: ValidatorId, recipientId: ValidatorId) => {
      if (list.length < max) list.push(Object.freeze({ messageId, recipientId }));
    };
    let messages = 0;
    let addressed = 0;
    let unknownMessages = 0;
    for (const [messageId, record] of this.#messages) {
      if (record.declared) {
        messages++;
        addressed += record.recipients.size;
        for (const recipientId of record.recipients) {
          const c = per.get(recipientId)!;
          c.addressed++;
          if ((record.deliveries.get(recipientId) ?? 0) > 0) c.received++;
          else {
            c.missing++;
            push(firstMissing, messageId, recipientId);
          }
        }
      } else if (record.deliveries.size > 0) {
        unknownMessages++;
      }
      for (const [recipientId, copies] of record.deliveries) {
        const c = per.get(recipientId)!;
        c.delivered += copies;
        if (!record.declared) {
          c.unknown += copies;
          push(firstUnknown, messageId, recipientId);
        } else if (!record.recipients.has(recipientId)) {
          c.leaked += copies;
          push(firstLeaked, messageId, recipientId);
        } else if (copies > 1) {
          c.duplicated += copies - 1;
          push(firstDuplicated, messageId, recipientId);
        }
      }
    }
    const recipients = [...per.values()].map((c) => Object.freeze({ ...c }));
    const sum = (key: keyof Omit<Counts, 'recipientId'>) => recipients.reduce((n, c) => n + c[key], 0);
    const missing = sum('missing');
    const leaked = sum('leaked');
    const duplicated = sum('duplicated');
    const unknownDeliveries = sum('unknown');
    return {
      messages,
      addressed,
      delivered: this.#delivered,
      received: sum('received'),
      missing,
      leaked,
      duplicated,
      unknownMessages,
      unknownDeliveries,
      violations: missing + leaked + duplicated + unknownDeliveries,
      recipients,
      firstLeaked,
      firstMissing,
      firstDuplicated,
      firstUnknown,
    };
  }

  /**
   * Throws when a message leaked or went missing, or (unless allowed by the options) was duplicated
   * or never addressed.
   *
   * @throws `WS_KIT_ERR_ROUTING_VIOLATION` (a {@link ValidationError}), whose message names the counts
   *   and the first pairs of each problem, and whose `report` holds {@link RoutingValidator.report}'s result
   */
  assert(): void {
    const r = this.report();
    const o = this.#options;
    const duplicated = o.allowDuplicates ? 0 : r.duplicated;
    const unknown = o.allowUnknown ? 0 : r.unknownDeliveries;
    if (r.leaked + r.missing + duplicated + unknown === 0) return;
    const pairs = (list: readonly RoutingPair[], total: number) =>
      list
        .slice(0, 5)
        .map((p) => `${formatId(p.messageId)} → ${formatId(p.recipientId)}`)
        .join(', ') + (total > Math.min(5, list.length) ? ', …' : '');
    const parts = [
      `routing: ${r.messages} messages addressed to ${r.addressed} recipient pairs, ${r.delivered} delivered; ` +
        `${r.leaked} leaked, ${r.missing} missing, ${r.duplicated} duplicated, ${r.unknownDeliveries} unknown`,
    ];
    if (r.leaked > 0) parts.push(`first leaked: ${pairs(r.firstLeaked, r.leaked)}`);
    if (r.missing > 0) parts.push(`first missing: ${pairs(r.firstMissing, r.missing)}`);
    if (duplicated > 0) parts.push(`first duplicated: ${pairs(r.firstDuplicated, r.duplicated)}`);
    if (unknown > 0) parts.push(`first unknown: ${pairs(r.firstUnknown, r.unknownDeliveries)}`);
    throw new ValidationError('WS_KIT_ERR_ROUTING_VIOLATION', parts.join('; '), r);
  }

  #record(messageId: ValidatorId): MessageRecord {
    let record = this.#messages.get(messageId);
    if (record === undefined) {
      record = { declared: false, recipients: new Set(), deliveries: new Map() };
      this.#messages.set(messageId, record);
    }
    return record;
  }
}
