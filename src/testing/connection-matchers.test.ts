import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import '../vitest.js';
import { ManualClock } from '../clock/index.js';
import { toBeOpen, toHaveClosedWith } from './connection-matchers.js';
import { failureOf, type Harness, startHarness } from './test-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('toBeOpen and toBeClosed', () => {
  it('see an open MockConnection and an open ws client', async () => {
    h = await startHarness();
    expect(h.connection).toBeOpen();
    expect(h.connection).not.toBeClosed();
    expect(h.client).toBeOpen();
    expect(h.client).not.toBeClosed();
  });

  it('see a closed MockConnection and a closed ws client', async () => {
    h = await startHarness();
    const clientClosed = new Promise((resolve) => h!.client.once('close', resolve));
    h.client.close(1000);
    await h.connection.closed();
    await clientClosed;
    expect(h.connection).toBeClosed();
    expect(h.connection).not.toBeOpen();
    expect(h.client).toBeClosed();
    expect(h.client).not.toBeOpen();
  });

  it('fail with the state the subject is in', async () => {
    h = await startHarness();
    expect(await failureOf(() => expect(h!.connection).toBeClosed())).toBe(
      'expected connection c1 to be closed, but it is open',
    );
    expect(await failureOf(() => expect(h!.connection).not.toBeOpen())).toBe(
      'expected connection c1 not to be open, but it is open',
    );
    expect(await failureOf(() => expect(h!.client).toBeClosed())).toBe(
      `expected WebSocket ${h.client.url} to be closed, but it is open`,
    );
    h.client.close();
    expect(await failureOf(() => expect(h!.client).toBeClosed())).toBe(
      `expected WebSocket ${h.client.url} to be closed, but it is closing`,
    );
  });

  it('name a connecting WebSocket as connecting, and work with a browser-like object', async () => {
    h = await startHarness();
    const connecting = new WebSocket(h.server.url);
    connecting.on('error', () => {}); // terminate() before the handshake reports an error
    try {
      expect(await failureOf(() => expect(connecting).toBeOpen())).toBe(
        `expected WebSocket ${connecting.url} to be open, but it is connecting`,
      );
    } finally {
      connecting.terminate();
    }
    expect({ readyState: 1 }).toBeOpen();
    expect({ readyState: 3, url: '' }).toBeClosed();
  });

  it('reject anything that is not a connection or a WebSocket', () => {
    expect(() => toBeOpen.call(undefined, { isOpen: true })).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'toBeOpen() expects a MockConnection or a WebSocket (with readyState), got object',
      }),
    );
  });
});

describe('toHaveClosedWith', () => {
  it('waits for a MockConnection to close and checks its code', async () => {
    h = await startHarness();
    const assertion = expect(h.connection).toHaveClosedWith(4001);
    h.client.close(4001, 'bye');
    await assertion;
    await expect(h.connection).toHaveClosedWith(4001);
  });

  it('fails with the code and reason the connection closed with', async () => {
    h = await startHarness();
    h.client.close(4001, 'bye');
    await h.connection.closed();
    expect(await failureOf(() => expect(h!.connection).toHaveClosedWith(1000))).toBe(
      'expected connection c1 to close with code 1000, but it closed with code 4001 ("bye")',
    );
    expect(await failureOf(() => expect(h!.connection).not.toHaveClosedWith(4001))).toBe(
      'expected connection c1 not to close with code 4001, but it did ("bye")',
    );
    await expect(h.connection).not.toHaveClosedWith(1000);
  });

  it('fails when the connection is still open after the timeout', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    const failure = failureOf(() => expect(h!.connection).toHaveClosedWith(1000, { timeoutMs: 50 }));
    clock.advance(50);
    expect(await failure).toBe(
      'expected connection c1 to close with code 1000 within 50 ms, but it is still open',
    );
  });

  it("names the connection's default timeout", async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, timeoutMs: 25 });
    const failure = failureOf(() => expect(h!.connection).toHaveClosedWith(1000));
    clock.advance(25);
    expect(await failure).toBe(
      'expected connection c1 to close with code 1000 within 25 ms, but it is still open',
    );
  });

  it('waits for the close event of a ws client', async () => {
    h = await startHarness();
    const assertion = expect(h.client).toHaveClosedWith(4002);
    h.server.drop(h.connection, { code: 4002, reason: 'kicked' });
    await assertion;
  });

  it('fails for a ws client that closes with another code', async () => {
    h = await startHarness();
    const failure = failureOf(() => expect(h!.client).toHaveClosedWith(1000));
    h.server.drop(h.connection, { code: 4003, reason: 'kicked' });
    expect(await failure).toBe(
      `expected WebSocket ${h.client.url} to close with code 1000, but it closed with code 4003 ("kicked")`,
    );
  });

  it('fails for a ws client still open after the timeout', async () => {
    h = await startHarness();
    expect(await failureOf(() => expect(h!.client).toHaveClosedWith(1000, { timeoutMs: 5 }))).toBe(
      `expected WebSocket ${h.client.url} to close with code 1000 within 5 ms, but it is still open`,
    );
  });

  it('refuses a WebSocket that has already closed, whose code is gone', async () => {
    await expect(toHaveClosedWith.call(undefined, { readyState: 3 }, 1000)).rejects.toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message:
        'toHaveClosedWith(): WebSocket had already closed, and a WebSocket does not keep its close code; ' +
        'call the matcher before it closes (it waits for the close event)',
    });
  });

  it('rejects a code that is not an integer', async () => {
    h = await startHarness();
    await expect(toHaveClosedWith.call(undefined, h.connection, 1000.5)).rejects.toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'toHaveClosedWith code must be an integer >= 0, got 1000.5',
    });
  });
});
