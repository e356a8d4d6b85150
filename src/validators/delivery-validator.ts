import { OptionsError, ValidationError } from '../errors.js';
import { checkNumber } from '../internal/options.js';
import { hashContent } from './content-hash.js';
import { type DeliveryValidatorOptions, resolveDeliveryOptions } from './delivery-options.js';
import { corruption, describeCorruption, SentRecord, show, Tally } from './delivery-records.js';
import type {
  CorruptedDelivery,
  DeliveryReceivedInfo,
  DeliveryReport,
  DeliverySentInfo,
} from './delivery-report.js';
import type { Validator, ValidatorId } from './validator.js';
import { checkId, checkObject, checkOptionalString, formatId, invalidArgument } from './validator-checks.js';

/**
 * How `DeliveryValidator.received` classified one delivery:
 * - `intact` — the first intact copy of a declared id (it still counts as duplicated if an earlier,
 *   corrupted copy arrived before it);
 * - `duplicate` — an intact copy of a declared id that already had an intact copy;
 * - `corrupted` — a damaged copy of a declared id (see `CorruptionReason`);
 * - `unexpected` — a copy of an id never declared.
 */
export type DeliveryVerdict = 'intact' | 'duplicate' | 'corrupted' | 'unexpected';

/**
 * Compares what was sent (or the ids expected) with what was received: lost, duplicated, corrupted
 * and unexpected messages, accuracy and completeness, in total and per channel. Memory grows with
 * the number of declared ids — inherent to the question "was every message delivered?".
 *
 * Declare each id (`sent` or `expected`) before its delivery arrives: a delivery of an id not yet
 * declared counts as unexpected. docs/delivery-validator.md defines every count.
 *
 * @example
 * ```ts
 * const delivery = new DeliveryValidator();
 * delivery.sent('order-1', { channel: 'orders', content: '{"qty":1}' });
 * receiver.on('message', (m) => delivery.received(m.id, { channel: m.channel, content: m.body }));
 * // ... run the scenario ...
 * delivery.assert(); // throws a ValidationError listing the first lost / corrupted ids
 * ```
 */
export class DeliveryValidator implements Validator<DeliveryReport> {
  readonly #options: Readonly<Required<DeliveryValidatorOptions>>;
  readonly #sent = new Map<ValidatorId, SentRecord>();
  readonly #total = new Tally();
  readonly #channels = new Map<string, Tally>();
  readonly #duplicated: ValidatorId[] = [];
  readonly #corrupted: CorruptedDelivery[] = [];
  readonly #unexpected: ValidatorId[] = [];

  /**
   * @param options - see {@link DeliveryValidatorOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its documented range
   */
  constructor(options: DeliveryValidatorOptions = {}) {
    this.#options = resolveDeliveryOptions(options);
  }

  /**
   * Declares one message as sent. Declaring the same id again with the same channel, checksum and
   * content does nothing (a resend is the same message).
   *
   * @param id - the message id (ids `1` and `'1'` are different)
   * @param info - its channel, and a checksum and/or content to compare with what arrives
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when the id or a field has the wrong type, or the id was
   *   already declared with a different channel, checksum or content. Nothing is recorded then.
   */
  sent(id: ValidatorId, info?: DeliverySentInfo): void {
    const record = this.#record('DeliveryValidator.sent', id, info);
    this.#declare(id, record);
  }

  /**
   * Declares several ids as expected, all on one channel, without content to compare.
   *
   * @param ids - the message ids
   * @param info - their channel
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` as {@link DeliveryValidator.sent} does, for any id; nothing
   *   is recorded unless every id is valid
   */
  expected(ids: Iterable<ValidatorId>, info?: Pick<DeliverySentInfo, 'channel'>): void {
    if (
      typeof ids !== 'object' ||
      ids === null ||
      typeof (ids as Iterable<unknown>)[Symbol.iterator] !== 'function'
    ) {
      invalidArgument('DeliveryValidator.expected ids', 'an iterable of ids', ids);
    }
    checkObject('DeliveryValidator.expected info', info, true);
    const channel = checkOptionalString('DeliveryValidator.expected info.channel', info?.channel);
    const list = [...ids];
    const record = new SentRecord(channel, undefined, undefined);
    for (const id of list)
      this.#checkDeclarable(
        'DeliveryValidator.expected',
        checkId('DeliveryValidator.expected id', id),
        record,
      );
    for (const id of list) this.#declare(id, record);
  }

  /**
   * Records one delivery.
   *
   * @param id - the message id
   * @param info - the channel it arrived on, its checksum and/or content, and whether the receiver
   *   already knows it is corrupted
   * @returns how the delivery was classified (see {@link DeliveryVerdict})
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when the id or a field has the wrong type; nothing is recorded then
   */
  received(id: ValidatorId, info?: DeliveryReceivedInfo): DeliveryVerdict {
    const got = this.#record('DeliveryValidator.received', id, info);
    const flagged = info?.corrupted;
    if (flagged !== undefined && typeof flagged !== 'boolean') {
      invalidArgument('DeliveryValidator.received info.corrupted', 'a boolean', flagged);
    }
    const max = this.#options.maxListed;
    const rec = this.#sent.get(id);
    this.#total.received++;
    if (rec === undefined) {
      const tally = this.#tally(got.channel ?? '');
      tally.received++;
      tally.unexpected++;
      this.#total.unexpected++;
      if (this.#unexpected.length < max) this.#unexpected.push(id);
      return 'unexpected';
    }
    const tally = this.#tally(rec.channel ?? '');
    tally.received++;
    rec.deliveries++;
    if (rec.deliveries === 1) {
      tally.unique++;
      this.#total.unique++;
    } else {
      tally.duplicated++;
      this.#total.duplicated++;
      if (rec.deliveries === 2 && this.#duplicated.length < max) this.#duplicated.push(id);
    }
    const reason = corruption(rec, got, flagged === true);
    if (reason !== undefined) {
      tally.corrupted++;
      this.#total.corrupted++;
      if (this.#corrupted.length < max) this.#corrupted.push(describeCorruption(id, reason, rec, got));
      return 'corrupted';
    }
    if (rec.intact) return 'duplicate';
    rec.intact = true;
    tally.intact++;
    this.#total.intact++;
    return 'intact';
  }

  /**
   * Summarises every declaration and delivery so far.
   *
   * @returns totals, per-channel counts and the first problem ids (see {@link DeliveryReport})
   */
  report(): DeliveryReport {
    const firstLost: ValidatorId[] = [];
    if (this.#total.sent > this.#total.unique) {
      for (const [id, rec] of this.#sent) {
        if (firstLost.length >= this.#options.maxListed) break;
        if (rec.deliveries === 0) firstLost.push(id);
      }
    }
    return {
      ...this.#total.counts(),
      channels: [...this.#channels].map(([channel, tally]) => ({ channel, ...tally.counts() })),
      firstLost,
      firstDuplicated: [...this.#duplicated],
      firstCorrupted: [...this.#corrupted],
      firstUnexpected: [...this.#unexpected],
    };
  }

  /**
   * Throws when a message was lost or corrupted, or (unless allowed by the options) duplicated or unexpected.
   *
   * @throws `WS_KIT_ERR_DELIVERY_VIOLATION` (a {@link ValidationError}), whose message names the counts and
   *   the first ids of each problem, and whose `report` holds {@link DeliveryValidator.report}'s result
   */
  assert(): void {
    const r = this.report();
    const o = this.#options;
    const duplicated = o.allowDuplicates ? 0 : r.duplicated;
    const unexpected = o.allowUnexpected ? 0 : r.unexpected;
    if (r.lost + r.corrupted + duplicated + unexpected === 0) return;
    const ids = (list: readonly ValidatorId[], total: number) =>
      list.slice(0, 5).map(formatId).join(', ') + (total > Math.min(5, list.length) ? ', …' : '');
    const parts = [
      `delivery: ${r.sent} sent, ${r.received} received; ${r.lost} lost, ${r.duplicated} duplicated, ${r.corrupted} corrupted, ${r.unexpected} unexpected`,
    ];
    if (r.lost > 0) parts.push(`first lost: ${ids(r.firstLost, r.lost)}`);
    if (r.corrupted > 0 && r.firstCorrupted.length > 0) {
      const c = r.firstCorrupted[0]!;
      const detail =
        c.reason === 'flagged'
          ? 'flagged by the receiver'
          : c.reason === 'content'
            ? 'content differs from what was sent'
            : `${c.reason}: expected ${show(c.expected)}, got ${show(c.received)}`;
      parts.push(`first corrupted: ${formatId(c.id)} (${detail})`);
    }
    if (duplicated > 0) parts.push(`first duplicated: ${ids(r.firstDuplicated, r.duplicated)}`);
    if (unexpected > 0) parts.push(`first unexpected: ${ids(r.firstUnexpected, r.unexpected)}`);
    throw new ValidationError('WS_KIT_ERR_DELIVERY_VIOLATION', parts.join('; '), r);
  }

  #record(name: string, id: unknown, info: DeliverySentInfo | undefined): SentRecord {
    checkId(`${name} id`, id);
    checkObject(`${name} info`, info, true);
    if (info === undefined) return new SentRecord(undefined, undefined, undefined);
    const channel = checkOptionalString(`${name} info.channel`, info.channel);
    const checksum = info.checksum;
    if (checksum !== undefined) checkNumber(`${name} info.checksum`, checksum, {}, 'argument');
    const content = info.content;
    if (content !== undefined && typeof content !== 'string' && !(content instanceof Uint8Array)) {
      invalidArgument(`${name} info.content`, 'a string or a Uint8Array', content);
    }
    return new SentRecord(channel, checksum, content === undefined ? undefined : hashContent(content));
  }

  /** @returns `true` for a new id, `false` for an identical re-declaration; throws for a conflicting one */
  #checkDeclarable(name: string, id: ValidatorId, record: SentRecord): boolean {
    const old = this.#sent.get(id);
    if (old === undefined) return true;
    if (old.channel === record.channel && old.checksum === record.checksum && old.hash === record.hash)
      return false;
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_ARGUMENT',
      `${name}: id ${formatId(id)} was already declared with a different channel, checksum or content`,
      { expected: 'the same channel, checksum and content as the first declaration', received: id },
    );
  }

  #declare(id: ValidatorId, record: SentRecord): void {
    if (!this.#checkDeclarable('DeliveryValidator.sent', id, record)) return;
    this.#sent.set(id, new SentRecord(record.channel, record.checksum, record.hash));
    this.#tally(record.channel ?? '').sent++;
    this.#total.sent++;
  }

  #tally(channel: string): Tally {
    let tally = this.#channels.get(channel);
    if (tally === undefined) {
      tally = new Tally();
      this.#channels.set(channel, tally);
    }
    return tally;
  }
}
