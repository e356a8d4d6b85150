/**
 * A Jest suite in plain CommonJS: a MockServer, a `ws` client and the ws-kit matchers.
 *
 * Jest needs no transform for it. The consumer test (test/consumer/consumer.test.ts) copies it into
 * a temporary project where the packed package is installed and runs it on every `npm test`. In your
 * project, either list '@semantest/ws-kit/jest' in `setupFilesAfterEnv` or require it as below.
 */
const { MockServer, OrderingValidator } = require('@semantest/ws-kit');
require('@semantest/ws-kit/jest');
const { WebSocket } = require('ws');

function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('MockServer with the Jest matchers', () => {
  let server;
  let client;

  beforeEach(async () => {
    server = await MockServer.start();
    client = await connect(server.url);
  });

  afterEach(async () => {
    client.terminate();
    await server.close();
  });

  test('waits for a message, and checks the whole conversation', async () => {
    client.send(JSON.stringify({ type: 'subscribe', topic: 'prices' }));
    client.send('ping');
    await expect(server).toReceiveMessage('ping');
    await expect(server).toReceiveMessage(expect.objectContaining({ type: 'subscribe' }));
    expect(server).toHaveReceivedMessages([{ type: 'subscribe', topic: 'prices' }, 'ping']);
    expect(server).toHaveReceivedMessages(['ping', expect.anything()], { ordered: false });
    expect(server).not.toHaveReceivedMessages([]);
  });

  test('explains a failure: what arrived instead', async () => {
    client.send('ping');
    await expect(server).toReceiveMessage('ping');
    expect(() => expect(server).toHaveReceivedMessages(['pong'])).toThrow(
      'expected server to have received 1 message in order: "pong"\n' +
        'received 1 message: c1:"ping"\n' +
        'first difference at index 0: expected "pong", received c1:"ping"',
    );
  });

  test('tracks the connection state and close code', async () => {
    const connection = await server.nextConnection();
    expect(connection).toBeOpen();
    expect(client).toBeOpen();
    const closed = expect(client).toHaveClosedWith(4001);
    server.drop(connection, { code: 4001, reason: 'kicked' });
    await closed;
    await expect(connection).toHaveClosedWith(4001);
    expect(connection).toBeClosed();
    expect(client).toBeClosed();
  });

  test('passes a validator, or prints its first violations', () => {
    const order = new OrderingValidator();
    order.observe({ channel: 'ticks', seq: 1 });
    order.observe({ channel: 'ticks', seq: 2 });
    expect(order).toPass();
    order.observe({ channel: 'ticks', seq: 4 });
    expect(order).not.toPass();
  });
});
