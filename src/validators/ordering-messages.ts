/**
 * The human-readable texts of `OrderingValidator` violations and of its `assert()` error (internal;
 * not exported from the package). Only called for recorded violations, never on the hot path.
 */
import type { OrderingReport, OrderingVerdict, OrderingViolationKind } from './ordering-report.js';

const KIND_LABELS: Record<OrderingViolationKind, [one: string, many: string]> = {
  gap: ['gap', 'gaps'],
  duplicate: ['duplicate', 'duplicates'],
  'out-of-order': ['out of order', 'out of order'],
  'beyond-window': ['beyond window', 'beyond window'],
  'cross-talk': ['cross-talk', 'cross-talk'],
  priority: ['priority inversion', 'priority inversions'],
};

/** Names a message: `seq 5` in strict mode, `channel "a" seq 5` otherwise. */
export function messageLabel(strict: boolean, channel: string, seq: number): string {
  return strict ? `seq ${seq}` : `channel ${JSON.stringify(channel)} seq ${seq}`;
}

/** The text of a gap event: `seq` arrived where `expected` was due. */
export function gapMessage(
  strict: boolean,
  channel: string,
  seq: number,
  expected: number,
  index: number,
): string {
  const where = strict ? '' : `channel ${JSON.stringify(channel)} `;
  return `${where}expected seq ${expected}, got ${seq} at message #${index} (gap of ${seq - expected})`;
}

/** The text of a duplicate, out-of-order or beyond-window verdict. */
export function verdictMessage(
  verdict: Exclude<OrderingVerdict, 'in-order' | 'cross-talk'>,
  label: string,
  index: number,
  highestBefore: number,
  reorderWindow: number,
): string {
  if (verdict === 'duplicate') return `${label} arrived again at message #${index} (duplicate)`;
  if (verdict === 'out-of-order')
    return `${label} arrived after seq ${highestBefore} at message #${index} (out of order)`;
  return `${label} arrived at message #${index}, at least reorderWindow (${reorderWindow}) below seq ${highestBefore} (beyond window: late or duplicate, cannot tell)`;
}

/** The text of a cross-talk message. */
export function crossTalkMessage(channel: string, receivedOn: string | undefined, index: number): string {
  const why =
    receivedOn !== undefined && receivedOn !== channel
      ? ` arrived on subscription ${JSON.stringify(receivedOn)}`
      : ', which is not in expectedChannels';
  return `message #${index} on channel ${JSON.stringify(channel)}${why} (cross-talk)`;
}

/** The text of a priority violation. */
export function priorityMessage(
  label: string,
  priority: number,
  key: number,
  index: number,
  overtaker: { index: number; priority: number; key: number },
): string {
  return `${label} (priority ${priority}, sent at ${key}) arrived at message #${index} after message #${overtaker.index} (priority ${overtaker.priority}, sent later at ${overtaker.key}) (priority inversion)`;
}

/** The `assert()` message: the counts by kind and the first three violations. */
export function orderingSummary(report: OrderingReport): string {
  const counts: [number, OrderingViolationKind][] = [
    [report.sequenceGaps, 'gap'],
    [report.duplicateMessages, 'duplicate'],
    [report.outOfOrderMessages, 'out-of-order'],
    [report.beyondWindow, 'beyond-window'],
    [report.channelCrossTalk, 'cross-talk'],
    [report.priorityViolations, 'priority'],
  ];
  const parts = counts
    .filter(([n]) => n > 0)
    .map(([n, kind]) => `${n} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`);
  const first = report.firstViolations.slice(0, 3).map((v) => v.message);
  const s = report.violations === 1 ? '' : 's';
  return (
    `ordering: ${report.violations} violation${s} (${parts.join(', ')}) in ${report.observed} messages` +
    (first.length > 0 ? `; first: ${first.join('; ')}` : '')
  );
}
