import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { captureRealSession, cat, frame, hex, MASK } from './ws-frame-harness.js';
import { type ScanUnit, WsFrameScanner } from './ws-frame-scanner.js';

const unitBytes = (unit: ScanUnit): Uint8Array[] => (unit.kind === 'message' ? unit.frames : [unit.bytes]);
/** Units as plain data (bytes as hex) for deep comparison. */
const plain = (units: readonly ScanUnit[]) =>
  units.map((u) =>
    u.kind === 'message' ? { ...u, frames: u.frames.map(hex) } : { ...u, bytes: hex(u.bytes) },
  );
const kinds = (units: readonly ScanUnit[]) =>
  units.map((u) => (u.kind === 'message' || u.kind === 'control' ? `${u.kind}:${u.opcode}` : u.kind));
const scanChunks = (chunks: readonly Uint8Array[], handshake = false) => {
  const scanner = new WsFrameScanner({ handshake });
  return { scanner, units: chunks.flatMap((c) => scanner.push(c)) };
};
const bytesOneByOne = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (b) => Uint8Array.of(b));
const REQUEST = 'GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';

describe('WsFrameScanner', () => {
  it('scans a real ws client and server session captured on loopback, both directions', async () => {
    const { toServer, toClient } = await captureRealSession();
    const up = scanChunks(toServer, true);
    const down = scanChunks(toClient, true);
    expect(kinds(up.units)).toEqual([
      'handshake',
      'message:1',
      'message:2',
      'control:9',
      'message:1',
      'control:8',
    ]);
    expect(kinds(down.units)).toEqual([
      'handshake',
      'message:1',
      'message:2',
      'control:10',
      'message:1',
      'control:8',
    ]);
    const [head, hello, big, ping, parts, close] = up.units;
    expect(Buffer.from((head as { bytes: Uint8Array }).bytes).toString('latin1')).toMatch(
      /^GET \/chat .*\r\n\r\n$/s,
    );
    expect(hello).toMatchObject({ masked: true, compressed: true });
    expect(big).toMatchObject({ masked: true, compressed: false, payloadBytes: 70_000 });
    expect(parts).toMatchObject({ masked: true, compressed: false, payloadBytes: 10 });
    expect(down.units.slice(1).every((u) => u.kind !== 'message' || (!u.masked && u.compressed))).toBe(true);
    expect(hex((down.units[0] as { bytes: Uint8Array }).bytes)).toMatch(/^485454502f312e3120313031/); // HTTP/1.1 101
    // the ping went out between the two fragments: the units put it first, the rest is byte-exact
    const [part1, part2] = (parts as { frames: Uint8Array[] }).frames as [Uint8Array, Uint8Array];
    const wire = [head, hello, big].flatMap((u) => unitBytes(u!));
    expect(hex(cat(...wire, part1, ...unitBytes(ping!), part2, ...unitBytes(close!)))).toBe(
      hex(cat(...toServer)),
    );
    expect(hex(cat(...down.units.flatMap(unitBytes)))).toBe(hex(cat(...toClient)));
    for (const { scanner } of [up, down]) expect([scanner.pending, scanner.gaveUp]).toEqual([0, false]);
    expect(plain(scanChunks(bytesOneByOne(cat(...toServer)), true).units)).toEqual(plain(up.units));
  });

  it('emits a control frame that arrives between fragments at once, and the message at FIN', () => {
    const first = frame('ab', { opcode: 1, fin: false });
    const ping = frame('x', { opcode: 9 });
    const middle = frame('cd', { opcode: 0, fin: false });
    const last = frame('e', { opcode: 0 });
    const scanner = new WsFrameScanner({ handshake: false });
    expect(scanner.push(first)).toEqual([]);
    expect(scanner.pending).toBe(first.length);
    expect(plain(scanner.push(cat(ping, middle)))).toEqual([
      { kind: 'control', opcode: 9, bytes: hex(ping) },
    ]);
    expect(scanner.pending).toBe(first.length + middle.length);
    const message = { kind: 'message', opcode: 1, payloadBytes: 5, masked: false, compressed: false };
    expect(plain(scanner.push(last))).toEqual([{ ...message, frames: [first, middle, last].map(hex) }]);
    expect(scanner.pending).toBe(0);
  });

  it('scans a stream fed one byte at a time to the same units as the whole buffer', () => {
    const stream = cat(
      new TextEncoder().encode(REQUEST),
      frame(new Uint8Array(70_000).fill(3), { mask: MASK }),
      frame('a', { opcode: 1, fin: false, mask: MASK, rsv1: true }),
      frame('', { opcode: 10, mask: MASK }),
      frame(new Uint8Array(300), { opcode: 0, mask: MASK }),
      frame(Uint8Array.of(3, 232), { opcode: 8, mask: MASK }),
    );
    const whole = scanChunks([stream], true).units;
    expect(kinds(whole)).toEqual(['handshake', 'message:2', 'control:10', 'message:1', 'control:8']);
    expect(whole[3]).toMatchObject({ compressed: true, masked: true, payloadBytes: 301 });
    expect(plain(scanChunks(bytesOneByOne(stream), true).units)).toEqual(plain(whole));
  });

  it('finds a handshake head split across chunks and the frames after it in the same chunk', () => {
    const head = new TextEncoder().encode('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n');
    const frames = [frame('one', { opcode: 1 }), frame('two', { opcode: 1 })];
    const cut = head.length - 2; // inside the final \r\n\r\n
    const scanner = new WsFrameScanner({ handshake: true });
    expect(scanner.push(head.subarray(0, cut))).toEqual([]);
    expect(scanner.pending).toBe(cut);
    const units = scanner.push(cat(head.subarray(cut), ...frames));
    expect(kinds(units)).toEqual(['handshake', 'message:1', 'message:1']);
    expect(hex(cat(...units.flatMap(unitBytes)))).toBe(hex(cat(head, ...frames)));
    expect(scanner.pending).toBe(0);
  });

  it('holds only the unfinished frame, viewing frames inside a chunk and copying frames across chunks', () => {
    const small = frame('abc');
    const big = frame(new Uint8Array(1000).fill(9));
    const chunk = cat(small, big.subarray(0, 3)); // ends inside big's header
    const scanner = new WsFrameScanner({ handshake: false });
    const [unit] = scanner.push(chunk) as [ScanUnit & { kind: 'message' }];
    expect(unit.frames[0]!.buffer).toBe(chunk.buffer); // a view, no copy
    expect(scanner.pending).toBe(3);
    expect(scanner.push(big.subarray(3, 600))).toEqual([]);
    expect(scanner.pending).toBe(600);
    const last = cat(big.subarray(600), small);
    const units = scanner.push(last) as (ScanUnit & { kind: 'message' })[];
    expect(units.map((u) => hex(u.frames[0]!))).toEqual([hex(big), hex(small)]);
    expect(units[0]!.frames[0]!.byteLength).toBe(units[0]!.frames[0]!.buffer.byteLength); // one fresh copy
    expect(units[1]!.frames[0]!.buffer).toBe(last.buffer);
    expect(scanner.pending).toBe(0);
  });

  it('keeps a held fragment as a view when it fills its chunk, and copies it when it would pin a larger chunk', () => {
    const chunks = [
      cat(frame(new Uint8Array(1000), { fin: false }), frame('s', { opcode: 9 })),
      cat(frame('t', { opcode: 0, fin: false }), frame(new Uint8Array(125), { opcode: 10 })),
      frame('', { opcode: 0 }),
    ];
    const { units } = scanChunks(chunks);
    const message = units.find((u) => u.kind === 'message');
    const [big, small] = message?.frames ?? [];
    expect(big?.buffer).toBe(chunks[0]!.buffer);
    expect([small?.length, small?.buffer.byteLength]).toEqual([3, 3]);
  });

  it('gives up on an HTTP head longer than 64 KiB, returning every byte held', () => {
    const scanner = new WsFrameScanner({ handshake: true });
    const head = new TextEncoder().encode(`GET /${'a'.repeat(64 * 1024 - 5)}`);
    expect(scanner.push(head)).toEqual([]);
    expect(scanner.pending).toBe(64 * 1024);
    const units = scanner.push(new TextEncoder().encode('b\r\n\r\n'));
    expect(units.map((u) => u.kind)).toEqual(['raw', 'raw']);
    expect(units.reduce((n, u) => n + unitBytes(u)[0]!.length, 0)).toBe(64 * 1024 + 5);
    expect([scanner.gaveUp, scanner.pending]).toEqual([true, 0]);
  });

  it.each([
    ['a reserved data opcode', [], [], frame('x', { opcode: 3 })],
    ['a reserved control opcode', [frame('a')], [], frame('', { opcode: 11 })],
    ['a continuation without a start', [], [], frame('x', { opcode: 0 })],
    ['a data frame inside a fragmented message', [], [frame('a', { fin: false })], frame('b', { opcode: 1 })],
    [
      'a control frame over 125 bytes',
      [],
      [frame('a', { fin: false })],
      frame(new Uint8Array(126), { opcode: 9 }),
    ],
    ['a fragmented control frame', [], [], frame('p', { opcode: 9, fin: false })],
    ['a control frame with RSV1', [], [], frame('p', { opcode: 10, rsv1: true })],
    ['RSV1 on a continuation frame', [], [frame('a', { fin: false })], frame('b', { opcode: 0, rsv1: true })],
    ['the RSV2 bit', [frame('ok')], [], Uint8Array.of(0xa2, 0)],
    ['a 64-bit length beyond 2^53', [], [], Uint8Array.of(0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0, 1)],
  ])('gives up on %s and returns what it held and the rest as raw', (_name, before, held, bad) => {
    const after = frame('later');
    const scanner = new WsFrameScanner({ handshake: false });
    const units = scanner.push(cat(...before, ...held, bad, after));
    expect(kinds(units)).toEqual([
      ...before.map(() => 'message:2'),
      ...(held.length > 0 ? ['raw'] : []),
      'raw',
    ]);
    expect(hex(cat(...units.flatMap(unitBytes)))).toBe(hex(cat(...before, ...held, bad, after)));
    expect([scanner.gaveUp, scanner.pending]).toEqual([true, 0]);
    const next = frame('valid but too late');
    expect(scanner.push(next)).toEqual([{ kind: 'raw', bytes: next }]);
  });

  it('gives up on a frame declared over maxMessageBytes without waiting for its payload', () => {
    const scanner = new WsFrameScanner({ handshake: false, maxMessageBytes: 100 });
    const fits = frame(new Uint8Array(100));
    const tooBig = frame(new Uint8Array(101));
    const units = scanner.push(cat(fits, tooBig.subarray(0, 10)));
    expect(kinds(units)).toEqual(['message:2', 'raw']);
    expect(hex(unitBytes(units[1]!)[0]!)).toBe(hex(tooBig.subarray(0, 10)));
    expect([scanner.gaveUp, scanner.pending]).toEqual([true, 0]);
  });

  it('gives up when the fragments of one message add up past maxMessageBytes', () => {
    const scanner = new WsFrameScanner({ handshake: false, maxMessageBytes: 100 });
    const first = frame(new Uint8Array(60), { fin: false });
    const second = frame(new Uint8Array(41), { opcode: 0 });
    expect(scanner.push(first)).toEqual([]);
    const units = scanner.push(second);
    expect(plain(units)).toEqual([
      { kind: 'raw', bytes: hex(first) },
      { kind: 'raw', bytes: hex(second) },
    ]);
    expect(scanner.gaveUp).toBe(true);
  });

  it('passes a head that is not an upgrade through, then everything after it as raw', () => {
    const head = new TextEncoder().encode('HTTP/1.1 401 Unauthorized\r\nContent-Length: 3\r\n\r\n');
    const scanner = new WsFrameScanner();
    const body = frame('A', { opcode: 1 }); // a body that happens to look like a frame stays raw
    const units = scanner.push(cat(head, body));
    expect(plain(units)).toEqual([
      { kind: 'handshake', bytes: hex(head) },
      { kind: 'raw', bytes: hex(body) },
    ]);
    expect(scanner.gaveUp).toBe(true);
  });

  it('gives up at once, holding nothing, on a stream that does not start like HTTP (a TLS ClientHello)', () => {
    for (const start of [
      Uint8Array.of(0x16, 0x03, 0x01),
      new TextEncoder().encode('GEX '),
      Uint8Array.of(0x48),
    ]) {
      const scanner = new WsFrameScanner({ handshake: true });
      const units = scanner.push(start);
      const expected = start.length === 1 ? [] : [{ kind: 'raw', bytes: hex(start) }];
      expect(plain(units)).toEqual(expected);
      expect(scanner.gaveUp).toBe(start.length > 1);
    }
  });

  it('reads frames from the first byte when handshake is false', () => {
    const units = scanChunks([frame('x', { opcode: 1 })]).units;
    expect(kinds(units)).toEqual(['message:1']);
  });

  it('rejects options outside their range', () => {
    const cases: [object, RegExp][] = [
      [{ maxMessageBytes: 0 }, /maxMessageBytes must be an integer >= 1/],
      [{ maxMessageBytes: 1.5 }, /maxMessageBytes must be an integer >= 1/],
      [{ handshake: 'yes' }, /handshake must be a boolean/],
      [{ maxMesageBytes: 10 }, /maxMesageBytes/],
    ];
    for (const [options, message] of cases) {
      const make = () => new WsFrameScanner(options as never);
      expect(make).toThrow(OptionsError);
      expect(make).toThrow(expect.objectContaining({ code: 'WS_KIT_ERR_INVALID_OPTION' }));
      expect(make).toThrow(message);
    }
  });
});
