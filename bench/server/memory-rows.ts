/**
 * (e) of the server bench: RSS per idle connection at 5,000 connections and RSS after they all
 * closed, MockServer against bare `ws`. Part of bench/server.ts.
 */
import { atMost, type BenchRow, median, row } from '../harness.js';
import { IDLE_MS, type MemoryFigures, memoryRun, SETTLE_RATIO } from './memory.js';

const MEMORY_RUNS = 3;

/**
 * @param CLIENTS - connections per run
 * @param log - progress lines
 * @returns the rows of (e)
 */
export async function memoryRows(CLIENTS: number, log: (message: string) => void): Promise<BenchRow[]> {
  const mock: MemoryFigures[] = [];
  const ws: MemoryFigures[] = [];
  for (let r = 0; r < MEMORY_RUNS; r++) {
    mock.push(await memoryRun('mock', CLIENTS));
    if (r === 0) ws.push(await memoryRun('ws', CLIENTS));
  }
  const kb = (b: number) => b / 1000;
  log(
    `(e) mock per conn ${mock.map((x) => kb(x.perConnection).toFixed(1))} KB; rss MB ${mock.map((x) => [x.rssStart, x.rssOpen, x.rssClosed].map((v) => (v / 1e6).toFixed(0)).join('/'))}; heap MB ${mock.map((x) => [x.heapStart, x.heapOpen, x.heapClosed].map((v) => (v / 1e6).toFixed(0)).join('/'))}`,
  );
  const where = `server in a child process holding only the server, ${CLIENTS.toLocaleString('en-US')} ws clients in another child; RSS after 3 × gc()`;
  return [
    row(
      `RSS per idle connection at ${CLIENTS.toLocaleString('en-US')}, MockServer`,
      'KB',
      mock.map((x) => kb(x.perConnection)),
      atMost(30),
      `(RSS with ${CLIENTS} open − RSS at start) / ${CLIENTS}, KB = 1000 B; protocol off; ${where}; start RSS ≈ ${(median(mock.map((x) => x.rssStart)) / 1e6).toFixed(0)} MB (node + tsx loader)`,
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssSettled / x.rssStart),
      atMost(SETTLE_RATIO),
      `after every client closed with a close handshake and the server counted 0 open connections, and then ${IDLE_MS / 1000} s idle, closed connections still kept for inspection (no flush()); like every reading here, taken after 3 × gc(), and sampled once a second, so forced GCs run while it waits (with no GC at all an idle process keeps everything: 1.68× 12 s after close, measured once): V8 keeps the young generation it grew under load until its memory reducer runs, seconds after the process goes idle`,
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed: time to come within ${SETTLE_RATIO}× of the start, MockServer`,
      's',
      mock.map((x) => x.settleMs / 1000),
      undefined,
      'from the first reading after close (below); negative: never within the idle time',
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssClosed / x.rssStart),
      undefined,
      'before V8 shrank its young generation (heapTotal still ≈ 45 MB against ≈ 12 MB after): for information',
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed and flush() / RSS at start, MockServer`,
      '×',
      mock.map((x) => x.rssFlushedSettled / x.rssStart),
      undefined,
      `server.flush() forgets the closed connections kept for inspection; after another ${IDLE_MS / 1000} s idle`,
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed, MockServer / bare ws`,
      '×',
      [median(mock.map((x) => x.rssClosed)) / median(ws.map((x) => x.rssClosed))],
      undefined,
      'the same moment for both servers: what MockServer keeps beyond what Node, V8 and the allocator keep for any ws server',
    ),
    row(
      `RSS after a second wave of ${CLIENTS.toLocaleString('en-US')} opened and closed / after the first, MockServer`,
      '×',
      mock.map((x) => x.rssSecondWave / x.rssClosed),
      undefined,
      'no growth from wave to wave: the memory the first wave left with the allocator is reused, not leaked (server.flush() after each wave)',
    ),
    row(
      'heap retained per closed connection, MockServer',
      'bytes',
      mock.map((x) => (x.heapClosed - x.heapStart) / CLIENTS),
      undefined,
      '(heapUsed after close − heapUsed at start) / connections: closed connections stay inspectable (server.connections, nextConnection) until flush()',
    ),
    row(
      'heap retained per closed connection after server.flush(), MockServer',
      'bytes',
      mock.map((x) => (x.heapFlushed - x.heapStart) / CLIENTS),
      undefined,
      '(heapUsed after close and flush() − heapUsed at start) / connections',
    ),
    row(
      `RSS per idle connection at ${CLIENTS.toLocaleString('en-US')}, bare ws`,
      'KB',
      ws.map((x) => kb(x.perConnection)),
      undefined,
      'the same with a bare WebSocketServer, 1 run, for comparison',
    ),
    row(
      `RSS after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, bare ws`,
      '×',
      ws.map((x) => x.rssSettled / x.rssStart),
      undefined,
      "sampled the same way as MockServer's",
    ),
    row(
      `RSS 200 ms after all ${CLIENTS.toLocaleString('en-US')} closed / RSS at start, bare ws`,
      '×',
      ws.map((x) => x.rssClosed / x.rssStart),
    ),
    row(
      'heap retained per closed connection, bare ws',
      'bytes',
      ws.map((x) => (x.heapClosed - x.heapStart) / CLIENTS),
    ),
  ];
}
