/** Child process for (e): opens and closes the clients of the server under measurement. */
import type { WebSocket } from 'ws';
import { closeClients, openClients, serveRpc } from './util.js';

let clients: WebSocket[] = [];

serveRpc(
  {
    open: async (a: { url: string; count: number }) => {
      clients = await openClients(a.url, a.count, 250);
      return clients.length;
    },
    close: async () => {
      await closeClients(clients);
      clients = [];
    },
  },
  () => closeClients(clients),
);
