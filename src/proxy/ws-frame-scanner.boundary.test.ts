import { describe, expect, it } from 'vitest';
import { flipPayloadBit, WsFrameScanner } from './ws-frame-scanner.js';

/** An unmasked frame: FIN flag, opcode, payload of `n` bytes (n < 126). */
const frame = (opcode: number, n: number, fin = true) =>
  Uint8Array.from([(fin ? 0x80 : 0) | opcode, n, ...Array.from({ length: n }, (_, i) => i)]);

describe('WsFrameScanner.bytesToBoundary', () => {
  it('is 0 with nothing pending', () => {
    const scanner = new WsFrameScanner({ handshake: false });
    expect(scanner.bytesToBoundary).toBe(0);
    scanner.push(frame(2, 10));
    expect(scanner.bytesToBoundary).toBe(0);
  });

  it('is the rest of a partial final frame, and pushing exactly that leaves nothing pending', () => {
    const scanner = new WsFrameScanner({ handshake: false });
    const f = frame(2, 100);
    scanner.push(f.subarray(0, 30));
    expect(scanner.bytesToBoundary).toBe(72);
    expect(scanner.push(f.subarray(30))).toHaveLength(1);
    expect(scanner.pending).toBe(0);
  });

  it('is undefined while the header is incomplete', () => {
    const scanner = new WsFrameScanner({ handshake: false });
    scanner.push(Uint8Array.of(0x82)); // one byte of a header
    expect(scanner.bytesToBoundary).toBeUndefined();
  });

  it('is undefined inside a fragmented message until its final frame has begun', () => {
    const scanner = new WsFrameScanner({ handshake: false });
    const first = frame(1, 20, false);
    scanner.push(first.subarray(0, 10));
    expect(scanner.bytesToBoundary).toBeUndefined(); // a non-final fragment
    scanner.push(first.subarray(10));
    expect(scanner.bytesToBoundary).toBeUndefined(); // between fragments
    const ping = frame(9, 4);
    scanner.push(ping.subarray(0, 3));
    expect(scanner.bytesToBoundary).toBeUndefined(); // a ping inside the open message
    scanner.push(ping.subarray(3));
    const last = frame(0, 40);
    scanner.push(last.subarray(0, 5));
    expect(scanner.bytesToBoundary).toBe(37);
    const units = scanner.push(last.subarray(5));
    expect(units.map((u) => u.kind)).toEqual(['message']);
    expect(scanner.pending).toBe(0);
  });
});

describe('flipPayloadBit on a Node Buffer', () => {
  it('returns a flipped copy and leaves the Buffer unchanged (a Buffer slice would be a view)', () => {
    const original = Buffer.from(frame(2, 4));
    const before = Buffer.from(original);
    const flipped = flipPayloadBit(original, 0);
    expect(original.equals(before)).toBe(true);
    expect(flipped[2]).toBe(before[2]! ^ 0x80);
  });
});
