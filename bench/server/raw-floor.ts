/**
 * The floor under (c): the synchronous loop of `count` `net.Socket.write` calls of one ~100 B
 * buffer to idle TCP connections on loopback, with no WebSocket code at all (the receivers in a
 * child process). One write per connection is one syscall that also runs loopback TCP's receive
 * path, so this is what any Node server's broadcast loop costs on this machine at least.
 */
import { createServer, type Socket } from 'node:net';
import { Child, sleep } from './util.js';

/** @returns the duration of each of `runs` write loops, ms */
export async function rawWriteLoops(count: number, runs: number, bytes: number): Promise<number[]> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, resolve));
  const child = new Child('raw-clients-child.ts');
  try {
    await child.call('open', { port: (server.address() as { port: number }).port, count });
    const t0 = performance.now();
    while (accepted.length < count) {
      if (performance.now() - t0 > 30_000)
        throw new Error(`${accepted.length} of ${count} connections accepted`);
      await sleep(10);
    }
    for (const s of accepted) s.setNoDelay(true); // as ws does
    const frame = Buffer.alloc(bytes, 0x78);
    const loops: number[] = [];
    for (let r = 0; r <= runs; r++) {
      const start = performance.now();
      for (const s of accepted) s.write(frame);
      if (r > 0) loops.push(performance.now() - start); // the first loop is a warm-up
      await sleep(50);
    }
    return loops;
  } finally {
    await child.call('close').catch(() => undefined);
    await child.stop();
    for (const s of accepted) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
