import { checkKnownKeys, checkNumber, checkOneOf } from '../internal/options.js';
import type { OrderingMode } from './ordering-report.js';
import { checkObject, invalidOption } from './validator-checks.js';

/** Options of `OrderingValidator`; every field is optional. */
export interface OrderingValidatorOptions {
  /**
   * How messages are grouped into sequences; see {@link OrderingMode}.
   * @default 'per-channel'
   */
  readonly mode?: OrderingMode;
  /**
   * The first seq of every stream (ws-kit's `Sequencer` starts at 1). Seqs below it count as duplicates.
   * @default 1
   */
  readonly firstSeq?: number;
  /**
   * How many seqs above each stream's "everything delivered up to here" mark the validator remembers
   * one by one (an integer 1..16,777,216). Reordering within this distance is classified exactly;
   * a message arriving more than this far below the highest seq is `beyond-window`. Memory per
   * stream: `reorderWindow / 8` bytes plus about 400 bytes.
   * @default 1024
   */
  readonly reorderWindow?: number;
  /**
   * The channels the receiver subscribed to. When set, a message on any other channel is cross-talk
   * (and is not sequenced, so it costs no memory). `undefined` accepts every channel.
   * @default undefined
   */
  readonly expectedChannels?: readonly string[] | undefined;
  /**
   * How many violations `report().firstViolations` keeps (an integer 0..10,000); counts are always complete.
   * @default 20
   */
  readonly maxViolations?: number;
  /**
   * Which message field gives the global send order in `priority` mode: `'timestamp'` (a ws-kit
   * frame's send timestamp) or `'sentSeq'` (a counter of the user's).
   * @default 'timestamp'
   */
  readonly sendOrder?: 'timestamp' | 'sentSeq';
}

/** The defaults of every {@link OrderingValidatorOptions} field. */
export const DEFAULT_ORDERING_VALIDATOR_OPTIONS: Readonly<Required<OrderingValidatorOptions>> = Object.freeze(
  {
    mode: 'per-channel',
    firstSeq: 1,
    reorderWindow: 1024,
    expectedChannels: undefined,
    maxViolations: 20,
    sendOrder: 'timestamp',
  },
);

/** The largest `reorderWindow`: 2^24 seqs, 2 MiB of bits per stream. */
const MAX_WINDOW = 2 ** 24;

/** Validated options (internal). */
export interface ResolvedOrderingOptions {
  readonly mode: OrderingMode;
  readonly firstSeq: number;
  readonly reorderWindow: number;
  readonly expectedChannels: ReadonlySet<string> | undefined;
  readonly maxViolations: number;
  readonly byTimestamp: boolean;
}

/**
 * Validates `OrderingValidator` options against their documented ranges (internal).
 *
 * @param options - what the user passed
 * @returns the options with defaults applied
 * @throws `WS_KIT_ERR_INVALID_OPTION` when an option is unknown or outside its range
 */
export function resolveOrderingOptions(options: OrderingValidatorOptions): ResolvedOrderingOptions {
  checkObject('OrderingValidator options', options, false);
  checkKnownKeys('OrderingValidator', options, DEFAULT_ORDERING_VALIDATOR_OPTIONS);
  const o = { ...DEFAULT_ORDERING_VALIDATOR_OPTIONS, ...options };
  const integer = (name: string, value: unknown, min: number, max: number) =>
    checkNumber(`OrderingValidator.${name}`, value, { min, max, integer: true });
  const channels = o.expectedChannels;
  if (channels !== undefined && (!Array.isArray(channels) || channels.some((c) => typeof c !== 'string'))) {
    invalidOption('OrderingValidator.expectedChannels', 'an array of strings', channels);
  }
  return {
    mode: checkOneOf('OrderingValidator.mode', o.mode, ['strict', 'per-channel', 'priority']),
    firstSeq: integer('firstSeq', o.firstSeq, 0, Number.MAX_SAFE_INTEGER),
    reorderWindow: integer('reorderWindow', o.reorderWindow, 1, MAX_WINDOW),
    expectedChannels: channels === undefined ? undefined : new Set(channels),
    maxViolations: integer('maxViolations', o.maxViolations, 0, 10_000),
    byTimestamp:
      checkOneOf('OrderingValidator.sendOrder', o.sendOrder, ['timestamp', 'sentSeq']) === 'timestamp',
  };
}
