/**
 * Child process for the client throughput benchmark (bench/client-throughput.ts): one MockServer
 * with `protocols: ['semantest-v1']` (clients that do not offer it get a plain connection), kept
 * out of the clients' process so the two do not share a CPU. It counts the messages its
 * `message` event delivers (on semantest-v1 connections: new, in-order data frames only).
 *
 * Commands: `start` → url; `reset` (forget the log, count from 0, restart the CPU meter);
 * `wait { n, timeoutMs }` → once the count reaches n: the count and this process's CPU time
 * (user + system, µs) since `reset`.
 */
import { MockServer } from '../src/server/index.js';
import { serveRpc } from './server/util.js';

let server: MockServer | undefined;
let count = 0;
let cpu0 = process.cpuUsage();
let waiter: { n: number; resolve: (count: number) => void } | undefined;

serveRpc(
  {
    start: async () => {
      server = await MockServer.start({ protocols: ['semantest-v1'] });
      server.on('error', () => undefined);
      server.on('message', () => {
        count++;
        if (waiter && count >= waiter.n) {
          waiter.resolve(count);
          waiter = undefined;
        }
      });
      return server.url;
    },
    reset: () => {
      count = 0;
      cpu0 = process.cpuUsage();
      server?.flush();
    },
    wait: ({ n, timeoutMs }: { n: number; timeoutMs: number }) =>
      new Promise<{ count: number; cpuUs: number }>((resolve, reject) => {
        const done = (c: number) => {
          const cpu = process.cpuUsage(cpu0);
          resolve({ count: c, cpuUs: cpu.user + cpu.system });
        };
        if (count >= n) {
          done(count);
          return;
        }
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`wait: ${count} of ${n} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiter = {
          n,
          resolve: (c) => {
            clearTimeout(timer);
            done(c);
          },
        };
      }),
  },
  async () => {
    await server?.close();
  },
);
