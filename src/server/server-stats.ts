import type { Clock } from '../clock/index.js';

/** One second of a {@link ServerStats.perSecond} series. */
export interface ServerSecondStats {
  /** Seconds since the server started (0 is the first second). */
  readonly second: number;
  /** Connections opened in this second. */
  readonly connections: number;
  /** Messages received. */
  readonly messagesIn: number;
  /** Messages sent. */
  readonly messagesOut: number;
  /** Bytes received (WebSocket message payloads). */
  readonly bytesIn: number;
  /** Bytes sent. */
  readonly bytesOut: number;
}

/** Connection counts in {@link ServerStats}. */
export interface ConnectionCounts {
  /** Open now. */
  readonly now: number;
  /** The most open at once. */
  readonly peak: number;
  /** Every connection accepted since the start. */
  readonly total: number;
}

/** A received/sent pair of counts in {@link ServerStats}. */
export interface InOut {
  /** Received. */
  readonly in: number;
  /** Sent. */
  readonly out: number;
}

/** A snapshot of what a `MockServer` has done since it started (`server.stats()`). */
export interface ServerStats {
  /** Connections: open now, the most open at once, and every one accepted. */
  readonly connections: ConnectionCounts;
  /** Upgrades answered with an HTTP error, by status. */
  readonly rejectedUpgrades: Readonly<Record<number, number>>;
  /** WebSocket messages received and sent (on `semantest-v1`, control frames included). */
  readonly messages: InOut;
  /** Bytes of WebSocket message payloads received and sent. */
  readonly bytes: InOut;
  /** `semantest-v1` acks sent. */
  readonly acks: number;
  /** `semantest-v1` nacks sent (frames that failed their checksum, and gaps in a channel's sequence). */
  readonly nacks: number;
  /** `semantest-v1` frames received that failed their CRC32C check. */
  readonly checksumFailures: number;
  /** `semantest-v1` data frames sent again after a resume. */
  readonly replays: number;
  /** `semantest-v1` duplicate data frames dropped. */
  readonly duplicates: number;
  /** Messages `server.messages` forgot because it held `maxMessages` (oldest first). */
  readonly forgottenMessages: number;
  /** Closed connections by close code (1000 normal, 1006 abnormal, 1009 too big, …). */
  readonly closeCodes: Readonly<Record<number, number>>;
  /** Per-second counts, one entry per second since the start (seconds with no activity included). */
  readonly perSecond: readonly ServerSecondStats[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Counts what a `MockServer` does (internal). */
export class StatsCollector {
  readonly #clock: Clock;
  readonly #start: number;
  #now = 0;
  #peak = 0;
  #total = 0;
  #in = 0;
  #out = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #closeCodes: Record<number, number> = {};
  #forgotten = 0;
  #rejected: Record<number, number> = {};
  #seconds: Mutable<ServerSecondStats>[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#start = clock.now();
  }

  #second(): Mutable<ServerSecondStats> {
    const index = Math.max(0, Math.floor((this.#clock.now() - this.#start) / 1000));
    while (this.#seconds.length <= index) {
      this.#seconds.push({
        second: this.#seconds.length,
        connections: 0,
        messagesIn: 0,
        messagesOut: 0,
        bytesIn: 0,
        bytesOut: 0,
      });
    }
    return this.#seconds[index]!;
  }

  opened(): void {
    this.#now += 1;
    this.#total += 1;
    this.#peak = Math.max(this.#peak, this.#now);
    this.#second().connections += 1;
  }

  closed(code: number): void {
    this.#now -= 1;
    this.#closeCodes[code] = (this.#closeCodes[code] ?? 0) + 1;
  }

  forgotten(): void {
    this.#forgotten += 1;
  }

  rejected(status: number): void {
    this.#rejected[status] = (this.#rejected[status] ?? 0) + 1;
  }

  received(bytes: number): void {
    this.#in += 1;
    this.#bytesIn += bytes;
    const s = this.#second();
    s.messagesIn += 1;
    s.bytesIn += bytes;
  }

  sent(bytes: number): void {
    this.#out += 1;
    this.#bytesOut += bytes;
    const s = this.#second();
    s.messagesOut += 1;
    s.bytesOut += bytes;
  }

  snapshot(protocol: {
    acks: number;
    nacks: number;
    checksumFailures: number;
    replays: number;
    duplicates: number;
  }): ServerStats {
    this.#second();
    return {
      connections: { now: this.#now, peak: this.#peak, total: this.#total },
      rejectedUpgrades: { ...this.#rejected },
      messages: { in: this.#in, out: this.#out },
      bytes: { in: this.#bytesIn, out: this.#bytesOut },
      ...protocol,
      forgottenMessages: this.#forgotten,
      closeCodes: { ...this.#closeCodes },
      perSecond: this.#seconds.map((s) => ({ ...s })),
    };
  }
}
