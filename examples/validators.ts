/**
 * Validators: feed each one a scripted stream with known faults, check that it finds exactly those
 * faults, and print its verdict. Exits 0 only if every check holds.
 * Run: node --import tsx examples/validators.ts
 */
import {
  DeliveryValidator,
  FairnessValidator,
  isWsKitError,
  OrderingValidator,
  ProgressValidator,
  type Validator,
} from '@semantest/ws-kit';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`example check failed: ${what}`);
}

/** Runs `assert()` and returns its error message (or 'passed'), checking the error's code. */
function verdict(validator: Validator<unknown>, code?: string): string {
  try {
    validator.assert();
  } catch (error) {
    check(isWsKitError(error) && error.code === code, `assert() throws ${code}`);
    return (error as Error).message;
  }
  check(code === undefined, `assert() should have thrown ${code}`);
  return 'passed';
}

// 1. Ordering: two channels, seq 1..10 each; the network drops chat#4, duplicates chat#6 and swaps alerts#7/#8.
const order = new OrderingValidator({ mode: 'per-channel', expectedChannels: ['chat', 'alerts'] });
for (let seq = 1; seq <= 10; seq++) {
  if (seq !== 4) order.observe({ channel: 'chat', seq });
  if (seq === 6) order.observe({ channel: 'chat', seq });
  const alertSeq = seq === 7 ? 8 : seq === 8 ? 7 : seq;
  order.observe({ channel: 'alerts', seq: alertSeq });
}
order.observe({ channel: 'billing', seq: 1 }); // a channel this client never subscribed to
const o = order.report();
// A swap is a jump (alerts#8 where #7 was due: a gap) and then a late fill (#7: out of order).
check(
  o.sequenceGaps === 2 && o.missingMessages === 1,
  'two gaps (chat#5, alerts#8), one still missing (chat#4)',
);
check(o.duplicateMessages === 1 && o.outOfOrderMessages === 1, 'one duplicate, one out of order');
check(o.channelCrossTalk === 1, 'one cross-talk message');
console.log(`ordering accuracy ${(o.orderingAccuracy * 100).toFixed(1)} %`);
console.log(`  ${verdict(order, 'WS_KIT_ERR_ORDERING_VIOLATION')}`);

// 2. Priority: an urgent alert sent at t=10 is delivered after a bulk message sent at t=20.
const priority = new OrderingValidator({ mode: 'priority' });
priority.observe({ channel: 'bulk', seq: 1, priority: 0, timestamp: 20 });
priority.observe({ channel: 'urgent', seq: 1, priority: 9, timestamp: 10 });
check(priority.report().priorityViolations === 1, 'one priority inversion');
console.log(`  ${verdict(priority, 'WS_KIT_ERR_ORDERING_VIOLATION')}`);

// 3. Delivery: ten messages; #3 lost, #5 corrupted in flight, #7 delivered twice.
const delivery = new DeliveryValidator();
for (let id = 1; id <= 10; id++) delivery.sent(id, { channel: 'orders', content: `order ${id}` });
for (let id = 1; id <= 10; id++) {
  if (id === 3) continue;
  delivery.received(id, { channel: 'orders', content: id === 5 ? 'order 5?' : `order ${id}` });
  if (id === 7) delivery.received(id, { channel: 'orders', content: `order ${id}` });
}
const d = delivery.report();
check(d.lost === 1 && d.corrupted === 1 && d.duplicated === 1, 'one lost, one corrupted, one duplicated');
check(d.completeness === 0.8 && d.accuracy === 0.8, 'completeness 8/10, accuracy 8/10');
console.log(`delivery completeness ${d.completeness}, accuracy ${d.accuracy}`);
console.log(`  ${verdict(delivery, 'WS_KIT_ERR_DELIVERY_VIOLATION')}`);

// 4. Fairness: a weighted round-robin serves 'pro' (weight 2) twice per round — fair; then 'free' starves.
const fair = new FairnessValidator({ starvationWindowMs: 500 });
fair.register('free', { weight: 1, atMs: 0 });
fair.register('pro', { weight: 2, atMs: 0 });
for (let t = 0; t < 1000; t += 100) {
  fair.serve('free', 1, t);
  fair.serve('pro', 2, t);
}
check(fair.report().jainIndex === 1, 'weighted round-robin is perfectly fair');
console.log(`fairness (weighted round-robin): Jain ${fair.report().jainIndex}, ${verdict(fair)}`);
for (let t = 1000; t <= 2000; t += 100) fair.serve('pro', 2, t);
const f = fair.report();
check(f.starvationEvents === 1 && f.priorityRespected, "'free' starves; 'pro' still gets at least its share");
console.log(`  ${verdict(fair, 'WS_KIT_ERR_FAIRNESS_VIOLATION')}`);

// 5. Progress: a clean two-stage job, then one that goes back and misreports its percent.
const good = new ProgressValidator({ maxRatePerSecond: 20 });
const stages = [
  ['upload', 4],
  ['process', 2],
] as const;
let t = 0;
for (const [stage, total] of stages) {
  for (let current = 0; current <= total; current++) {
    t += 100;
    good.observe({ stage, current, total, percent: (current / total) * 100 }, t);
  }
}
check(good.report().completed && good.report().stages === 2, 'the job completes both stages');
console.log(`progress (clean job): ${verdict(good)}`);
const bad = new ProgressValidator();
bad.observe({ current: 3, total: 10, percent: 30 }, 0);
bad.observe({ current: 2, total: 10, percent: 25 }, 100);
const p = bad.report();
check(
  p.counts.nonMonotonic === 1 && p.counts.percentMismatch === 1 && p.counts.incomplete === 1,
  'three violations',
);
console.log(`  ${verdict(bad, 'WS_KIT_ERR_PROGRESS_VIOLATION')}`);
