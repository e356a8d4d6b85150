/**
 * A loopback HTTP server for the browser test: `/` is a blank page that loads `/app.js` (the page
 * script), which imports `/ws-kit.js` (the package's browser bundle). Port 0; anything else is 404.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PageAssets } from './page-assets.js';

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>ws-kit browser test</title>
<script type="module" src="/app.js"></script></head><body></body></html>`;

/** A running page server. */
export interface PageServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: readonly string[];
  /** Stops the server and ends its connections; idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the page and its scripts on 127.0.0.1, port 0.
 *
 * @param assets - the bundles to serve
 * @returns the running server
 */
export async function servePage(assets: PageAssets): Promise<PageServer> {
  const files = new Map([
    ['/', { type: 'text/html; charset=utf-8', body: HTML }],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: assets.app }],
    ['/ws-kit.js', { type: 'text/javascript; charset=utf-8', body: assets.bundle }],
  ]);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const file = files.get(path);
    res.writeHead(file ? 200 : 404, {
      'content-type': file?.type ?? 'text/plain',
      'cache-control': 'no-store',
    });
    res.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: `http://127.0.0.1:${port}/`, requests, close, [Symbol.asyncDispose]: close };
}
