import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FairnessValidator } from './fairness-validator.js';

const clientsArb = fc.array(
  fc.record({
    service: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
    weight: fc.double({ min: 1e-2, max: 100, noNaN: true }),
  }),
  { minLength: 1, maxLength: 30 },
);

function validatorFor(clients: readonly { service: number; weight: number }[]): FairnessValidator {
  const v = new FairnessValidator();
  clients.forEach((c, i) => {
    v.register(i, { weight: c.weight, atMs: 0 });
  });
  clients.forEach((c, i) => {
    v.serve(i, c.service, 0);
  });
  return v;
}

describe('FairnessValidator Jain index properties', () => {
  it('equals (Σx)² / (n·Σx²) over x = service / weight', () => {
    fc.assert(
      fc.property(clientsArb, (clients) => {
        const xs = clients.map((c) => c.service / c.weight);
        const sum = xs.reduce((a, x) => a + x, 0);
        const sumSq = xs.reduce((a, x) => a + x * x, 0);
        const formula = (sum * sum) / (xs.length * sumSq);
        expect(validatorFor(clients).report().jainIndex).toBeCloseTo(formula, 12);
      }),
      { numRuns: 500 },
    );
  });

  it('lies in [1/n, 1]', () => {
    fc.assert(
      fc.property(clientsArb, (clients) => {
        const j = validatorFor(clients).report().jainIndex;
        expect(j).toBeGreaterThanOrEqual(1 / clients.length);
        expect(j).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('equals 1 when every client gets the same normalised service', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
        (perWeight, weights) => {
          const clients = weights.map((weight) => ({ weight, service: perWeight * weight }));
          expect(validatorFor(clients).report().jainIndex).toBeCloseTo(1, 12);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts registered but unserved clients as zero service', () => {
    fc.assert(
      fc.property(clientsArb, fc.integer({ min: 1, max: 10 }), (clients, idle) => {
        const v = validatorFor(clients);
        for (let i = 0; i < idle; i++) v.register(`idle-${i}`, { atMs: 0 });
        const xs = clients.map((c) => c.service / c.weight);
        const sum = xs.reduce((a, x) => a + x, 0);
        const sumSq = xs.reduce((a, x) => a + x * x, 0);
        expect(v.report().jainIndex).toBeCloseTo((sum * sum) / ((xs.length + idle) * sumSq), 12);
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The starvation definition, brute force: for every client and every stretch between two of its
 * anchors (first appearance, each service, the end), take the other clients' services inside it; the
 * stretch is a starvation event when they span more than the window.
 */
function referenceStarvation(
  ops: readonly { register: boolean; client: number; at: number }[],
  window: number,
): number {
  let events = 0;
  const clients = new Set(ops.map((o) => o.client));
  for (const c of clients) {
    const anchors: number[] = [];
    ops.forEach((o, i) => {
      if (o.client === c && (!o.register || anchors.length === 0)) anchors.push(i);
    });
    anchors.push(ops.length);
    for (let k = 0; k + 1 < anchors.length; k++) {
      const others = ops
        .slice(anchors[k]! + 1, anchors[k + 1]!)
        .filter((o) => !o.register && o.client !== c)
        .map((o) => o.at);
      if (others.length > 0 && others[others.length - 1]! - others[0]! > window) events++;
    }
  }
  return events;
}

describe('FairnessValidator starvation property', () => {
  it('counts starvation events like a brute-force reference of the definition', () => {
    const opArb = fc.record({
      register: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      client: fc.integer({ min: 0, max: 4 }),
      dt: fc.integer({ min: 0, max: 80 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.integer({ min: 1, max: 300 }), (raw, window) => {
        let t = 0;
        const ops = raw.map((o) => {
          t += o.dt;
          return { register: o.register, client: o.client, at: t };
        });
        const v = new FairnessValidator({ starvationWindowMs: window, maxListed: 0 });
        for (const o of ops) {
          if (o.register) v.register(o.client, { atMs: o.at });
          else v.serve(o.client, 1, o.at);
        }
        expect(v.report().starvationEvents).toBe(referenceStarvation(ops, window));
      }),
      { numRuns: 500 },
    );
  });
});
