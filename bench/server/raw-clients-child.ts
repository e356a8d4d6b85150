/**
 * Child process for the broadcast floor: holds `count` plain TCP connections to the parent's
 * `net` server, reading and discarding whatever arrives.
 */
import { connect, type Socket } from 'node:net';
import { serveRpc } from './util.js';

let sockets: Socket[] = [];

function open1(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
    socket.on('data', () => undefined);
  });
}

async function closeAll(): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets = [];
}

serveRpc(
  {
    open: async (a: { port: number; count: number }) => {
      let next = 0;
      const worker = async () => {
        while (next < a.count) {
          next++;
          sockets.push(await open1(a.port));
        }
      };
      await Promise.all(Array.from({ length: Math.min(250, a.count) }, worker));
      return sockets.length;
    },
    close: closeAll,
  },
  closeAll,
);
