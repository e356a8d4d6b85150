/**
 * ChaosProxy corrupting semantest-v1 traffic between a ResilientClient and a MockServer: every
 * flipped bit is caught by the frame's CRC32C, nacked and resent, so the application still gets
 * every message exactly once — and the checksum failures equal the corruptions the proxy logged.
 */
import { describe, expect, it } from 'vitest';
import { ResilientClient } from '../../src/client/index.js';
import { ChaosProxy, type MessageInfo } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { faultsOf } from './proxy-helpers.js';

const CHANNEL = 'c';
/** A semantest-v1 data frame: 25 header bytes, the channel, the payload, 4 CRC bytes. */
const PAYLOAD_BYTES = 1024;
const HEADER_BITS = (25 + CHANNEL.length) * 8;
const FRAME_BITS = (25 + CHANNEL.length + PAYLOAD_BYTES + 4) * 8;

/** A binary payload of fixed size (so every frame has the same bit count) naming message `id`. */
function payload(id: number): Uint8Array {
  const bytes = new Uint8Array(PAYLOAD_BYTES).fill(id & 0xff);
  new DataView(bytes.buffer).setUint32(0, id);
  return bytes;
}

const idOf = (data: unknown) =>
  new DataView((data as Uint8Array).buffer, (data as Uint8Array).byteOffset).getUint32(0);

/** Every fifth semantest-v1 data frame (kind byte 1) — never hello, welcome, acks or nacks. */
const everyFifthData = (m: MessageInfo) => m.payload()[1] === 1 && m.index % 5 === 0;

describe('ChaosProxy corruption under semantest-v1', { timeout: 15_000 }, () => {
  it('client → server: each flipped bit fails the CRC32C, is nacked and resent; the server gets every message once', async () => {
    await using server = await MockServer.start({
      protocols: ['semantest-v1'],
      protocol: { nackGaps: false }, // so every nack answers a checksum failure
    });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 3,
      toServer: { corrupt: everyFifthData },
    });
    await using client = new ResilientClient(proxy.url, { heartbeat: false, ack: { timeoutMs: 1000 } });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    await client.opened();
    const n = 100;
    for (let id = 0; id < n; id++) void client.send(payload(id), { channel: CHANNEL });
    await client.drained({ timeoutMs: 10_000 });

    const ids = server.messages.map((m) => idOf(m.data));
    expect(ids).toEqual(Array.from({ length: n }, (_, id) => id));
    for (const m of server.messages)
      expect(Buffer.from(payload(idOf(m.data))).equals(m.data as Uint8Array)).toBe(true);
    const corrupt = faultsOf(proxy, 'corrupt');
    expect(corrupt.length).toBeGreaterThanOrEqual(15);
    // (the seed puts every flipped bit past the header, where a nack can still name the frame)
    for (const f of corrupt) {
      expect(f.direction).toBe('toServer');
      expect(Number(f.detail!.bit)).toBeGreaterThanOrEqual(HEADER_BITS);
      expect(Number(f.detail!.bit)).toBeLessThan(FRAME_BITS);
    }
    expect(server.stats().nacks).toBe(corrupt.length);
    expect(client.stats().resends).toBe(corrupt.length);
    expect(errors).toEqual([]);
  });

  it('server → client: the client catches each corruption, nacks it, and delivers every message once', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 9,
      toClient: { corrupt: everyFifthData },
    });
    await using client = new ResilientClient(proxy.url, { heartbeat: false });
    const checksumErrors: string[] = [];
    client.on('error', (e) => checksumErrors.push((e as { code?: string }).code ?? e.message));
    const got: number[] = [];
    client.on('message', (m) => got.push(idOf(m.data)));
    await client.opened();
    const connection = await server.nextConnection();
    const n = 100;
    for (let id = 0; id < n; id++) server.send(connection, payload(id), { channel: CHANNEL });
    await expect.poll(() => got.length).toBe(n);
    expect(got).toEqual(Array.from({ length: n }, (_, id) => id));
    const corrupt = faultsOf(proxy, 'corrupt');
    expect(corrupt.length).toBeGreaterThanOrEqual(15);
    for (const f of corrupt) expect(Number(f.detail!.bit)).toBeGreaterThanOrEqual(HEADER_BITS);
    expect(checksumErrors).toEqual(corrupt.map(() => 'WS_KIT_ERR_FRAME_CHECKSUM'));
  });
});
