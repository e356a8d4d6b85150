import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { cat, frame, hex, MASK, Receiver } from './ws-frame-harness.js';
import { flipPayloadBit, readFrameHeader } from './ws-frame-header.js';

describe('readFrameHeader', () => {
  it.each([
    [125, 2],
    [126, 4],
    [65_535, 4],
    [65_536, 10],
  ])('reads a %i-byte payload length from a %i-byte header, masked or not', (size, headerBytes) => {
    const payload = new Uint8Array(size);
    const plainHeader = readFrameHeader(frame(payload, { opcode: 1 }));
    const maskedHeader = readFrameHeader(frame(payload, { opcode: 2, fin: false, mask: MASK }));
    expect(plainHeader).toEqual({
      ...{ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: false },
      ...{ headerBytes, payloadBytes: size },
    });
    expect(maskedHeader).toMatchObject({ fin: false, opcode: 2, masked: true, headerBytes: headerBytes + 4 });
    expect(maskedHeader?.payloadBytes).toBe(size);
  });

  it('returns undefined until every header byte has arrived, counting from the offset', () => {
    const bytes = cat(Uint8Array.of(0xff), frame(new Uint8Array(70_000), { mask: MASK }));
    const complete = [];
    for (let end = 1; end <= 16; end++)
      complete.push(readFrameHeader(bytes.subarray(0, end), 1) !== undefined);
    expect(complete.indexOf(true)).toBe(14); // 1 + 14 header bytes
    expect(complete.filter(Boolean)).toHaveLength(2);
  });

  it('reports an infinite payload for a 64-bit length beyond Number.MAX_SAFE_INTEGER', () => {
    const header = Uint8Array.of(0x82, 127, 0, 0x20, 0, 0, 0, 0, 0, 0);
    const safe = Uint8Array.of(0x82, 127, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(readFrameHeader(header)?.payloadBytes).toBe(Number.POSITIVE_INFINITY);
    expect(readFrameHeader(safe)?.payloadBytes).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects an offset that is not a non-negative integer', () => {
    for (const offset of [-1, 0.5]) {
      const call = () => readFrameHeader(new Uint8Array(4), offset);
      expect(call).toThrow(OptionsError);
      expect(call).toThrow(expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }));
      expect(call).toThrow(/readFrameHeader offset must be an integer >= 0/);
    }
  });
});

describe('flipPayloadBit', () => {
  it('flips bit 0 as the most significant bit of the first payload byte, in a copy', () => {
    const original = frame(Uint8Array.of(0x00, 0xff));
    const flipped = flipPayloadBit(original, 0);
    expect(hex(flipped)).toBe('8202' + '80ff');
    expect(hex(flipPayloadBit(original, 15))).toBe('8202' + '00fe');
    expect(hex(original)).toBe('820200ff');
  });

  it('flips the same bit of the unmasked payload of a masked frame, as ws decodes it', async () => {
    const payload = new TextEncoder().encode('corrupt me');
    const flipped = flipPayloadBit(frame(payload, { opcode: 2, mask: MASK }), 13);
    const receiver = new Receiver({ isServer: true });
    const message = once(receiver, 'message');
    receiver.write(flipped);
    const [data] = (await message) as [Buffer];
    const expected = Uint8Array.from(payload);
    expected[1]! ^= 0x04; // bit 13 = byte 1, bit 5 from the left
    expect(hex(data)).toBe(hex(expected));
  });

  it.each([
    ['a frame with no payload', frame(''), 0, /needs a frame with a payload/],
    ['a bit past the payload', frame('ab'), 16, /bit must be an integer >= 0 <= 15, got 16/],
    ['a negative bit', frame('ab'), -1, /bit must be an integer >= 0 <= 15, got -1/],
    ['a fractional bit', frame('ab'), 1.5, /bit must be an integer >= 0 <= 15/],
    ['a truncated frame', frame('ab').subarray(0, 3), 0, /needs exactly one whole frame/],
    ['two frames', cat(frame('a'), frame('b')), 0, /needs exactly one whole frame/],
  ])('rejects %s with WS_KIT_ERR_INVALID_ARGUMENT', (_name, bytes, bit, message) => {
    const call = () => flipPayloadBit(bytes, bit);
    expect(call).toThrow(OptionsError);
    expect(call).toThrow(expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_ARGUMENT' }));
    expect(call).toThrow(message);
  });
});
