import { describe, expect, it, vi } from 'vitest';
import { type ClientOverflowEvent, ResilientClient } from '../../src/client/index.js';
import { ManualClock } from '../../src/clock/index.js';
import type { WsKitError } from '../../src/errors.js';
import { welcomeFrame } from '../../src/framing/control-frames.js';
import { encodeFrame } from '../../src/framing/frame-codec.js';
import { MockServer } from '../../src/server/index.js';
import { activeNetworkAndTimers, deadPort, leftAfterSettling } from './server-helpers.js';

describe('ResilientClient: close() from its own listeners', { timeout: 10_000 }, () => {
  it('close() in the state listener of connect() starts no attempt and no timer', async () => {
    const clock = new ManualClock();
    let urls = 0;
    const client = new ResilientClient(
      () => {
        urls++;
        return 'ws://127.0.0.1:9';
      },
      { autoConnect: false, clock },
    );
    const events: string[] = [];
    client.on('state', (s) => {
      events.push(`${s.from}>${s.to}`);
      if (s.to === 'connecting') void client.close();
    });
    client.connect();
    await client.close();
    await Promise.resolve();
    expect(events).toEqual(['idle>connecting', 'connecting>closed']);
    expect(urls).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() in a reconnecting listener leaves no retry timer: no attempt after it', async () => {
    const clock = new ManualClock();
    const port = await deadPort();
    let urls = 0;
    const client = new ResilientClient(
      () => {
        urls++;
        return `ws://127.0.0.1:${port}`;
      },
      { clock, heartbeat: false, backoff: { initialMs: 100, jitter: 'none' } },
    );
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.on('reconnecting', () => void client.close());
    await closed;
    expect(client.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(urls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() in the state listener of open emits no open after close', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = new ResilientClient(server.url, { heartbeat: false });
    const events: string[] = [];
    client.on('state', (s) => {
      events.push(`state:${s.to}`);
      if (s.to === 'open') void client.close();
    });
    client.on('open', () => events.push('open'));
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.on('close', () => events.push('close'));
    await closed;
    await client.close();
    expect(events).toEqual(['state:open', 'state:closed', 'close']); // 'connecting' came in the constructor
  });

  it('close() in a message listener stops delivery and leaves no ack timer', async () => {
    const before = activeNetworkAndTimers();
    const server = await MockServer.start({ protocols: ['semantest-v1'] });
    const client = new ResilientClient(server.url, { heartbeat: false });
    const connection = await server.nextConnection();
    await client.opened();
    const seen: unknown[] = [];
    client.on('message', (m) => {
      seen.push(m.data);
      void client.close();
    });
    const closed = new Promise((resolve) => client.once('close', resolve));
    for (const text of ['a', 'b', 'c']) connection.send(text);
    await closed;
    await client.close();
    await server.close();
    expect(seen).toEqual(['a']);
    expect(await leftAfterSettling(before)).toEqual([]);
  });
});

describe('ResilientClient: overflow listeners that call back', { timeout: 10_000 }, () => {
  it('a send() from an overflow listener cannot push the buffer past maxMessages', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxMessages: 2, overflow: 'drop-oldest' },
    });
    const events: ClientOverflowEvent[] = [];
    let resent = false;
    client.on('overflow', (e) => {
      events.push(e);
      expect(client.stats().unacked).toBeLessThanOrEqual(2);
      if (!resent) {
        resent = true;
        void client.send('from the listener').catch(() => undefined);
      }
    });
    for (const text of ['a', 'b', 'c']) void client.send(text).catch(() => undefined);
    expect(client.stats().unacked).toBe(2);
    expect(events.map((e) => e.dropped)).toEqual([1, 1]);
    await client.close();
  });

  it('close() from an overflow listener settles the message being sent', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxMessages: 1, overflow: 'drop-oldest' },
    });
    client.on('overflow', () => void client.close());
    const first = client.send('a');
    const second = client.send('b');
    await expect(first).rejects.toMatchObject({ code: 'WS_KIT_ERR_BUFFER_OVERFLOW' });
    await expect(second).rejects.toMatchObject({ code: 'WS_KIT_ERR_CONNECTION_CLOSED' });
    expect(client.stats().unacked).toBe(0);
  });

  it('drop-oldest honours both bounds at once, dropping the fewest oldest messages', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', {
      autoConnect: false,
      buffer: { maxMessages: 3, maxBytes: 100, overflow: 'drop-oldest' },
    });
    const dropped: number[] = [];
    client.on('overflow', (e) => dropped.push(e.dropped));
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'ok',
        () => 'rejected',
      );
    const held = [10, 10, 70].map((n) => outcome(client.send(new Uint8Array(n))));
    void client.send(new Uint8Array(30)); // needs one slot and 20 bytes: both 10s go
    expect(dropped).toEqual([2]);
    expect(client.stats().unacked).toBe(2);
    await client.close();
    expect(await Promise.all(held)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

describe('ResilientClient: throwing listeners while a connection is lost', { timeout: 10_000 }, () => {
  it('reconnects when state, reconnecting and close-path listeners throw, reporting each throw', async () => {
    await using server = await MockServer.start({ protocols: ['semantest-v1'] });
    await using client = new ResilientClient(server.url, { backoff: { initialMs: 1, maxMs: 1 } });
    await client.opened();
    const errors: string[] = [];
    client.on('error', (e) => errors.push((e as WsKitError).message));
    client.on('state', (s) => {
      throw new Error(`state ${s.to}`);
    });
    client.on('reconnecting', () => {
      throw new Error('reconnecting');
    });
    const reconnected = new Promise((resolve) => client.once('reconnected', resolve));
    server.drop(await server.nextConnection(), { code: 1012 });
    await reconnected;
    expect(client.state).toBe('open');
    expect(errors.map((m) => m.replace(/^ResilientClient: (a '\w+' listener) threw .*: /, '$1: '))).toEqual([
      "a 'state' listener: state reconnecting",
      "a 'reconnecting' listener: reconnecting",
      "a 'state' listener: state open",
    ]);
    await client.send('still works');
  });

  it('closes with an error event when shouldReconnect throws', async () => {
    const port = await deadPort();
    const client = new ResilientClient(`ws://127.0.0.1:${port}`, {
      shouldReconnect: () => {
        throw new Error('policy bug');
      },
    });
    const error = new Promise<WsKitError>((resolve) => client.once('error', (e) => resolve(e as WsKitError)));
    const closed = new Promise<{ kind: string }>((resolve) => client.once('close', resolve));
    expect(await error).toMatchObject({ code: 'WS_KIT_ERR_INTERNAL' });
    expect((await error).message).toMatch(/shouldReconnect\(\) threw \(the client closes\): policy bug/);
    expect((await closed).kind).toBe('error');
    expect(client.state).toBe('closed');
  });
});

/**
 * A browser-like WebSocket the test drives by hand: browsers still dispatch messages that were
 * queued when a close frame arrived, while `readyState` already says CLOSING — `ws` cannot show that.
 */
class HandDrivenSocket {
  static last: HandDrivenSocket | undefined;
  readyState = 0;
  protocol = 'semantest-v1';
  binaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    HandDrivenSocket.last = this;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
}

describe('ResilientClient and a welcome delivered while CLOSING', () => {
  it('ignores a duplicated welcome that a browser delivers after the close frame', async () => {
    const client = new ResilientClient('ws://127.0.0.1:9', { WebSocket: HandDrivenSocket, heartbeat: false });
    await vi.waitFor(() => expect(HandDrivenSocket.last).toBeDefined());
    const socket = HandDrivenSocket.last!;
    let reconnected = 0;
    client.on('reconnected', () => reconnected++);
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    socket.open();
    const welcome = encodeFrame(welcomeFrame({ sessionId: 's1', version: 1, lastSeq: {} }, 0));
    socket.deliver(welcome);
    expect(client.state).toBe('open');
    socket.readyState = 2; // the server's close frame arrived; the close event has not yet
    socket.deliver(welcome);
    expect(reconnected).toBe(0);
    expect(client.stats().reconnects).toBe(0);
    expect(errors).toEqual(["ResilientClient: unexpected 'welcome' frame on a welcomed connection; ignored"]);
    await client.close();
  });
});
