import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, checkObject, formatValue } from '../internal/options.js';

/**
 * Byte-level conditions of one direction of a link (client → server or server → client). Bytes
 * always arrive in order and intact, as TCP guarantees; these change only when they arrive.
 */
export interface LinkConditions {
  /** Added one-way delay, ms. @default 0 */
  readonly latencyMs?: number;
  /** Random extra delay, uniform in [−jitterMs, +jitterMs] around `latencyMs` (never below 0), drawn from the seed. @default 0 */
  readonly jitterMs?: number;
  /** Bandwidth limit in kilobits per second (1 Mbps = 1000); `0` = unlimited. @default 0 */
  readonly bandwidthKbps?: number;
  /** Slicer: forward in TCP writes of at most this many bytes; `0` = as received. @default 0 */
  readonly sliceBytes?: number;
  /** Slicer: pause between the slices of one chunk, ms. @default 0 */
  readonly sliceDelayMs?: number;
  /**
   * TCP "packet loss": the fraction of chunks (0–1) that wait one retransmission timeout
   * (`retransmitMs`) — TCP resends lost segments, so loss shows up as delay spikes, with everything
   * behind the lost segment waiting too (head-of-line blocking). Nothing goes missing; for missing
   * messages use the message faults. @default 0
   */
  readonly lossRate?: number;
  /** The retransmission timeout a lost chunk waits, ms (Linux's minimum RTO). @default 200 */
  readonly retransmitMs?: number;
  /** Limit-data: after this many bytes in this direction the connection is closed; `0` = no limit. @default 0 */
  readonly limitBytes?: number;
}

/** Every {@link LinkConditions} field, resolved. */
export type ResolvedLinkConditions = Required<LinkConditions>;

/** The defaults of {@link LinkConditions}: a clean link. */
export const DEFAULT_LINK_CONDITIONS: Readonly<ResolvedLinkConditions> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  bandwidthKbps: 0,
  sliceBytes: 0,
  sliceDelayMs: 0,
  lossRate: 0,
  retransmitMs: 200,
  limitBytes: 0,
});

/**
 * Checks `conditions` and merges them over `base`.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` naming the field
 */
export function mergeLinkConditions(
  name: string,
  base: ResolvedLinkConditions,
  conditions: LinkConditions | undefined,
): ResolvedLinkConditions {
  if (conditions === undefined) return base;
  checkObject(name, conditions);
  checkKnownKeys(name, conditions, DEFAULT_LINK_CONDITIONS);
  const out: Record<string, number> = { ...base };
  for (const [key, value] of Object.entries(conditions)) {
    if (value === undefined) continue;
    const rule =
      key === 'lossRate'
        ? { min: 0, max: 1 }
        : key === 'sliceBytes' || key === 'limitBytes'
          ? { min: 0, integer: true }
          : { min: 0 };
    out[key] = checkNumber(`${name}.${key}`, value, rule);
  }
  return out as unknown as ResolvedLinkConditions;
}

/** A named set of conditions for both directions. */
export interface NetworkProfile {
  /** Client → server. */
  readonly toServer: LinkConditions;
  /** Server → client. */
  readonly toClient: LinkConditions;
}

/** The profile names of {@link NETWORK_PROFILES}. */
export type NetworkProfileName =
  | 'local'
  | 'regional'
  | 'cross-continental'
  | 'satellite'
  | 'throttled-1mbps'
  | '3g';

const both = (c: LinkConditions): NetworkProfile => Object.freeze({ toServer: c, toClient: c });

/**
 * Presets. Latency is one way (a round trip is twice it): local 1 ms; regional 50 ± 10 ms;
 * cross-continental 200 ± 25 ms; satellite 600 ± 50 ms; a link throttled to 1 Mbps each way; and a
 * 3G-like link (100 ± 30 ms, 780 kbps down / 330 kbps up, 1 % of chunks waiting a retransmission).
 */
export const NETWORK_PROFILES: Readonly<Record<NetworkProfileName, NetworkProfile>> = Object.freeze({
  local: both({ latencyMs: 1 }),
  regional: both({ latencyMs: 50, jitterMs: 10 }),
  'cross-continental': both({ latencyMs: 200, jitterMs: 25 }),
  satellite: both({ latencyMs: 600, jitterMs: 50 }),
  'throttled-1mbps': both({ bandwidthKbps: 1000 }),
  '3g': Object.freeze({
    toServer: { latencyMs: 100, jitterMs: 30, bandwidthKbps: 330, lossRate: 0.01 },
    toClient: { latencyMs: 100, jitterMs: 30, bandwidthKbps: 780, lossRate: 0.01 },
  }),
});

/**
 * A profile by name or as given.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` for an unknown name
 */
export function resolveProfile(profile: NetworkProfileName | NetworkProfile): NetworkProfile {
  if (typeof profile !== 'string') return profile;
  const found = (NETWORK_PROFILES as Record<string, NetworkProfile>)[profile];
  if (!found) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `ChaosProxy: unknown profile ${formatValue(profile)} (known: ${Object.keys(NETWORK_PROFILES).join(', ')})`,
      { expected: Object.keys(NETWORK_PROFILES), received: profile },
    );
  }
  return found;
}
