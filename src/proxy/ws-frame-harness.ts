/** Test helpers for the frame scanner and frame header tests (not exported from the package). */
import { once } from 'node:events';
import net from 'node:net';
import * as ws from 'ws';

/** How {@link frame} builds a frame; every field optional. */
export interface FrameSpec {
  readonly opcode?: number;
  readonly fin?: boolean;
  readonly rsv1?: boolean;
  readonly mask?: readonly number[];
}
type SenderOptions = {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
  generateMask: (mask: Buffer) => void;
};
/** `ws`'s frame builder and parser, exported by `ws` but missing from @types/ws. */
const { Sender, Receiver: WsReceiver } = ws as unknown as {
  Sender: { frame: (data: Buffer, options: SenderOptions) => Buffer[] };
  Receiver: new (options: { isServer: boolean }) => NodeJS.WritableStream;
};
/** `ws`'s frame parser: write raw frames to it, it emits each `message`. */
export const Receiver = WsReceiver;

/** One frame built by `ws`'s own `Sender.frame` (binary, FIN, unmasked unless `mask` is given). */
export function frame(payload: Uint8Array | string, spec: FrameSpec = {}): Uint8Array {
  const { opcode = 2, fin = true, rsv1 = false, mask } = spec;
  const data = Buffer.from(typeof payload === 'string' ? Buffer.from(payload) : payload); // masking writes in place
  const parts = Sender.frame(data, {
    fin,
    opcode,
    rsv1,
    mask: mask !== undefined,
    readOnly: false,
    generateMask: (m) => m.set(mask ?? []),
  });
  return new Uint8Array(Buffer.concat(parts));
}

/** @returns the parts as one array */
export const cat = (...parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
/** @returns the bytes as lowercase hex */
export const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
/** A masking key for {@link FrameSpec.mask}. */
export const MASK = [0x37, 0xfa, 0x21, 0x3d];

/** Runs a real `ws` client and server through a recording TCP tap on loopback; returns both directions' chunks. */
export async function captureRealSession(): Promise<{ toServer: Buffer[]; toClient: Buffer[] }> {
  const wss = new ws.WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
  await once(wss, 'listening');
  wss.on('connection', (peer) => peer.on('message', (data, binary) => peer.send(data as Buffer, { binary })));
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const tap = net.createServer((down) => {
    const up = net.connect((wss.address() as net.AddressInfo).port, '127.0.0.1');
    const relay = (from: net.Socket, to: net.Socket, record: Buffer[]) => {
      from.on('data', (c: Buffer) => {
        record.push(c);
        to.write(c);
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
    };
    relay(down, up, toServer);
    relay(up, down, toClient);
  });
  tap.listen(0, '127.0.0.1');
  await once(tap, 'listening');
  const url = `ws://127.0.0.1:${(tap.address() as net.AddressInfo).port}/chat`;
  const client = new ws.WebSocket(url, { perMessageDeflate: { threshold: 0 } });
  await once(client, 'open');
  const echo = () => once(client, 'message');
  client.send('hello');
  await echo();
  client.send(new Uint8Array(70_000).fill(7), { compress: false });
  await echo();
  const pong = once(client, 'pong');
  client.send('part1', { fin: false, compress: false });
  client.ping('p');
  client.send('part2', { fin: true, compress: false });
  await Promise.all([pong, echo()]);
  client.close(1000);
  await once(client, 'close');
  await new Promise((resolve) => tap.close(resolve));
  await new Promise((resolve) => wss.close(resolve));
  return { toServer, toClient };
}
