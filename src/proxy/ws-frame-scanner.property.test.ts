import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame as buildFrame, hex } from './ws-frame-harness.js';
import { flipPayloadBit, readFrameHeader, type ScanUnit, WsFrameScanner } from './ws-frame-scanner.js';

/** One frame built by `ws`'s own `Sender.frame` (the harness's builder); `mask` undefined: unmasked. */
function frame(
  payload: Uint8Array,
  opcode: number,
  fin: boolean,
  rsv1: boolean,
  mask?: Uint8Array,
): Uint8Array {
  return buildFrame(payload, { opcode, fin, rsv1, ...(mask === undefined ? {} : { mask: [...mask] }) });
}

const unitBytes = (unit: ScanUnit): Uint8Array[] => (unit.kind === 'message' ? unit.frames : [unit.bytes]);
const plain = (units: readonly ScanUnit[]) =>
  units.map((u) =>
    u.kind === 'message' ? { ...u, frames: u.frames.map(hex) } : { ...u, bytes: hex(u.bytes) },
  );
const cat = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Splits `bytes` at the given cut points (taken modulo its length). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

function scan(chunks: readonly Uint8Array[], handshake: boolean) {
  const scanner = new WsFrameScanner({ handshake });
  return { scanner, units: chunks.flatMap((c) => scanner.push(c)) };
}

/** Payloads: mostly small, some past the 16-bit (126) and 64-bit (65536) length thresholds. */
const payload = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.integer({ min: 120, max: 400 }).map((n) => new Uint8Array(n).fill(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 65_530, max: 66_000 }).map((n) => new Uint8Array(n).fill(n)) },
);
const control = fc.record({
  opcode: fc.constantFrom(8, 9, 10),
  payload: fc.uint8Array({ maxLength: 125 }),
});
const message = fc.record({
  opcode: fc.constantFrom(1 as const, 2 as const),
  compressed: fc.boolean(),
  fragments: fc.array(payload, { minLength: 1, maxLength: 4 }),
  /** Controls sent after fragment `i` (only between fragments, never after the last). */
  controls: fc.array(fc.array(control, { maxLength: 2 }), { maxLength: 3 }),
});
const item = fc.oneof(
  { weight: 3, arbitrary: message.map((m) => ({ ...m, kind: 'message' as const })) },
  control.map((c) => ({ ...c, kind: 'control' as const })),
);
const stream = fc.record({
  masks: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
  handshake: fc.boolean(),
  items: fc.array(item, { maxLength: 8 }),
  cuts: fc.array(fc.nat(), { maxLength: 24 }),
});

type Stream = typeof stream extends fc.Arbitrary<infer T> ? T : never;

/**
 * Builds the wire bytes of a stream, and the units a correct scanner must return: each control at its
 * place, each message once its last fragment is in (so controls between fragments come first).
 */
function build({ masks, handshake, items }: Stream) {
  const wire: Uint8Array[] = [];
  const units: ScanUnit[] = [];
  const interleaved = { count: 0 };
  if (handshake) {
    const head = new TextEncoder().encode('GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n');
    wire.push(head);
    units.push({ kind: 'handshake', bytes: head });
  }
  const controlUnit = (c: { opcode: number; payload: Uint8Array }): ScanUnit => {
    const bytes = frame(c.payload, c.opcode, true, false, masks);
    wire.push(bytes);
    return { kind: 'control', opcode: c.opcode, bytes };
  };
  for (const it of items) {
    if (it.kind === 'control') {
      units.push(controlUnit(it));
      continue;
    }
    const frames = it.fragments.map((p, i) => {
      const last = i === it.fragments.length - 1;
      const bytes = frame(p, i === 0 ? it.opcode : 0, last, i === 0 && it.compressed, masks);
      wire.push(bytes);
      const between = last ? [] : (it.controls[i] ?? []);
      interleaved.count += between.length;
      units.push(...between.map(controlUnit));
      return bytes;
    });
    const payloadBytes = it.fragments.reduce((sum, p) => sum + p.length, 0);
    const { opcode, compressed } = it;
    units.push({ kind: 'message', opcode, frames, payloadBytes, masked: masks !== undefined, compressed });
  }
  return { wire: cat(wire), units, interleaved: interleaved.count };
}

describe('WsFrameScanner properties', () => {
  it('scans any stream, split anywhere, to the same units, whose bytes give back the input', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const expected = build(s);
        const whole = scan([expected.wire], s.handshake);
        const pieces = scan(split(expected.wire, s.cuts), s.handshake);
        expect(plain(whole.units)).toEqual(plain(expected.units));
        expect(plain(pieces.units)).toEqual(plain(expected.units));
        expect([pieces.scanner.pending, pieces.scanner.gaveUp]).toEqual([0, false]);
        const out = cat(pieces.units.flatMap(unitBytes));
        expect(out.length).toBe(expected.wire.length);
        if (expected.interleaved === 0) expect(hex(out)).toBe(hex(expected.wire));
      }),
      { numRuns: 150 },
    );
  });

  it('holds exactly the bytes it has not returned yet, for any prefix of a stream', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (s, end) => {
        const { wire } = build(s);
        const prefix = wire.subarray(0, end % (wire.length + 1));
        const { scanner, units } = scan(split(prefix, s.cuts), s.handshake);
        const returned = units.reduce((sum, u) => sum + unitBytes(u).reduce((n, b) => n + b.length, 0), 0);
        expect(returned + scanner.pending).toBe(prefix.length);
        expect(scanner.gaveUp).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('count() tracks push() exactly (messages, frames, pending, bytesToBoundary), and they mix at unit boundaries', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.boolean(), { maxLength: 24 }), (s, modes) => {
        const { wire } = build(s);
        const chunks = split(wire, s.cuts);
        const pushing = new WsFrameScanner({ handshake: s.handshake });
        const counting = new WsFrameScanner({ handshake: s.handshake });
        const mixed = new WsFrameScanner({ handshake: s.handshake });
        const total = { messages: 0, frames: 0 };
        const mixedTotal = { messages: 0, frames: 0 };
        let mixedUsesCount = false;
        chunks.forEach((chunk, i) => {
          const units = pushing.push(chunk);
          const messages = units.filter((u) => u.kind === 'message');
          const frames = units.reduce(
            (n, u) => n + (u.kind === 'message' ? u.frames.length : u.kind === 'control' ? 1 : 0),
            0,
          );
          expect(counting.count(chunk)).toEqual({ messages: messages.length, frames });
          expect([counting.pending, counting.bytesToBoundary, counting.gaveUp]).toEqual([
            pushing.pending,
            pushing.bytesToBoundary,
            pushing.gaveUp,
          ]);
          total.messages += messages.length;
          total.frames += frames;
          // the mixed scanner changes mode only where nothing is pending, as ChaosProxy does
          const useCount = mixed.pending === 0 ? (modes[i] ?? false) : mixedUsesCount;
          mixedUsesCount = useCount;
          const got = useCount
            ? mixed.count(chunk)
            : mixed.push(chunk).reduce(
                (n, u) => ({
                  messages: n.messages + (u.kind === 'message' ? 1 : 0),
                  frames: n.frames + (u.kind === 'message' ? u.frames.length : u.kind === 'control' ? 1 : 0),
                }),
                { messages: 0, frames: 0 },
              );
          mixedTotal.messages += got.messages;
          mixedTotal.frames += got.frames;
          expect(mixed.pending).toBe(pushing.pending);
        });
        expect(mixedTotal).toEqual(total);
        expect([counting.pending, mixed.pending]).toEqual([0, 0]);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary bytes and returns every byte it gave up on', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat()),
        (handshake, bytes, cuts) => {
          const { scanner, units } = scan(split(bytes, cuts), handshake);
          const returned = units.reduce((sum, u) => sum + unitBytes(u).reduce((n, b) => n + b.length, 0), 0);
          expect(returned + scanner.pending).toBe(bytes.length);
          const firstRaw = units.findIndex((u) => u.kind === 'raw');
          if (firstRaw >= 0) expect(units.slice(firstRaw).every((u) => u.kind === 'raw')).toBe(true);
          if (scanner.gaveUp) expect(scanner.pending).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flipPayloadBit on a masked frame changes exactly that one bit of the unmasked payload', () => {
    const unmask = (f: Uint8Array): Uint8Array => {
      const { headerBytes } = readFrameHeader(f)!;
      const key = f.subarray(headerBytes - 4, headerBytes);
      return f.subarray(headerBytes).map((b, i) => b ^ key[i % 4]!);
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.nat(),
        (data, mask, n) => {
          const original = frame(data, 2, true, false, mask);
          const bit = n % (data.length * 8);
          const flipped = flipPayloadBit(original, bit);
          const headerBytes = readFrameHeader(original)!.headerBytes;
          expect(hex(flipped.subarray(0, headerBytes))).toBe(hex(original.subarray(0, headerBytes)));
          expect(hex(unmask(original))).toBe(hex(data)); // the input frame is left alone
          const diff = unmask(flipped).map((b, i) => b ^ data[i]!);
          const set = [...diff].flatMap((b, i) =>
            [...Array(8).keys()].filter((k) => b & (0x80 >>> k)).map((k) => i * 8 + k),
          );
          expect(set).toEqual([bit]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
