import { WebSocket } from 'ws';
import type { MockConnection } from '../server/index.js';
import { MockServer, type MockServerOptions } from '../server/index.js';

/** A started server with one open `ws` client (test helper, not exported). */
export interface Harness {
  readonly server: MockServer;
  readonly client: WebSocket;
  readonly connection: MockConnection;
  /** Closes the client and the server. */
  close(): Promise<void>;
}

/**
 * Starts a MockServer on port 0 and connects one `ws` client; resolves once both sides are open.
 *
 * @param options - the server options
 * @returns the harness
 */
export async function startHarness(options: MockServerOptions = {}): Promise<Harness> {
  const server = await MockServer.start(options);
  const client = new WebSocket(server.url);
  const opened = new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const [connection] = await Promise.all([server.nextConnection({ timeoutMs: 2000 }), opened]);
  return {
    server,
    client,
    connection,
    close: async () => {
      client.terminate();
      await server.close();
    },
  };
}

/**
 * Runs an assertion that must fail and returns its error message.
 *
 * @param assertion - the assertion (sync or async)
 * @returns the failure message
 */
export async function failureOf(assertion: () => unknown): Promise<string> {
  try {
    await assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
}
