/**
 * The data types an `OrderingValidator` accepts and reports. docs/ordering-validator.md defines
 * every count with worked examples.
 */

/**
 * How an `OrderingValidator` groups messages into sequences:
 * - `strict` — one sequence across every message; `channel` is ignored for sequencing (a single stream).
 * - `per-channel` — an independent sequence per channel.
 * - `priority` — `per-channel`, plus a check that no higher-priority message is overtaken by a
 *   lower-priority message sent after it (across all channels).
 */
export type OrderingMode = 'strict' | 'per-channel' | 'priority';

/**
 * A message as an `OrderingValidator` reads it. A decoded ws-kit frame fits as it is; so does any
 * object of the user's own with these fields.
 */
export interface OrderedMessage {
  /** The message's sequence number on its stream: a non-negative safe integer. */
  readonly seq: number;
  /** The channel; a missing channel is the channel `''`. */
  readonly channel?: string | undefined;
  /** The priority, an integer 0..255 (higher is more urgent); missing means 0. Used in `priority` mode. */
  readonly priority?: number | undefined;
  /** The send timestamp (ms); the send order in `priority` mode when `sendOrder` is `'timestamp'`. */
  readonly timestamp?: number | undefined;
  /** A global send counter; the send order in `priority` mode when `sendOrder` is `'sentSeq'`. */
  readonly sentSeq?: number | undefined;
}

/** Per-call options of `OrderingValidator.observe`. */
export interface ObserveOrderingOptions {
  /**
   * The channel of the subscription the message was received on. When it differs from the
   * message's own channel, the message is cross-talk.
   */
  readonly receivedOn?: string | undefined;
}

/**
 * How `OrderingValidator.observe` classified one message; every observed message gets exactly one:
 * - `in-order` — its seq is higher than every seq delivered before on its stream (possibly after a gap);
 * - `duplicate` — its seq was delivered before on its stream, or is below `firstSeq`;
 * - `out-of-order` — its seq is lower than the highest delivered on its stream and was not delivered before;
 * - `beyond-window` — its seq is so far below the highest (more than `reorderWindow`) that the validator
 *   no longer knows whether it was delivered: late or duplicate, it cannot tell;
 * - `cross-talk` — its channel is not the subscription's or not among `expectedChannels`; it is not sequenced.
 *
 * A priority violation is reported separately: it can happen to an `in-order` or `out-of-order` message.
 */
export type OrderingVerdict = 'in-order' | 'duplicate' | 'out-of-order' | 'beyond-window' | 'cross-talk';

/** The kind of an {@link OrderingViolation}: every verdict except `in-order`, plus `gap` and `priority`. */
export type OrderingViolationKind =
  | 'gap'
  | 'duplicate'
  | 'out-of-order'
  | 'beyond-window'
  | 'cross-talk'
  | 'priority';

/** One violation an `OrderingValidator` found, as kept in {@link OrderingReport.firstViolations}. */
export interface OrderingViolation {
  /** What went wrong. */
  readonly kind: OrderingViolationKind;
  /** The 1-based number of the message, in observation order, at which it was found. */
  readonly index: number;
  /** The message's channel (`''` when it had none). */
  readonly channel: string;
  /** The message's seq. */
  readonly seq: number;
  /** A one-line explanation naming what was expected and what arrived. */
  readonly message: string;
}

/** The counts of one stream (a channel, or the whole stream in `strict` mode). */
export interface OrderingStreamReport {
  /** The channel, or `null` for the single stream of `strict` mode. */
  readonly channel: string | null;
  /** Messages sequenced on this stream (cross-talk excluded). */
  readonly observed: number;
  /** The highest seq delivered; `firstSeq − 1` when none was. */
  readonly highestSeq: number;
  /** Seqs in `[firstSeq, highestSeq]` not delivered (yet), see {@link OrderingReport.missingMessages}. */
  readonly missingMessages: number;
  /** Gap events on this stream. */
  readonly sequenceGaps: number;
  /** Duplicate messages on this stream. */
  readonly duplicateMessages: number;
  /** Out-of-order messages on this stream. */
  readonly outOfOrderMessages: number;
  /** Beyond-window messages on this stream. */
  readonly beyondWindow: number;
}

/** What an `OrderingValidator` found. Every count is defined in docs/ordering-validator.md. */
export interface OrderingReport {
  /** The validator's mode. */
  readonly mode: OrderingMode;
  /** Messages observed (every `observe` call that did not throw). */
  readonly observed: number;
  /** Messages classified `in-order` that were not priority violations. */
  readonly inOrderMessages: number;
  /** `inOrderMessages / observed`, in [0, 1]; 1 when nothing was observed. */
  readonly orderingAccuracy: number;
  /** Gap events: in-order messages whose seq was more than the highest seq before it plus 1. */
  readonly sequenceGaps: number;
  /**
   * Seqs in `[firstSeq, highest delivered]` of each stream that were never delivered, summed over
   * streams, at the time of the report. A late arrival that fills a gap reduces it; a seq that only
   * arrives beyond the window stays counted. Losses after a stream's last delivered seq are invisible
   * here (use a `DeliveryValidator`).
   */
  readonly missingMessages: number;
  /** Messages classified `duplicate`. */
  readonly duplicateMessages: number;
  /** Messages classified `out-of-order`. */
  readonly outOfOrderMessages: number;
  /** Messages classified `beyond-window` (never silent: each is also a violation). */
  readonly beyondWindow: number;
  /** Messages classified `cross-talk`. */
  readonly channelCrossTalk: number;
  /** Priority violations (`priority` mode only; 0 otherwise). */
  readonly priorityViolations: number;
  /** The total of every violation count: gaps, duplicates, out-of-order, beyond-window, cross-talk, priority. */
  readonly violations: number;
  /** The first violations in observation order, at most `maxViolations` of them. */
  readonly firstViolations: readonly OrderingViolation[];
  /** One entry per stream, in order of first appearance. */
  readonly streams: readonly OrderingStreamReport[];
}
