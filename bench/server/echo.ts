/**
 * (b) echo throughput, 1 KiB messages: the server (MockServer, or a bare `ws` server) runs in this
 * process; the client runs in a child process (echo-client-child.ts) so that the two do not share
 * a CPU. Besides msgs/s, the server process's CPU time per echoed message is measured
 * (process.cpuUsage around the run: this process holds only the server then).
 */
import { WebSocketServer } from 'ws';
import { MockServer } from '../../src/server/index.js';
import type { RunResult } from './echo-client-child.js';
import type { Child } from './util.js';

export type EchoServerKind = 'ws' | 'mock' | 'mock-v1';

export interface EchoFigures {
  msgsPerSecond: number;
  /** Server-process CPU (user + system) per echoed message, µs. */
  cpuUsPerMsg: number;
  acksIn: number;
  acksOut: number;
}

interface Running {
  url: string;
  close(): Promise<void>;
}

async function startBareWs(): Promise<Running> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function startMock(protocol: boolean): Promise<Running> {
  const server = await MockServer.start(
    protocol ? { echo: true, protocols: ['semantest-v1'] } : { echo: true },
  );
  // out of the box: every message is logged for inspection (the default bound, maxMessages 100,000)
  return { url: server.url, close: () => server.close() };
}

/**
 * One echo run against a fresh server of `kind`.
 *
 * @param mode - `raw` 1 KiB binary messages, or `frames` (semantest-v1 data frames; with `mock-v1`
 *   the protocol is on, with `ws` the bare server echoes the frames unchanged)
 */
export async function echoRun(
  client: Child,
  kind: EchoServerKind,
  mode: 'raw' | 'frames',
  o: { bytes: number; window: number; warmupMs: number; durationMs: number },
): Promise<EchoFigures> {
  const server = kind === 'ws' ? await startBareWs() : await startMock(kind === 'mock-v1');
  try {
    const cpu0 = process.cpuUsage();
    const r = await client.call<RunResult>('run', {
      url: server.url,
      mode,
      protocol: kind === 'mock-v1',
      ...o,
    });
    const cpu = process.cpuUsage(cpu0);
    return {
      msgsPerSecond: r.echoes / (r.elapsedMs / 1000),
      cpuUsPerMsg: (cpu.user + cpu.system) / r.totalEchoes,
      acksIn: r.acksIn,
      acksOut: r.acksOut,
    };
  } finally {
    await server.close();
  }
}
