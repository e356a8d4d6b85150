/**
 * What the test (Node) and the page script (Chromium) exchange through `page.evaluate`: plain,
 * JSON-serialisable values only. The page script sets `globalThis.wsKitApp`.
 */
import type { ClientStats, ResilientClientOptions } from '../../src/browser.js';

/** How the page builds its client. */
export interface PageStart {
  /** The MockServer's `ws://127.0.0.1:<port>` URL. */
  readonly url: string;
  /** ResilientClient options (JSON only: no clock, no functions). */
  readonly options: ResilientClientOptions;
}

/** How the page sends. */
export interface PageSend {
  /** Messages to send: `{ id }` for ids 0..count-1. */
  readonly count: number;
  /** Message `id` goes on channel `ch${id % channels}`. */
  readonly channels: number;
}

/** One message the page's client delivered to the application. */
export interface PageReceived {
  readonly channel: string;
  readonly seq: number;
  /** The `id` field of the JSON payload. */
  readonly id: number;
}

/** What the page reports at the end. */
export interface PageReport {
  /** Every message delivered, in delivery order. */
  readonly received: readonly PageReceived[];
  /** Client `error`/`overflow`/`close` events and `send()` rejections, as text. */
  readonly problems: readonly string[];
  /** `reconnecting` events seen (lost connections and failed attempts). */
  readonly reconnecting: number;
  /** `reconnected` events seen. */
  readonly reconnected: number;
  readonly stats: ClientStats;
}

/** The page script's API, at `globalThis.wsKitApp`. */
export interface PageApp {
  /** CRC32C of the ASCII text, computed by the bundle (its pure-JS path). */
  crc32c(text: string): number;
  /** Creates the client and resolves once it is open. */
  start(options: PageStart): Promise<void>;
  /** Sends at one message per millisecond (absolute schedule); resolves with the number sent. */
  sendAll(options: PageSend): Promise<number>;
  /** Waits until every sent message is acked and `expected` messages arrived, then closes the client. */
  finish(expected: number, timeoutMs: number): Promise<PageReport>;
}
