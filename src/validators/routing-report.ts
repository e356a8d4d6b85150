/**
 * The data types a `RoutingValidator` reports. docs/routing-validator.md defines every count with
 * examples.
 */
import type { ValidatorId } from './validator.js';

/** One (message, recipient) pair, as listed in the `first…` lists of a {@link RoutingReport}. */
export interface RoutingPair {
  /** The message id. */
  readonly messageId: ValidatorId;
  /** The recipient id (a connection, a client, a user — whatever the test routes to). */
  readonly recipientId: ValidatorId;
}

/** The routing counts of one recipient, in {@link RoutingReport.recipients}. */
export interface RoutingRecipientReport {
  /** The recipient id. */
  readonly recipientId: ValidatorId;
  /** Messages addressed to it. */
  readonly addressed: number;
  /** Every delivery it got, including leaks, duplicates and unknown messages. */
  readonly delivered: number;
  /** Messages addressed to it that it got at least once. */
  readonly received: number;
  /** Messages addressed to it that it never got: `addressed − received`. */
  readonly missing: number;
  /** Deliveries to it of known messages not addressed to it. */
  readonly leaked: number;
  /** Deliveries to it of messages addressed to it, beyond the first copy of each. */
  readonly duplicated: number;
  /** Deliveries to it of message ids never addressed to anyone. */
  readonly unknown: number;
}

/** What a `RoutingValidator` found. */
export interface RoutingReport {
  /** Distinct message ids addressed. */
  readonly messages: number;
  /** (message, recipient) pairs addressed: the deliveries a perfect router makes. */
  readonly addressed: number;
  /** Every delivery recorded. */
  readonly delivered: number;
  /** Addressed pairs delivered at least once. */
  readonly received: number;
  /** Addressed pairs never delivered: `addressed − received`. */
  readonly missing: number;
  /** Deliveries of a known message to a recipient it was not addressed to (every copy counts). */
  readonly leaked: number;
  /** Deliveries of an addressed pair beyond its first. */
  readonly duplicated: number;
  /** Distinct message ids delivered but never addressed. */
  readonly unknownMessages: number;
  /** Deliveries of those ids. */
  readonly unknownDeliveries: number;
  /** `missing + leaked + duplicated + unknownDeliveries`: 0 for a perfect router. */
  readonly violations: number;
  /** Per-recipient counts, in order of first appearance (addressed or delivered). */
  readonly recipients: readonly RoutingRecipientReport[];
  /** The first leaked pairs, in message order (at most `maxListed`). */
  readonly firstLeaked: readonly RoutingPair[];
  /** The first missing pairs, in message order (at most `maxListed`). */
  readonly firstMissing: readonly RoutingPair[];
  /** The first duplicated pairs, each listed once, in message order (at most `maxListed`). */
  readonly firstDuplicated: readonly RoutingPair[];
  /** The first (unknown message, recipient) pairs delivered, in message order (at most `maxListed`). */
  readonly firstUnknown: readonly RoutingPair[];
}
