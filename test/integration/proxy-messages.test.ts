/**
 * ChaosProxy frame-level faults on real WebSocket traffic (ws clients, MockServer upstream): drop,
 * duplicate, corrupt, delay and reorder of whole data messages — masked client frames, fragmented
 * messages, control frames untouched — with the fault log as ground truth. The tests that depend on
 * when a held message's timer fires run the proxy on a ManualClock, so a busy machine cannot change
 * what they see.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { ChaosProxy } from '../../src/proxy/index.js';
import { MockServer } from '../../src/server/index.js';
import { faultsOf, openClient, record, until, within } from './proxy-helpers.js';

const bytesOf = (data: unknown): Uint8Array => {
  if (!(data instanceof Uint8Array)) throw new Error(`expected bytes, got ${typeof data}`);
  return data;
};

/** The bit positions (0 = the first byte's most significant bit) where a and b differ. */
function differingBits(a: Uint8Array, b: Uint8Array): number[] {
  expect(b.byteLength).toBe(a.byteLength);
  const bits: number[] = [];
  for (let i = 0; i < a.byteLength; i++) {
    const x = a[i]! ^ b[i]!;
    for (let k = 0; k < 8; k++) if (x & (0x80 >>> k)) bits.push(i * 8 + k);
  }
  return bits;
}

const payload = (n: number, salt = 0) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + salt) & 0xff));

describe('ChaosProxy message faults', { timeout: 10_000 }, () => {
  it('drops exactly the messages picked, each way, and logs each', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { drop: (m) => m.index === 1 },
      toClient: { drop: (m) => m.index === 0 || m.index === 3 },
    });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const got = record(ws);
    for (let i = 0; i < 4; i++) {
      ws.send(`up${i}`);
      connection.send(`down${i}`);
    }
    await until(ws, () => got.length === 2);
    await expect.poll(() => server.messages.length).toBe(3);
    await expect.poll(() => proxy.stats().toClient.messages).toBe(4);
    expect(server.messages.map((m) => m.data)).toEqual(['up0', 'up2', 'up3']);
    expect(got.map((m) => m.data)).toEqual(['down1', 'down2']);
    const log = proxy.faults.map((f) => `${f.kind} ${f.direction} ${f.message}`).sort();
    expect(log).toEqual(['drop toClient 0', 'drop toClient 3', 'drop toServer 1']);
    expect(proxy.stats().faults).toEqual({ drop: 3 });
    ws.close();
  });

  it('duplicates a message: the receiver gets two adjacent copies', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { duplicate: (m) => m.index === 1 },
    });
    const ws = await openClient(proxy.url);
    for (let i = 0; i < 3; i++) ws.send(`m${i}`);
    await expect.poll(() => server.messages.length).toBe(4);
    expect(server.messages.map((m) => m.data)).toEqual(['m0', 'm1', 'm1', 'm2']);
    expect(faultsOf(proxy, 'duplicate')).toMatchObject([{ direction: 'toServer', message: 1 }]);
    ws.close();
  });

  it('corrupts exactly one payload bit of a masked client frame, the one logged', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 11,
      toServer: { corrupt: (m) => m.index === 1 },
    });
    const ws = await openClient(proxy.url);
    const sent = [payload(64, 1), payload(64, 2), payload(64, 3)];
    for (const p of sent) ws.send(p);
    await expect.poll(() => server.messages.length).toBe(3);
    const got = server.messages.map((m) => bytesOf(m.data));
    expect(differingBits(sent[0]!, got[0]!)).toEqual([]);
    expect(differingBits(sent[2]!, got[2]!)).toEqual([]);
    const [corrupt] = faultsOf(proxy, 'corrupt');
    expect(corrupt).toMatchObject({ direction: 'toServer', message: 1, detail: { frame: 0 } });
    expect(differingBits(sent[1]!, got[1]!)).toEqual([corrupt!.detail!.bit]);
    ws.close();
  });

  it('corrupts exactly one payload bit of an unmasked server frame', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({ target: server.url, seed: 5, toClient: { corrupt: 1 } });
    const ws = await openClient(proxy.url);
    const connection = await server.nextConnection();
    const got = record(ws);
    const sent = [payload(200, 9), payload(5, 4)];
    for (const p of sent) connection.send(new Uint8Array(p));
    await until(ws, () => got.length === 2);
    const corrupt = faultsOf(proxy, 'corrupt');
    expect(corrupt.map((f) => f.message)).toEqual([0, 1]);
    sent.forEach((p, i) => {
      expect(differingBits(p, bytesOf(got[i]!.data))).toEqual([corrupt[i]!.detail!.bit]);
    });
    ws.close();
  });

  it('delays a message by delayMs while the later ones pass it', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      clock,
      toServer: { delay: (m) => m.index === 0, delayMs: 150 },
    });
    const ws = await openClient(proxy.url);
    for (let i = 0; i < 5; i++) ws.send(`m${i}`);
    await expect.poll(() => server.messages.length).toBe(4); // no time has passed on the proxy's clock
    expect(server.messages.map((m) => m.data)).toEqual(['m1', 'm2', 'm3', 'm4']);
    const out = proxy.stats().toServer.bytesOut;
    clock.advance(149);
    expect(proxy.stats().toServer.bytesOut).toBe(out); // m0 still held
    clock.advance(1);
    expect(proxy.stats().toServer.bytesOut).toBeGreaterThan(out);
    await expect.poll(() => server.messages.length).toBe(5);
    expect(server.messages.map((m) => m.data)).toEqual(['m1', 'm2', 'm3', 'm4', 'm0']);
    expect(faultsOf(proxy, 'delay')).toMatchObject([
      { message: 0, atMs: 150, detail: { ms: 150, after: 4 } },
    ]);
    ws.close();
  });

  it('logs a reorder that no later message passed (its timer came first) as the delay it was', async () => {
    const clock = new ManualClock();
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      clock,
      toServer: { reorder: (m) => m.index === 0 || m.index === 1, reorderWindow: 1, reorderMaxMs: 60 },
    });
    const ws = await openClient(proxy.url);
    ws.send('m0');
    await expect.poll(() => proxy.stats().toServer.messages).toBe(1);
    clock.advance(60); // nothing passed m0 before its timer fired
    await expect.poll(() => server.messages.length).toBe(1); // released by its timer, alone
    expect(faultsOf(proxy, 'reorder')).toEqual([]);
    expect(faultsOf(proxy, 'delay')).toMatchObject([{ message: 0, detail: { ms: 60, after: 0 } }]);
    // m1's timer cannot fire before m2 arrives, however late the proxy reads it
    ws.send('m1');
    ws.send('m2'); // passes m1, which is then released behind it: a real reorder
    await expect.poll(() => server.messages.length).toBe(3);
    expect(server.messages.map((m) => m.data)).toEqual(['m0', 'm2', 'm1']);
    expect(faultsOf(proxy, 'reorder')).toMatchObject([{ message: 1, detail: { after: 1 } }]);
    expect(proxy.stats().faults).toMatchObject({ reorder: 1, delay: 1 });
    ws.close();
  });

  it('reorders a message behind exactly `after` (1..window) later ones', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      seed: 4,
      toServer: { reorder: (m) => m.index === 2 || m.index === 10, reorderWindow: 4, reorderMaxMs: 2000 },
    });
    const ws = await openClient(proxy.url);
    for (let i = 0; i < 20; i++) ws.send(`m${i}`);
    await expect.poll(() => server.messages.length).toBe(20);
    const order = server.messages.map((m) => m.data);
    const records = faultsOf(proxy, 'reorder');
    expect(records.map((f) => f.message)).toEqual([2, 10]);
    for (const f of records) {
      const after = Number(f.detail!.after);
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(4);
      // it arrives right after the `after` messages that followed it
      expect(order.indexOf(`m${f.message}`)).toBe(f.message! + after);
    }
    ws.close();
  });

  it('logs a message still held when its connection is reset as a drop, naming the fault that held it', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: {
        reorder: (m) => m.index === 1,
        delay: (m) => m.index === 2,
        reorderMaxMs: 5000,
        delayMs: 5000,
      },
    });
    const ws = await openClient(proxy.url);
    for (let i = 0; i < 3; i++) ws.send(`m${i}`);
    await expect.poll(() => proxy.stats().toServer.messages).toBe(3);
    await expect.poll(() => server.messages.length).toBe(1);
    const closed = new Promise((resolve) => ws.once('close', resolve));
    proxy.reset();
    await closed;
    expect(faultsOf(proxy, 'drop')).toMatchObject([
      { message: 1, detail: { held: 'reorder' } },
      { message: 2, detail: { held: 'delay' } },
    ]);
    expect([faultsOf(proxy, 'reorder'), faultsOf(proxy, 'delay')]).toEqual([[], []]);
    expect(server.messages.map((m) => m.data)).toEqual(['m0']);
  });

  it('logs a message still held when the proxy stops the connection (timeout, upstream removed) as a drop', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { delay: (m) => m.index === 1, delayMs: 5000 },
    });
    const ws1 = await openClient(proxy.url);
    ws1.send('m0');
    ws1.send('m1');
    await expect.poll(() => server.messages.length).toBe(1);
    proxy.timeout(0); // a black hole: the held message can never go out
    expect(faultsOf(proxy, 'drop')).toMatchObject([{ connection: 1, message: 1, detail: { held: 'delay' } }]);
    ws1.terminate();
    const ws2 = await openClient(proxy.url);
    ws2.send('m0');
    ws2.send('m1');
    await expect.poll(() => server.messages.length).toBe(2);
    const closed = new Promise((resolve) => ws2.once('close', resolve));
    proxy.upstream(0).remove(); // the proxy closes the connection: what it held is thrown away
    expect(faultsOf(proxy, 'drop')).toMatchObject([
      { connection: 1, message: 1, detail: { held: 'delay' } },
      { connection: 2, message: 1, detail: { held: 'delay' } },
    ]);
    await closed;
    expect(faultsOf(proxy, 'delay')).toEqual([]);
  });

  it('reorders two messages in a row: each arrives after a later one, not just the first ahead of the second', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { reorder: (m) => m.index === 2 || m.index === 3, reorderWindow: 1, reorderMaxMs: 2000 },
    });
    const ws = await openClient(proxy.url);
    for (let i = 0; i < 6; i++) ws.send(`m${i}`);
    await expect.poll(() => server.messages.length).toBe(6);
    expect(server.messages.map((m) => m.data)).toEqual(['m0', 'm1', 'm4', 'm2', 'm3', 'm5']);
    ws.close();
  });

  it('treats a fragmented message as one: faulted whole, control frames between fragments untouched', async () => {
    await using server = await MockServer.start();
    await using proxy = await ChaosProxy.start({
      target: server.url,
      toServer: { duplicate: (m) => m.index === 0, drop: (m) => m.index === 1 },
    });
    const ws = await openClient(proxy.url);
    const pong = within(
      new Promise<string>((resolve) => ws.once('pong', (d: Buffer) => resolve(d.toString()))),
      2000,
      'pong',
    );
    ws.send('abc', { fin: false });
    ws.ping('between');
    ws.send('def', { fin: false });
    ws.send('ghi', { fin: true });
    ws.send('dropped', { fin: false });
    ws.send('!', { fin: true });
    ws.send('last');
    expect(await pong).toBe('between');
    await expect.poll(() => server.messages.length).toBe(3);
    expect(server.messages.map((m) => m.data)).toEqual(['abcdefghi', 'abcdefghi', 'last']);
    const s = proxy.stats().toServer;
    expect(s.messages).toBe(3);
    expect(s.frames).toBe(3 + 1 + 2 + 1); // data frames + the ping
    expect(proxy.faults.map((f) => `${f.kind} ${f.message}`)).toEqual(['duplicate 0', 'drop 1']);
    ws.close();
  });

  it('never faults control frames: pings and pongs pass while every data message is dropped', async () => {
    await using server = await MockServer.start({ echo: true });
    await using proxy = await ChaosProxy.start({ target: server.url, both: { drop: 1 } });
    const ws = await openClient(proxy.url);
    const pongs: string[] = [];
    ws.on('pong', (d: Buffer) => pongs.push(d.toString()));
    const got = record(ws);
    ws.send('data');
    for (let i = 0; i < 3; i++) ws.ping(`p${i}`);
    await expect.poll(() => pongs).toEqual(['p0', 'p1', 'p2']);
    expect(got).toHaveLength(0);
    expect(server.messages).toHaveLength(0);
    expect(proxy.faults.map((f) => `${f.kind} ${f.direction} ${f.message}`)).toEqual(['drop toServer 0']);
    expect(proxy.stats().toServer.frames).toBe(4);
    expect(proxy.stats().toClient.frames).toBe(3);
    ws.close();
  });
});
