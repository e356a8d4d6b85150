import type { ConnectionOptions } from 'node:tls';
import type { Clock } from '../clock/index.js';
import { OptionsError } from '../errors.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, formatValue } from '../internal/options.js';
import { realClock } from '../server/real-clock.js';
import type { Direction } from './fault-log.js';
import {
  DEFAULT_LINK_CONDITIONS,
  type LinkConditions,
  mergeLinkConditions,
  type NetworkProfile,
  type NetworkProfileName,
  resolveProfile,
} from './link-conditions.js';
import { DEFAULT_MESSAGE_FAULTS, type MessageFaults, mergeMessageFaults } from './message-faults.js';
import type { DirectionSettings } from './proxy-connection.js';
import type { BalanceMode, HealthCheckOptions } from './upstream-pool.js';

/** Byte-level conditions and message faults of one direction. */
export type DirectionFaults = LinkConditions & MessageFaults;

/** What {@link ChaosProxy.set} changes (each field merges over what is in force). */
export interface ChaosSettings {
  /** A preset or custom profile, applied first. */
  readonly profile?: NetworkProfileName | NetworkProfile;
  /** Client → server. */
  readonly toServer?: DirectionFaults;
  /** Server → client. */
  readonly toClient?: DirectionFaults;
  /** Both directions (applied before `toServer` / `toClient`). */
  readonly both?: DirectionFaults;
}

/** Options of {@link ChaosProxy.start}. */
export interface ChaosProxyOptions extends ChaosSettings {
  /** The upstream: any ws:// or wss:// server, or several (see `balance`). */
  readonly target: string | readonly string[];
  /** Seeds every random draw (jitter, loss, message faults): the same seed and traffic give the same faults. @default 1 */
  readonly seed?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** How connections are spread over several upstreams. @default 'round-robin' */
  readonly balance?: BalanceMode;
  /** Health-check the upstreams, or `false`. @default false */
  readonly healthCheck?: HealthCheckOptions | false;
  /** TLS options for wss:// upstreams (e.g. `ca`, or `rejectUnauthorized: false` for a test certificate). The client side stays ws://, so frames are visible. @default {} */
  readonly tls?: ConnectionOptions;
  /** Connecting to an upstream that does not answer fails after this long, ms. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Timers and time; the default keeps running on real time under fake timers. */
  readonly clock?: Clock;
}

/** The defaults of {@link ChaosProxyOptions} (besides `target`). */
export const DEFAULT_CHAOS_PROXY_OPTIONS: Readonly<
  Required<Omit<ChaosProxyOptions, 'target' | keyof ChaosSettings>>
> = Object.freeze({
  seed: 1,
  host: '127.0.0.1',
  port: 0,
  balance: 'round-robin' as BalanceMode,
  healthCheck: false as HealthCheckOptions | false,
  tls: Object.freeze({}) as ConnectionOptions,
  connectTimeoutMs: 5000,
  clock: realClock,
});

/** @internal */
export interface ResolvedProxyOptions {
  readonly targets: readonly string[];
  readonly seed: number;
  readonly host: string;
  readonly port: number;
  readonly balance: BalanceMode;
  readonly healthCheck:
    | (Required<Omit<HealthCheckOptions, 'check'>> & Pick<HealthCheckOptions, 'check'>)
    | false;
  readonly tls: ConnectionOptions;
  readonly connectTimeoutMs: number;
  readonly clock: Clock;
}

const CLEAN: DirectionSettings = Object.freeze({
  link: DEFAULT_LINK_CONDITIONS,
  faults: DEFAULT_MESSAGE_FAULTS,
});

/** Clean settings both ways. @internal */
export function cleanSettings(): Record<Direction, DirectionSettings> {
  return { toServer: CLEAN, toClient: CLEAN };
}

const LINK_KEYS = new Set(Object.keys(DEFAULT_LINK_CONDITIONS));
const KNOWN_DIRECTION_KEYS = { ...DEFAULT_LINK_CONDITIONS, ...DEFAULT_MESSAGE_FAULTS };

function split(
  name: string,
  faults: DirectionFaults | undefined,
): [LinkConditions, MessageFaults] | undefined {
  if (faults === undefined) return undefined;
  checkObject(name, faults);
  checkKnownKeys(name, faults, KNOWN_DIRECTION_KEYS); // names every key, link and message alike
  const link: Record<string, unknown> = {};
  const message: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(faults)) (LINK_KEYS.has(k) ? link : message)[k] = v;
  return [link as LinkConditions, message as MessageFaults];
}

function apply(name: string, s: DirectionSettings, faults: DirectionFaults | undefined): DirectionSettings {
  const parts = split(name, faults);
  if (!parts) return s;
  return {
    link: mergeLinkConditions(name, s.link, parts[0]),
    faults: mergeMessageFaults(name, s.faults, parts[1]),
  };
}

/**
 * Merges `settings` over `current`.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` naming the field
 */
export function mergeSettings(
  current: Record<Direction, DirectionSettings>,
  settings: ChaosSettings,
): Record<Direction, DirectionSettings> {
  let { toServer, toClient } = current;
  if (settings.profile !== undefined) {
    const p = resolveProfile(settings.profile);
    toServer = {
      ...toServer,
      link: mergeLinkConditions('profile.toServer', DEFAULT_LINK_CONDITIONS, p.toServer),
    };
    toClient = {
      ...toClient,
      link: mergeLinkConditions('profile.toClient', DEFAULT_LINK_CONDITIONS, p.toClient),
    };
  }
  toServer = apply('toServer', apply('both', toServer, settings.both), settings.toServer);
  toClient = apply('toClient', apply('both', toClient, settings.both), settings.toClient);
  return { toServer, toClient };
}

/**
 * Checks the options of {@link ChaosProxy.start} and fills in defaults.
 *
 * @throws `WS_KIT_ERR_INVALID_OPTION` naming the option
 */
export function resolveProxyOptions(options: ChaosProxyOptions): ResolvedProxyOptions {
  checkObject('ChaosProxy options', options);
  checkKnownKeys('ChaosProxy', options, {
    ...DEFAULT_CHAOS_PROXY_OPTIONS,
    target: 0,
    profile: 0,
    toServer: 0,
    toClient: 0,
    both: 0,
  });
  const o = {
    ...DEFAULT_CHAOS_PROXY_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  const targets = typeof options.target === 'string' ? [options.target] : options.target;
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new OptionsError(
      'WS_KIT_ERR_INVALID_OPTION',
      `ChaosProxy: target must be a URL or a non-empty list of URLs, got ${formatValue(options.target)}`,
      {
        expected: 'a ws:// URL or a list of them',
        received: options.target,
      },
    );
  }
  let healthCheck: ResolvedProxyOptions['healthCheck'] = false;
  if (o.healthCheck !== false) {
    const h = o.healthCheck as HealthCheckOptions;
    checkKnownKeys('ChaosProxy.healthCheck', h, { intervalMs: 0, timeoutMs: 0, check: 0 });
    healthCheck = {
      intervalMs: checkNumber('ChaosProxy.healthCheck.intervalMs', h.intervalMs ?? 1000, { min: 1 }),
      timeoutMs: checkNumber('ChaosProxy.healthCheck.timeoutMs', h.timeoutMs ?? 500, { min: 1 }),
      ...(h.check ? { check: h.check } : {}),
    };
  }
  return {
    targets,
    seed: checkNumber('ChaosProxy.seed', o.seed, { integer: true, min: 0, max: 0xffffffff }),
    host: String(o.host),
    port: checkNumber('ChaosProxy.port', o.port, { integer: true, min: 0, max: 65535 }),
    balance: checkOneOf('ChaosProxy.balance', o.balance, ['round-robin', 'least-connections']),
    healthCheck,
    tls: o.tls as ConnectionOptions,
    connectTimeoutMs: checkNumber('ChaosProxy.connectTimeoutMs', o.connectTimeoutMs, { min: 1 }),
    clock: o.clock as Clock,
  };
}
