/**
 * Child process for the ChaosProxy bench (bench/proxy.ts): one ChaosProxy with no conditions and no
 * faults, in a process of its own (as a Toxiproxy daemon would be), for the pass-through rows.
 *
 * Commands: `start { target }` → the proxy's url; `stats` → `proxy.stats()`; `cpu` → this process's
 * CPU time so far (user + system, µs).
 */
import { ChaosProxy } from '../src/proxy/index.js';
import { serveRpc } from './server/util.js';

let proxy: ChaosProxy | undefined;

serveRpc(
  {
    start: async ({ target }: { target: string }) => {
      proxy = await ChaosProxy.start({ target });
      return proxy.url;
    },
    stats: () => proxy?.stats(),
    cpu: () => {
      const c = process.cpuUsage();
      return c.user + c.system;
    },
  },
  async () => {
    await proxy?.close();
  },
);
