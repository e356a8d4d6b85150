/**
 * The data types a `DeliveryValidator` accepts and reports. docs/delivery-validator.md defines every
 * count with examples.
 */
import type { ValidatorId } from './validator.js';

/** What the sender knew about a message, for `DeliveryValidator.sent`. Every field is optional. */
export interface DeliverySentInfo {
  /** The channel it was sent on; a missing channel is the channel `''` in per-channel counts. */
  readonly channel?: string | undefined;
  /** A checksum of its content (e.g. a frame's CRC32C), compared with the receiver's `checksum`. */
  readonly checksum?: number | undefined;
  /** Its content; fingerprinted (CRC32C + length, strings as UTF-8) and compared with the receiver's `content`. */
  readonly content?: string | Uint8Array | undefined;
}

/** What the receiver saw, for `DeliveryValidator.received`. Every field is optional. */
export interface DeliveryReceivedInfo extends DeliverySentInfo {
  /** `true` when the receiver already knows the copy is damaged (e.g. a CRC32C check failed). */
  readonly corrupted?: boolean | undefined;
}

/**
 * Why a delivery counted as corrupted, checked in this order:
 * - `flagged` — the receiver passed `corrupted: true`;
 * - `channel` — both sides named a channel and they differ;
 * - `checksum` — both sides passed a `checksum` and they differ;
 * - `content` — both sides passed `content` and the fingerprints differ.
 */
export type CorruptionReason = 'flagged' | 'channel' | 'checksum' | 'content';

/** One corrupted delivery, as listed in {@link DeliveryReport.firstCorrupted}. */
export interface CorruptedDelivery {
  /** The message id. */
  readonly id: ValidatorId;
  /** Why it counted as corrupted. */
  readonly reason: CorruptionReason;
  /** What was sent (channel, checksum or content fingerprint); `undefined` for `flagged`. */
  readonly expected: string | number | undefined;
  /** What arrived (channel, checksum or content fingerprint); `undefined` for `flagged`. */
  readonly received: string | number | undefined;
}

/** The delivery counts of one channel (the sent channel; for unexpected ids, the received channel). */
export interface DeliveryCounts {
  /** Distinct ids declared sent or expected. */
  readonly sent: number;
  /** Every delivery, including duplicates, corrupted copies and unexpected ids. */
  readonly received: number;
  /** Declared ids received at least once, intact or not. */
  readonly unique: number;
  /** Declared ids with at least one intact delivery. */
  readonly intact: number;
  /** Declared ids never received at all: `sent − unique`. */
  readonly lost: number;
  /** Deliveries of declared ids beyond each id's first delivery. */
  readonly duplicated: number;
  /** Deliveries of declared ids that were corrupted (see {@link CorruptionReason}), duplicates included. */
  readonly corrupted: number;
  /** Deliveries of ids never declared. */
  readonly unexpected: number;
  /** `intact / received`, in [0, 1]: 1 only when every delivery was the first, intact copy of a declared id; 1 when nothing was received. */
  readonly accuracy: number;
  /** `intact / sent`, in [0, 1]; 1 when nothing was declared. */
  readonly completeness: number;
}

/** The counts of one channel in {@link DeliveryReport.channels}. */
export interface DeliveryChannelReport extends DeliveryCounts {
  /** The channel (`''` for messages without one). */
  readonly channel: string;
}

/** What a `DeliveryValidator` found: totals, per-channel counts and the first ids of each problem. */
export interface DeliveryReport extends DeliveryCounts {
  /** Per-channel counts, in order of first appearance. */
  readonly channels: readonly DeliveryChannelReport[];
  /** The first lost ids, in declaration order (at most `maxListed`). */
  readonly firstLost: readonly ValidatorId[];
  /** The first duplicated ids, in order of their second delivery (at most `maxListed`). */
  readonly firstDuplicated: readonly ValidatorId[];
  /** The first corrupted deliveries, in arrival order (at most `maxListed`). */
  readonly firstCorrupted: readonly CorruptedDelivery[];
  /** The first unexpected ids, in arrival order (at most `maxListed`). */
  readonly firstUnexpected: readonly ValidatorId[];
}
