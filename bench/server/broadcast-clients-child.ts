/**
 * Child process for (c): holds the 5,000 broadcast receivers, so that the server's send loop and the
 * clients' reads run on different cores. Each message starts with the sender's wall-clock send time
 * (`performance.timeOrigin + performance.now()`, the same clock in every process on this machine);
 * the child records receive time − send time into a LatencyMeter and returns its snapshot.
 */
import type { WebSocket } from 'ws';
import { LatencyMeter } from '../../src/meters/index.js';
import { closeClients, openClients, serveRpc } from './util.js';

let clients: WebSocket[] = [];
let meter = new LatencyMeter();
let received = 0;
let lastAt = 0;
let expected = 0;
let onAll: () => void = () => undefined;
const now = () => performance.timeOrigin + performance.now();

serveRpc(
  {
    open: async (a: { url: string; count: number }) => {
      clients = await openClients(a.url, a.count, 250);
      for (const ws of clients) {
        ws.on('message', (data: Buffer) => {
          const at = now();
          const sentAt = Number(data.subarray(0, data.indexOf(124)).toString('latin1'));
          meter.record(Math.max(0, at - sentAt));
          lastAt = at;
          if (++received === expected) onAll();
        });
      }
      return clients.length;
    },
    /** Arms for one broadcast; resolves (to the parent) at once. */
    arm: () => {
      received = 0;
      expected = clients.length;
      return true;
    },
    /** Resolves when every client got the armed broadcast: `{ lastAt }`. */
    wait: () =>
      new Promise<{ lastAt: number }>((resolve) => {
        if (received === expected) resolve({ lastAt });
        else onAll = () => resolve({ lastAt });
      }),
    /** The latency snapshot of every delivery since the last call, and a fresh meter. */
    collect: () => {
      const snapshot = meter.toSnapshot();
      meter = new LatencyMeter();
      return snapshot;
    },
    close: async () => {
      await closeClients(clients);
      clients = [];
    },
  },
  () => closeClients(clients),
);
