/**
 * The per-id records and per-channel tallies of a `DeliveryValidator`, and the corruption check
 * (internal; not exported from the package).
 */
import type { CorruptedDelivery, CorruptionReason, DeliveryCounts } from './delivery-report.js';
import type { ValidatorId } from './validator.js';

/** What is known about one declared id, or about one delivery being checked. */
export class SentRecord {
  deliveries = 0;
  intact = false;
  constructor(
    readonly channel: string | undefined,
    readonly checksum: number | undefined,
    readonly hash: number | undefined,
  ) {}
}

/** Mutable delivery counts of one channel, or of the whole validator. */
export class Tally {
  sent = 0;
  received = 0;
  unique = 0;
  intact = 0;
  duplicated = 0;
  corrupted = 0;
  unexpected = 0;

  counts(): DeliveryCounts {
    return {
      sent: this.sent,
      received: this.received,
      unique: this.unique,
      intact: this.intact,
      lost: this.sent - this.unique,
      duplicated: this.duplicated,
      corrupted: this.corrupted,
      unexpected: this.unexpected,
      accuracy: this.received === 0 ? 1 : this.intact / this.received,
      completeness: this.sent === 0 ? 1 : this.intact / this.sent,
    };
  }
}

/** Why `got` does not match `sent`, or `undefined` when it matches (or nothing comparable was given). */
export function corruption(
  sent: SentRecord,
  got: SentRecord,
  flagged: boolean,
): CorruptionReason | undefined {
  if (flagged) return 'flagged';
  if (sent.channel !== undefined && got.channel !== undefined && sent.channel !== got.channel)
    return 'channel';
  if (sent.checksum !== undefined && got.checksum !== undefined && sent.checksum !== got.checksum)
    return 'checksum';
  if (sent.hash !== undefined && got.hash !== undefined && sent.hash !== got.hash) return 'content';
  return undefined;
}

/** Builds a {@link CorruptedDelivery} entry. */
export function describeCorruption(
  id: ValidatorId,
  reason: CorruptionReason,
  sent: SentRecord,
  got: SentRecord,
): CorruptedDelivery {
  const pick = (r: SentRecord) =>
    reason === 'channel'
      ? r.channel
      : reason === 'checksum'
        ? r.checksum
        : reason === 'content'
          ? r.hash
          : undefined;
  return Object.freeze({ id, reason, expected: pick(sent), received: pick(got) });
}

/** Renders a channel, checksum or fingerprint for a message. */
export function show(value: string | number | undefined): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
