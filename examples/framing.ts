/**
 * Framing without sockets: sequence and encode frames on two channels, decode them, show that a
 * single flipped bit is caught, carry the same frames in the JSON text envelope, time a ping/pong,
 * and push a seeded stream of awkward payloads through both codecs. Exits 0 only if every check holds.
 *
 * Run: node --import tsx examples/framing.ts
 */
import {
  crc32c,
  decodeFrame,
  decodeJsonFrame,
  encodeFrame,
  encodeJsonFrame,
  type Frame,
  isWsKitError,
  mixedStream,
  pingFrame,
  pongFrame,
  readPong,
  Sequencer,
} from '@semantest/ws-kit';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`example check failed: ${what}`);
}

// 1. Sequence and encode: each channel counts 1, 2, 3… on its own.
const sequencer = new Sequencer();
const sent: Frame[] = [];
for (const [channel, text] of [
  ['chat:room-1', 'hello'],
  ['chat:room-1', 'héllo again 👋'],
  ['ticker', 'AAPL 189.25'],
] as const) {
  sent.push({
    version: 1,
    kind: 'data',
    channel,
    priority: 0,
    seq: sequencer.next(channel),
    timestamp: 1_700_000_000_000.125 + sent.length,
    payload: { kind: 'text', data: text },
  });
}
sent.push({
  version: 1,
  kind: 'data',
  channel: 'ticker',
  priority: 9,
  seq: sequencer.next('ticker'),
  timestamp: 1_700_000_000_003.5,
  payload: { kind: 'json', data: { symbol: 'MSFT', price: 402.5, volume: 1200 } },
});
const wire = sent.map((frame) => encodeFrame(frame));
const received = wire.map((bytes) => decodeFrame(bytes));
check(JSON.stringify(received) === JSON.stringify(sent), 'binary frames decode to what was sent');
check(
  received.map((f) => `${f.channel}#${f.seq}`).join(' ') === 'chat:room-1#1 chat:room-1#2 ticker#1 ticker#2',
  'per-channel seqs',
);
console.log(
  `binary: ${wire.length} frames, ${wire.reduce((n, b) => n + b.length, 0)} bytes, seqs per channel ok`,
);

// 2. Corruption: flip one bit anywhere and the decoder says so with a typed error.
const corrupted = wire[1]!.slice();
corrupted[40]! ^= 0x04;
try {
  decodeFrame(corrupted);
  check(false, 'a corrupted frame must not decode');
} catch (error) {
  check(
    isWsKitError(error) && error.code === 'WS_KIT_ERR_FRAME_CHECKSUM',
    'bit flip → WS_KIT_ERR_FRAME_CHECKSUM',
  );
  console.log(`corruption: ${(error as Error).message}`);
}

// 3. The JSON envelope carries the same frames as text, with its own CRC32C.
const envelope = encodeJsonFrame(sent[3]!);
check(JSON.stringify(decodeJsonFrame(envelope)) === JSON.stringify(sent[3]), 'envelope round trip');
console.log(`envelope: ${envelope}`);

// 4. Ping/pong carries the four clock-sync timestamps.
// The server's clock runs 250 ms ahead; each direction takes 0.5 ms; the server answers in 0.25 ms.
const ping = decodeFrame(encodeFrame(pingFrame(1, 1000.25))); // t0 on the client's clock
const pong = decodeFrame(encodeFrame(pongFrame(ping, 1250.75, 1251))); // t1, t2 on the server's
const t3 = 1001.5; // the client's clock when the pong arrives
const { t0, t1, t2 } = readPong(pong);
const offset = (t1 - t0 + (t2 - t3)) / 2;
check(offset === 250, 'clock offset from ping/pong');
console.log(`ping/pong: t0=${t0} t1=${t1} t2=${t2} t3=${t3} → server clock ahead by ${offset} ms`);

// 5. A seeded stream of awkward payloads (astral text, ZWJ emoji, -0-free floats, base64, bytes…).
let bytes = 0;
for (const frame of mixedStream(1_000, 7)) {
  const binary = encodeFrame(frame);
  bytes += binary.length;
  const a = decodeFrame(binary);
  const b = decodeJsonFrame(encodeJsonFrame(frame));
  check(
    crc32c(encodeFrame(a)) === crc32c(binary),
    `frame ${frame.seq} on "${frame.channel}" re-encodes identically`,
  );
  check(
    encodeJsonFrame(b) === encodeJsonFrame(frame),
    `frame ${frame.seq} on "${frame.channel}" survives the envelope`,
  );
}
console.log(`mixed stream: 1000 frames, ${bytes} bytes, all intact through both codecs`);
