import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Frame, readWelcome } from '../../framing/index.js';
import { createRandom } from '../../internal/random.js';
import { connect, data, hello, setup } from './endpoint-harness.js';

const CHANNELS = ['a', 'b', 'c'];

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function delivered(frames: readonly Frame[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of frames) {
    out[f.channel] ??= [];
    out[f.channel]!.push(f.seq);
  }
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('ServerProtocolEndpoint: exactly-once, in-order delivery (property)', () => {
  it('delivers every frame once and in order per channel, whatever duplication and reordering the network adds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 3, maxLength: 3 }),
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (counts, seed, duplicateRate) => {
          const random = createRandom(seed);
          const { endpoint, store, clock, delivered: got } = setup({ ackEvery: 4 });
          endpoint.receive(hello());
          const wire: [string, number][] = [];
          counts.forEach((n, i) => {
            for (const seq of range(n)) {
              wire.push([CHANNELS[i]!, seq]);
              while (random() < duplicateRate * 0.8) wire.push([CHANNELS[i]!, seq]);
            }
          });
          for (const [channel, seq] of shuffle(wire, random)) endpoint.receive(data(channel, seq));
          clock.advance(100);
          const expected = Object.fromEntries(
            counts.flatMap((n, i) => (n > 0 ? [[CHANNELS[i]!, range(n)]] : [])),
          );
          expect(delivered(got)).toEqual(expected);
          expect(endpoint.stats().duplicatesDropped).toBe(wire.length - got.length);
          endpoint.detach();
          const again = connect(store);
          again.endpoint.receive(hello('s-1'));
          const lastSeq = Object.fromEntries(counts.flatMap((n, i) => (n > 0 ? [[CHANNELS[i]!, n]] : [])));
          expect(readWelcome(again.take()[0]!).lastSeq).toEqual(lastSeq);
        },
      ),
    );
  });

  it('with a client that resends what is unacked, delivers everything once and in order through drops, duplicates, reordering and reconnects', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        (total, seed, maxReorderFrames, ackEvery) => {
          const random = createRandom(seed);
          const options = { maxReorderFrames, ackEvery, ackDelayMs: 5 };
          const { store, clock, ...first } = setup(options);
          let conn = first;
          const got: Frame[] = [];
          conn.endpoint.on('data', (f) => got.push(f));
          conn.endpoint.receive(hello());
          const sessionId = conn.endpoint.sessionId!;
          let acked = 0;
          for (let round = 0; acked < total && round < 200; round++) {
            // The client sends everything after the last ack; the network drops, duplicates and reorders.
            const wire: number[] = [];
            for (let seq = acked + 1; seq <= total; seq++) {
              if (random() < 0.3) continue;
              wire.push(seq);
              if (random() < 0.3) wire.push(seq);
            }
            for (const seq of shuffle(wire, random)) conn.endpoint.receive(data('a', seq));
            clock.advance(10);
            for (const f of conn.take()) if (f.kind === 'ack') acked = Math.max(acked, f.seq);
            if (random() < 0.2) {
              conn.endpoint.detach();
              conn = connect(store, options);
              conn.endpoint.on('data', (f) => got.push(f));
              conn.endpoint.receive(hello(sessionId));
              acked = Math.max(acked, readWelcome(conn.take()[0]!).lastSeq.a ?? 0);
            }
          }
          expect(acked).toBe(total);
          expect(got.map((f) => f.seq)).toEqual(range(total));
        },
      ),
    );
  });
});
