import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderedMessage, OrderingMode, OrderingVerdict } from './ordering-report.js';
import { OrderingValidator } from './ordering-validator.js';

/**
 * A brute-force reference of docs/ordering-validator.md's definitions: full Sets and arrays, no
 * window, no bitmap, no Fenwick tree. With `window` set it also applies the forgetting rule, still
 * with a full Set (so only the rule is shared, not the data structures).
 */
function reference(
  messages: readonly OrderedMessage[],
  mode: OrderingMode,
  firstSeq: number,
  window?: number,
) {
  interface Stream {
    delivered: Set<number>;
    highest: number;
    watermark: number;
    forgotten: number;
  }
  const streams = new Map<string, Stream>();
  const deliveredForPriority: { priority: number; key: number }[] = [];
  const verdicts: OrderingVerdict[] = [];
  const c = { inOrder: 0, gaps: 0, duplicates: 0, outOfOrder: 0, beyond: 0, priority: 0 };
  for (const m of messages) {
    const name = mode === 'strict' ? '*' : (m.channel ?? '');
    let s = streams.get(name);
    if (s === undefined) {
      s = { delivered: new Set(), highest: firstSeq - 1, watermark: firstSeq - 1, forgotten: firstSeq - 1 };
      streams.set(name, s);
    }
    const settle = (st: Stream) => {
      while (st.delivered.has(st.watermark + 1)) st.watermark++;
    };
    let verdict: OrderingVerdict;
    if (m.seq > s.highest) {
      verdict = 'in-order';
      if (m.seq > s.highest + 1) c.gaps++;
      s.highest = m.seq;
      if (window !== undefined && m.seq - window > s.watermark) {
        s.watermark = m.seq - window;
        s.forgotten = s.watermark;
      }
      s.delivered.add(m.seq);
      settle(s);
    } else if (m.seq < firstSeq) {
      verdict = 'duplicate';
    } else if (m.seq <= s.forgotten) {
      verdict = 'beyond-window';
    } else if (s.delivered.has(m.seq)) {
      verdict = 'duplicate';
    } else {
      verdict = 'out-of-order';
      s.delivered.add(m.seq);
      settle(s);
    }
    verdicts.push(verdict);
    let inversion = false;
    if (mode === 'priority' && (verdict === 'in-order' || verdict === 'out-of-order')) {
      const p = m.priority ?? 0;
      const key = m.timestamp!;
      inversion = deliveredForPriority.some((d) => d.priority < p && d.key > key);
      if (inversion) c.priority++;
      deliveredForPriority.push({ priority: p, key });
    }
    if (verdict === 'in-order' && !inversion) c.inOrder++;
    if (verdict === 'duplicate') c.duplicates++;
    if (verdict === 'out-of-order') c.outOfOrder++;
    if (verdict === 'beyond-window') c.beyond++;
  }
  let missing = 0;
  for (const s of streams.values()) {
    for (let q = firstSeq; q <= s.highest; q++) if (!s.delivered.has(q)) missing++;
  }
  return { verdicts, missing, ...c };
}

interface Sent {
  channel: number;
  priority: number;
  drop: boolean;
  jitter: number;
  copies: number[];
}

const sentArb = (maxJitter: number) =>
  fc.record({
    channel: fc.integer({ min: 0, max: 2 }),
    priority: fc.integer({ min: 0, max: 3 }),
    drop: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    jitter: fc.integer({ min: 0, max: maxJitter }),
    copies: fc.array(fc.integer({ min: 0, max: maxJitter }), { maxLength: 1 }),
  });

/**
 * Builds the received stream: each sent message (seq per channel, or one global seq in strict mode;
 * timestamp = half the send position, so that pairs tie) is dropped with probability 1/10, may get a duplicate copy, and arrives
 * at send position + jitter (stable), so every message is displaced by at most `maxJitter`.
 */
function receive(sent: readonly Sent[], strict: boolean): OrderedMessage[] {
  const next = [0, 0, 0];
  const keyed: { key: number; order: number; message: OrderedMessage }[] = [];
  sent.forEach((s, i) => {
    next[s.channel]!++;
    const message: OrderedMessage = {
      channel: `c${s.channel}`,
      seq: strict ? i + 1 : next[s.channel]!,
      priority: s.priority,
      timestamp: Math.floor(i / 2), // pairs share a send time: ties are not inversions
    };
    if (!s.drop) keyed.push({ key: i + s.jitter, order: keyed.length, message });
    for (const j of s.copies) keyed.push({ key: i + j, order: keyed.length, message });
  });
  keyed.sort((a, b) => a.key - b.key || a.order - b.order);
  return keyed.map((k) => k.message);
}

function run(messages: readonly OrderedMessage[], mode: OrderingMode, reorderWindow: number) {
  const v = new OrderingValidator({ mode, reorderWindow, maxViolations: 0 });
  const verdicts = messages.map((m) => v.observe(m));
  return { verdicts, report: v.report() };
}

describe('OrderingValidator against a brute-force reference', () => {
  const modes: OrderingMode[] = ['strict', 'per-channel', 'priority'];

  it.each(modes)(
    'counts exactly like the reference in %s mode when displacement stays within the window',
    (mode) => {
      const maxJitter = 10;
      fc.assert(
        fc.property(fc.array(sentArb(maxJitter), { maxLength: 300 }), (sent) => {
          const messages = receive(sent, mode === 'strict');
          const { verdicts, report } = run(messages, mode, 2 * maxJitter + 1);
          const ref = reference(messages, mode, 1);
          expect(verdicts).toEqual(ref.verdicts);
          expect(report.beyondWindow).toBe(0);
          expect({
            inOrder: report.inOrderMessages,
            gaps: report.sequenceGaps,
            duplicates: report.duplicateMessages,
            outOfOrder: report.outOfOrderMessages,
            priority: report.priorityViolations,
            missing: report.missingMessages,
          }).toEqual({
            inOrder: ref.inOrder,
            gaps: ref.gaps,
            duplicates: ref.duplicates,
            outOfOrder: ref.outOfOrder,
            priority: ref.priority,
            missing: ref.missing,
          });
          expect(report.orderingAccuracy).toBe(messages.length === 0 ? 1 : ref.inOrder / messages.length);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(modes)(
    'applies the forgetting rule like the reference in %s mode on arbitrary reordering',
    (mode) => {
      fc.assert(
        fc.property(
          fc.array(sentArb(60), { maxLength: 200 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 0, max: 3 }),
          (sent, window, firstSeq) => {
            const messages = receive(sent, mode === 'strict');
            const v = new OrderingValidator({ mode, reorderWindow: window, firstSeq, maxViolations: 0 });
            const verdicts = messages.map((m) => v.observe(m));
            const report = v.report();
            const ref = reference(messages, mode, firstSeq, window);
            expect(verdicts).toEqual(ref.verdicts);
            expect(report.beyondWindow).toBe(ref.beyond);
            expect(report.duplicateMessages).toBe(ref.duplicates);
            expect(report.outOfOrderMessages).toBe(ref.outOfOrder);
            expect(report.sequenceGaps).toBe(ref.gaps);
            expect(report.missingMessages).toBe(ref.missing);
            expect(report.priorityViolations).toBe(ref.priority);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('classifies every observed message exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(sentArb(30), { maxLength: 200 }),
        fc.integer({ min: 1, max: 16 }),
        (sent, window) => {
          const messages = receive(sent, false);
          const { report } = run(messages, 'per-channel', window);
          const sequenced =
            report.inOrderMessages +
            report.duplicateMessages +
            report.outOfOrderMessages +
            report.beyondWindow;
          expect(sequenced + report.channelCrossTalk).toBe(report.observed);
        },
      ),
      { numRuns: 200 },
    );
  });
});
