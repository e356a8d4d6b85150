/**
 * Helpers shared by the server benchmarks: opening `ws` clients, waiting for events, and a tiny
 * request/response RPC over the IPC channel of forked child processes (bench/server/*-child.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { WebSocket } from 'ws';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full garbage collection (the bench runs with --expose-gc), a few times so that finalizers run. */
export async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(20);
  }
}

/** Opens a `ws` client and resolves once it is open. */
export function openClient(url: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** Opens `count` clients, at most `concurrency` handshakes at a time. */
export async function openClients(
  url: string,
  count: number,
  concurrency = 200,
  protocols?: string[],
): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      out.push(await openClient(url, protocols));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/** Closes a client with a close handshake and resolves on its `close` event (or at once if closed). */
export function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.on('error', () => undefined);
    ws.close(1000);
  });
}

/** Closes every client, at most `concurrency` at a time; stragglers are terminated after `timeoutMs`. */
export async function closeClients(clients: WebSocket[], timeoutMs = 10_000): Promise<void> {
  const all = Promise.all(clients.map(closeClient));
  const timer = setTimeout(() => {
    for (const ws of clients) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }, timeoutMs);
  await all;
  clearTimeout(timer);
}

// ---- RPC with child processes ----

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A forked child process answering `call(cmd, args)` (see {@link serveRpc}). */
export class Child {
  readonly #proc: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #exited: Promise<void>;

  constructor(script: string) {
    this.#proc = fork(path.join(import.meta.dirname, script), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#proc.on('message', (m: Response) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${script}: ${m.error}`));
    });
    this.#exited = new Promise((resolve) => {
      this.#proc.once('exit', (code, signal) => {
        for (const p of this.#pending.values())
          p.reject(new Error(`${script} exited (code ${code}, signal ${signal})`));
        this.#pending.clear();
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.#proc.pid;
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to exit; kills it (by its pid) if it has not after `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.#proc.exitCode !== null || this.#proc.signalCode !== null) return;
    this.#proc.send({ id: 0, cmd: 'exit', args: {} } satisfies Request);
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** In a child: answers the parent's calls with `handlers`; `exit` runs `cleanup` and exits. */
export function serveRpc(
  handlers: Record<string, (args: never) => Promise<unknown> | unknown>,
  cleanup: () => Promise<void> = async () => undefined,
): void {
  process.on('message', async (m: Request) => {
    if (m.cmd === 'exit') {
      await cleanup().catch(() => undefined);
      process.disconnect?.();
      process.exit(0);
    }
    try {
      const handler = handlers[m.cmd];
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      const result = await handler(m.args as never);
      process.send?.({ id: m.id, ok: true, result } satisfies Response);
    } catch (error) {
      process.send?.({
        id: m.id,
        ok: false,
        error: String((error as Error).stack ?? error),
      } satisfies Response);
    }
  });
  // the parent went away: do not linger
  process.on('disconnect', () => {
    void cleanup()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
