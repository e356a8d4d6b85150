/**
 * The page script of the browser test, bundled by esbuild with `src/browser.js` left as an import of
 * `/ws-kit.js` — the browser build under test, served beside it. Runs in Chromium only.
 */
import { crc32c, ResilientClient } from '../../src/browser.js';
import type { PageApp, PageReceived, PageReport, PageSend, PageStart } from './page-contract.js';

let client: ResilientClient | undefined;
const received: PageReceived[] = [];
const problems: string[] = [];
let reconnecting = 0;
let reconnected = 0;
let onReceived: () => void = () => undefined;

function opened(): ResilientClient {
  if (!client) throw new Error('start() first');
  return client;
}

async function start({ url, options }: PageStart): Promise<void> {
  const c = new ResilientClient(url, options);
  client = c;
  c.on('message', (m) => {
    received.push({ channel: m.channel, seq: m.seq, id: (m.data as { id: number }).id });
    onReceived();
  });
  c.on('reconnecting', () => reconnecting++);
  c.on('reconnected', () => reconnected++);
  c.on('error', (error) => problems.push(`error: ${error.message}`));
  c.on('overflow', (e) => problems.push(`overflow: ${e.error.message}`));
  c.on('close', (reason) => problems.push(`closed: ${JSON.stringify(reason)}`));
  await c.opened({ timeoutMs: 5000 });
}

function sendAll({ count, channels }: PageSend): Promise<number> {
  const c = opened();
  let sent = 0;
  const begin = performance.now();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(count, Math.floor(performance.now() - begin) + 1);
      for (; sent < due; sent++) {
        const id = sent;
        c.send({ id }, { channel: `ch${id % channels}` }).catch((error: Error) =>
          problems.push(`send ${id}: ${error.message}`),
        );
      }
      if (sent >= count) {
        clearInterval(timer);
        resolve(sent);
      }
    }, 5);
  });
}

async function finish(expected: number, timeoutMs: number): Promise<PageReport> {
  const c = opened();
  await c.drained({ timeoutMs });
  if (received.length < expected) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        problems.push(`only ${received.length} of ${expected} messages arrived within ${timeoutMs} ms`);
        resolve();
      }, timeoutMs);
      onReceived = () => {
        if (received.length < expected) return;
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const stats = c.stats();
  c.removeAllListeners('close');
  await c.close();
  return { received, problems, reconnecting, reconnected, stats };
}

const app: PageApp = {
  crc32c: (text) => crc32c(new TextEncoder().encode(text)),
  start,
  sendAll,
  finish,
};
(globalThis as { wsKitApp?: PageApp }).wsKitApp = app;
