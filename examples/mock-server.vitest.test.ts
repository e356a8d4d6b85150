/**
 * A Vitest suite for a small chat client, tested against a real MockServer with the ws-kit
 * matchers. It runs with `npm test`.
 *
 * In your project, register the matchers with `import '@semantest/ws-kit/vitest'` (or list it in
 * `test.setupFiles`); inside this repository the subpath points at the source instead.
 */
import { DeliveryValidator, MockServer, OrderingValidator } from '@semantest/ws-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import '@semantest/ws-kit/vitest';

/** The code under test: joins a room, then sends chat lines as JSON. */
class ChatClient {
  readonly socket: WebSocket;
  #seq = 0;

  private constructor(socket: WebSocket) {
    this.socket = socket;
  }

  static connect(url: string, room: string): Promise<ChatClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => {
        socket.send(JSON.stringify({ type: 'join', room }));
        resolve(new ChatClient(socket));
      });
      socket.once('error', reject);
    });
  }

  say(text: string): void {
    this.#seq += 1;
    this.socket.send(JSON.stringify({ type: 'say', seq: this.#seq, text }));
  }

  leave(): void {
    this.socket.close(4000, 'left the room');
  }
}

let server: MockServer;
beforeEach(async () => {
  server = await MockServer.start();
});
afterEach(async () => {
  await server.close();
});

describe('ChatClient against a MockServer', () => {
  it('joins its room first', async () => {
    const chat = await ChatClient.connect(server.url, 'lobby');
    await expect(server).toReceiveMessage({ type: 'join', room: 'lobby' });
    expect(server).toHaveReceivedMessages([{ type: 'join', room: 'lobby' }]);
    chat.leave();
  });

  it('sends chat lines in order, each with the next seq', async () => {
    const chat = await ChatClient.connect(server.url, 'lobby');
    chat.say('hi');
    chat.say('how are you?');
    await expect(server).toReceiveMessage(expect.objectContaining({ text: 'how are you?' }));
    expect(server).toHaveReceivedMessages([
      expect.objectContaining({ type: 'join' }),
      { type: 'say', seq: 1, text: 'hi' },
      { type: 'say', seq: 2, text: 'how are you?' },
    ]);

    const order = new OrderingValidator();
    for (const m of server.messages) {
      const line = JSON.parse(String(m.data)) as { type: string; seq?: number };
      if (line.seq !== undefined) order.observe({ channel: 'lobby', seq: line.seq });
    }
    expect(order).toPass();
    chat.leave();
  });

  it('keeps the connection open until it leaves, then closes with 4000', async () => {
    const chat = await ChatClient.connect(server.url, 'lobby');
    const connection = await server.nextConnection();
    expect(connection).toBeOpen();
    expect(chat.socket).toBeOpen();

    const closed = expect(connection).toHaveClosedWith(4000);
    chat.leave();
    await closed;
    expect(connection).toBeClosed();
  });

  it('sees a server-side kick as a close event with the server code', async () => {
    const chat = await ChatClient.connect(server.url, 'lobby');
    const connection = await server.nextConnection();
    const kicked = expect(chat.socket).toHaveClosedWith(4001);
    server.drop(connection, { code: 4001, reason: 'kicked' });
    await kicked;
  });

  it('reports lost chat lines through a validator', async () => {
    const chat = await ChatClient.connect(server.url, 'lobby');
    const delivery = new DeliveryValidator();
    for (const text of ['a', 'b']) {
      delivery.sent(text);
      chat.say(text);
    }
    delivery.sent('c'); // "sent" but never written to the socket
    await expect(server).toReceiveMessage(expect.objectContaining({ text: 'b' }));
    for (const m of server.messages) {
      const line = JSON.parse(String(m.data)) as { text?: string };
      if (line.text !== undefined) delivery.received(line.text);
    }
    expect(delivery).not.toPass();
    expect(() => delivery.assert()).toThrow(/lost/);
    chat.leave();
  });
});
