import { afterEach, describe, expect, it } from 'vitest';
import '../vitest.js';
import { ManualClock } from '../clock/index.js';
import { OptionsError } from '../errors.js';
import { toHaveReceivedMessages, toReceiveMessage } from './message-matchers.js';
import { failureOf, type Harness, startHarness } from './test-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function sendAll(...messages: (string | Uint8Array)[]): Promise<void> {
  const { client, server } = h!;
  for (const m of messages) client.send(m);
  const count = server.messages.length + messages.length;
  await server.waitFor(() => server.messages.length >= count);
}

describe('toReceiveMessage', () => {
  it('passes for a message that arrived before the call', async () => {
    h = await startHarness();
    await sendAll('hello');
    await expect(h.server).toReceiveMessage('hello');
  });

  it('waits for a message that arrives after the call', async () => {
    h = await startHarness();
    const assertion = expect(h.server).toReceiveMessage('late');
    h.client.send('late');
    await assertion;
  });

  it('matches JSON text with an asymmetric matcher', async () => {
    h = await startHarness();
    h.client.send(JSON.stringify({ type: 'hello', id: 7 }));
    await expect(h.server).toReceiveMessage(expect.objectContaining({ type: 'hello' }));
    await expect(h.server).toReceiveMessage({ type: 'hello', id: 7 });
  });

  it('matches text with a RegExp and bytes by content', async () => {
    h = await startHarness();
    h.client.send('order 42 filled');
    h.client.send(new Uint8Array([1, 2, 3]));
    await expect(h.server).toReceiveMessage(/^order \d+ filled$/);
    await expect(h.server).toReceiveMessage(new Uint8Array([1, 2, 3]));
  });

  it('waits on one connection when given a MockConnection', async () => {
    h = await startHarness();
    h.client.send('mine');
    await expect(h.connection).toReceiveMessage('mine');
  });

  it('fails after the timeout, listing what arrived instead', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    await sendAll('a', 'b');
    const failure = failureOf(() => expect(h!.server).toReceiveMessage({ type: 'hello' }, { timeoutMs: 50 }));
    clock.advance(50);
    expect(await failure).toBe(
      'expected server to receive a message matching {"type":"hello"} within 50 ms\n' +
        'received 2 messages: c1:"a", c1:"b"',
    );
  });

  it("names the server's default timeout and says when nothing arrived", async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock, timeoutMs: 30 });
    const failure = failureOf(() => expect(h!.connection).toReceiveMessage(expect.stringContaining('x')));
    clock.advance(30);
    expect(await failure).toBe(
      'expected connection c1 to receive a message matching StringContaining "x" within 30 ms\n' +
        'received no messages',
    );
  });

  it('fails at once when the connection closes while it waits', async () => {
    h = await startHarness();
    const failure = failureOf(() => expect(h!.connection).toReceiveMessage('never'));
    h.client.close(1000);
    expect(await failure).toBe(
      'expected connection c1 to receive a message matching "never", but connection c1 closed with code 1000\n' +
        'received no messages',
    );
  });

  it('passes under .not when no message matches within the timeout', async () => {
    const clock = new ManualClock();
    h = await startHarness({ clock });
    await sendAll('other');
    const assertion = expect(h.server).not.toReceiveMessage('forbidden', { timeoutMs: 100 });
    clock.advance(100);
    await assertion;
  });

  it('fails under .not, naming the message that matched', async () => {
    h = await startHarness();
    await sendAll('forbidden');
    expect(await failureOf(() => expect(h!.server).not.toReceiveMessage('forbidden'))).toBe(
      'expected server not to receive a message matching "forbidden", but it received c1:"forbidden"',
    );
  });

  it('rejects a subject that is not a server or connection, and a bad timeout', async () => {
    h = await startHarness();
    const bad = toReceiveMessage.call(undefined, 'server', 'a');
    await expect(bad).rejects.toThrow(OptionsError);
    await expect(bad).rejects.toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'toReceiveMessage() expects a MockServer or a MockConnection, got string',
    });
    await expect(toReceiveMessage.call(undefined, h.server, 'a', { timeoutMs: 0 })).rejects.toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message: 'timeoutMs must be a finite number > 0, got 0',
    });
  });
});

describe('toHaveReceivedMessages', () => {
  it('passes for exactly the listed messages in order', async () => {
    h = await startHarness();
    await sendAll('a', JSON.stringify({ n: 1 }), new Uint8Array([9]));
    expect(h.server).toHaveReceivedMessages(['a', { n: 1 }, new Uint8Array([9])]);
    expect(h.connection).toHaveReceivedMessages(['a', expect.anything(), expect.any(Uint8Array)]);
  });

  it('fails when the order differs, naming the first difference', async () => {
    h = await startHarness();
    await sendAll('b', 'a');
    expect(await failureOf(() => expect(h!.server).toHaveReceivedMessages(['a', 'b']))).toBe(
      'expected server to have received 2 messages in order: "a", "b"\n' +
        'received 2 messages: c1:"b", c1:"a"\n' +
        'first difference at index 0: expected "a", received c1:"b"',
    );
  });

  it('fails when a message is missing or extra', async () => {
    h = await startHarness();
    await sendAll('a');
    expect(await failureOf(() => expect(h!.server).toHaveReceivedMessages(['a', 'b']))).toBe(
      'expected server to have received 2 messages in order: "a", "b"\n' +
        'received 1 message: c1:"a"\n' +
        'first difference at index 1: expected "b", received nothing more',
    );
    await sendAll('c');
    expect(await failureOf(() => expect(h!.server).toHaveReceivedMessages(['a']))).toBe(
      'expected server to have received 1 message in order: "a"\n' +
        'received 2 messages: c1:"a", c1:"c"\n' +
        'first difference at index 1: expected no more messages, received c1:"c"',
    );
  });

  it('treats an empty list as "received nothing"', async () => {
    h = await startHarness();
    expect(h.server).toHaveReceivedMessages([]);
    await sendAll('a');
    expect(await failureOf(() => expect(h!.server).toHaveReceivedMessages([]))).toBe(
      'expected server to have received no messages\n' +
        'received 1 message: c1:"a"\n' +
        'first difference at index 0: expected no more messages, received c1:"a"',
    );
  });

  it('accepts any order with { ordered: false }', async () => {
    h = await startHarness();
    await sendAll('b', 'a');
    expect(h.server).toHaveReceivedMessages(['a', 'b'], { ordered: false });
    // the catch-all listed first must not take the message that 'b' needs
    expect(h.server).toHaveReceivedMessages([expect.any(String), 'b'], { ordered: false });
  });

  it('lists what is unmatched on each side when unordered', async () => {
    h = await startHarness();
    await sendAll('b', 'x');
    expect(
      await failureOf(() => expect(h!.server).toHaveReceivedMessages(['a', 'b'], { ordered: false })),
    ).toBe(
      'expected server to have received 2 messages in any order: "a", "b"\n' +
        'received 2 messages: c1:"b", c1:"x"\n' +
        'not received: "a"\n' +
        'not expected: c1:"x"',
    );
  });

  it('fails under .not when the messages match', async () => {
    h = await startHarness();
    await sendAll('a');
    expect(h.server).not.toHaveReceivedMessages(['b']);
    expect(await failureOf(() => expect(h!.server).not.toHaveReceivedMessages(['a']))).toBe(
      'expected server not to have received 1 message in order: "a", but it did',
    );
  });

  it('rejects a list that is not an array and an ordered option that is not a boolean', async () => {
    h = await startHarness();
    const server = h.server;
    expect(() => toHaveReceivedMessages.call(undefined, server, 'a' as never)).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'toHaveReceivedMessages() expects an array of messages, got string',
      }),
    );
    expect(() => toHaveReceivedMessages.call(undefined, server, [], { ordered: 'no' as never })).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'toHaveReceivedMessages() option ordered must be a boolean, got string',
      }),
    );
  });

  it('works outside a runner with the built-in equality', async () => {
    h = await startHarness();
    await sendAll(JSON.stringify({ a: [1, 2] }));
    expect(toHaveReceivedMessages.call(undefined, h.server, [{ a: [1, 2] }]).pass).toBe(true);
    expect(toHaveReceivedMessages.call(undefined, h.server, [{ a: [1] }]).pass).toBe(false);
  });
});
