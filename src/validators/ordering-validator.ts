import { ValidationError } from '../errors.js';
import {
  crossTalkMessage,
  gapMessage,
  messageLabel,
  orderingSummary,
  priorityMessage,
  verdictMessage,
} from './ordering-messages.js';
import {
  type OrderingValidatorOptions,
  type ResolvedOrderingOptions,
  resolveOrderingOptions,
} from './ordering-options.js';
import type {
  ObserveOrderingOptions,
  OrderedMessage,
  OrderingReport,
  OrderingVerdict,
  OrderingViolation,
  OrderingViolationKind,
} from './ordering-report.js';
import { PriorityTracker } from './priority-tracker.js';
import { SeqStream } from './seq-stream.js';
import type { Validator } from './validator.js';
import { invalidArgument } from './validator-checks.js';

/**
 * Checks that messages arrive in sequence: finds gaps, duplicates, reordering, cross-talk between
 * channels and priority inversions, with memory bounded by the number of channels and the reorder
 * window — never by the stream's length. Pure: no sockets, no timers; runs under any test runner.
 *
 * docs/ordering-validator.md defines every count with worked examples.
 *
 * @example
 * ```ts
 * const order = new OrderingValidator({ mode: 'per-channel' });
 * client.on('message', (frame) => order.observe(frame));
 * // ... run the scenario ...
 * order.assert(); // throws a ValidationError naming the first violations
 * console.log(order.report().orderingAccuracy);
 * ```
 */
export class OrderingValidator implements Validator<OrderingReport> {
  readonly #o: ResolvedOrderingOptions;
  readonly #strict: boolean;
  readonly #streams = new Map<string, SeqStream>();
  readonly #single: SeqStream | undefined;
  readonly #priority: PriorityTracker | undefined;
  readonly #violations: OrderingViolation[] = [];
  #lastChannel: string | undefined;
  #lastStream: SeqStream | undefined;
  #observed = 0;
  #crossTalk = 0;
  #priorityViolations = 0;

  /**
   * @param options - see {@link OrderingValidatorOptions}
   * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its documented range
   */
  constructor(options: OrderingValidatorOptions = {}) {
    this.#o = resolveOrderingOptions(options);
    this.#strict = this.#o.mode === 'strict';
    if (this.#strict) this.#single = new SeqStream(null, this.#o.firstSeq, this.#o.reorderWindow);
    if (this.#o.mode === 'priority') this.#priority = new PriorityTracker();
  }

  /**
   * Classifies one received message and updates the counts. Constant time and no allocation, except
   * for the first `maxViolations` violations (which are recorded with a message) and the first
   * message of each new channel.
   *
   * @param message - the received message (a decoded frame, or any object with `seq` and optional
   *   `channel`, `priority`, `timestamp`/`sentSeq`)
   * @param options - `receivedOn`: the channel of the subscription it arrived on, for cross-talk
   * @returns how the message was classified by sequence (see {@link OrderingVerdict})
   * @throws `WS_KIT_ERR_INVALID_ARGUMENT` when `seq` is not a non-negative safe integer, `channel` or
   *   `receivedOn` is not a string, `priority` is not an integer 0..255, or (in `priority` mode) the
   *   send-order field is not a finite number. Nothing is recorded then.
   */
  observe(message: OrderedMessage, options?: ObserveOrderingOptions): OrderingVerdict {
    if (typeof message !== 'object' || message === null) {
      invalidArgument('OrderingValidator.observe message', 'an object', message);
    }
    const seq = message.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      invalidArgument('OrderingValidator.observe message.seq', 'a non-negative safe integer', seq);
    }
    let channel = message.channel;
    if (channel === undefined) channel = '';
    else if (typeof channel !== 'string')
      invalidArgument('OrderingValidator.observe message.channel', 'a string', channel);
    let priority = message.priority;
    if (priority === undefined) priority = 0;
    else if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 255) {
      invalidArgument('OrderingValidator.observe message.priority', 'an integer 0..255', priority);
    }
    let key = 0;
    if (this.#priority !== undefined) {
      const k = this.#o.byTimestamp ? message.timestamp : message.sentSeq;
      if (typeof k !== 'number' || !Number.isFinite(k)) {
        invalidArgument(
          `OrderingValidator.observe message.${this.#o.byTimestamp ? 'timestamp' : 'sentSeq'}`,
          'a finite number in priority mode',
          k,
        );
      }
      key = k;
    }
    const receivedOn = options === undefined ? undefined : options.receivedOn;
    if (receivedOn !== undefined && typeof receivedOn !== 'string') {
      invalidArgument('OrderingValidator.observe receivedOn', 'a string', receivedOn);
    }

    const index = ++this.#observed;
    const expected = this.#o.expectedChannels;
    if (
      (receivedOn !== undefined && receivedOn !== channel) ||
      (expected !== undefined && !expected.has(channel))
    ) {
      this.#crossTalk++;
      if (this.#violations.length < this.#o.maxViolations) {
        this.#record('cross-talk', index, channel, seq, crossTalkMessage(channel, receivedOn, index));
      }
      return 'cross-talk';
    }

    let stream = this.#single;
    if (stream === undefined) {
      if (channel === this.#lastChannel) stream = this.#lastStream!;
      else {
        stream = this.#streams.get(channel);
        if (stream === undefined) {
          stream = new SeqStream(channel, this.#o.firstSeq, this.#o.reorderWindow);
          this.#streams.set(channel, stream);
        }
        this.#lastChannel = channel;
        this.#lastStream = stream;
      }
    }
    const highestBefore = stream.highest;
    const gapsBefore = stream.gaps;
    const verdict = stream.deliver(seq);
    if (
      (verdict !== 'in-order' || stream.gaps !== gapsBefore) &&
      this.#violations.length < this.#o.maxViolations
    ) {
      if (verdict === 'in-order') {
        this.#record(
          'gap',
          index,
          channel,
          seq,
          gapMessage(this.#strict, channel, seq, stream.lastExpected, index),
        );
      } else {
        const label = messageLabel(this.#strict, channel, seq);
        const text = verdictMessage(verdict, label, index, highestBefore, this.#o.reorderWindow);
        this.#record(verdict, index, channel, seq, text);
      }
    }
    if (this.#priority !== undefined && (verdict === 'in-order' || verdict === 'out-of-order')) {
      if (this.#priority.check(priority, key)) {
        this.#priorityViolations++;
        if (verdict === 'in-order') stream.inOrder--;
        if (this.#violations.length < this.#o.maxViolations) {
          const label = messageLabel(this.#strict, channel, seq);
          this.#record(
            'priority',
            index,
            channel,
            seq,
            priorityMessage(label, priority, key, index, this.#priority.overtaker),
          );
        }
      }
      this.#priority.add(priority, key, index);
    }
    return verdict;
  }

  /**
   * Summarises every message observed so far.
   *
   * @returns the counts, accuracy, first violations and per-stream counts (see {@link OrderingReport})
   */
  report(): OrderingReport {
    const streams = this.#single === undefined ? [...this.#streams.values()] : [this.#single];
    let inOrder = 0;
    let gaps = 0;
    let missing = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let beyond = 0;
    for (const s of streams) {
      inOrder += s.inOrder;
      gaps += s.gaps;
      missing += s.missing;
      duplicates += s.duplicates;
      outOfOrder += s.outOfOrder;
      beyond += s.beyondWindow;
    }
    return {
      mode: this.#o.mode,
      observed: this.#observed,
      inOrderMessages: inOrder,
      orderingAccuracy: this.#observed === 0 ? 1 : inOrder / this.#observed,
      sequenceGaps: gaps,
      missingMessages: missing,
      duplicateMessages: duplicates,
      outOfOrderMessages: outOfOrder,
      beyondWindow: beyond,
      channelCrossTalk: this.#crossTalk,
      priorityViolations: this.#priorityViolations,
      violations: gaps + duplicates + outOfOrder + beyond + this.#crossTalk + this.#priorityViolations,
      firstViolations: [...this.#violations],
      streams: streams.map((s) => ({
        channel: s.channel,
        observed: s.observed,
        highestSeq: s.highest,
        missingMessages: s.missing,
        sequenceGaps: s.gaps,
        duplicateMessages: s.duplicates,
        outOfOrderMessages: s.outOfOrder,
        beyondWindow: s.beyondWindow,
      })),
    };
  }

  /**
   * Throws when any violation was found (see {@link OrderingReport.violations}).
   *
   * @throws `WS_KIT_ERR_ORDERING_VIOLATION` (a {@link ValidationError}), whose message names the counts and
   *   the first three violations, and whose `report` holds {@link OrderingValidator.report}'s result
   */
  assert(): void {
    const report = this.report();
    if (report.violations === 0) return;
    throw new ValidationError('WS_KIT_ERR_ORDERING_VIOLATION', orderingSummary(report), report);
  }

  #record(kind: OrderingViolationKind, index: number, channel: string, seq: number, message: string): void {
    this.#violations.push(Object.freeze({ kind, index, channel, seq, message }));
  }
}
