import { MeterError } from '../errors.js';
import { formatValue } from '../internal/options.js';

/** An instant parsed by {@link parseIsoTimestamp}, exact to the nanosecond. */
export interface IsoTimestamp {
  /** Nanoseconds since 1970-01-01T00:00:00Z (UTC), exact. */
  readonly epochNs: bigint;
  /** `epochNs` in milliseconds as a float64, for arithmetic with clock readings (rounded: ~0.24 µs steps in 2024). */
  readonly epochMs: number;
  /** The offset written in the text, in minutes east of UTC (`+05:45` → 345, `Z` → 0). */
  readonly offsetMinutes: number;
}

// YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|±HH:MM) — RFC 3339 §5.6 with upper-case T and Z.
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
// 400 Gregorian years are exactly 146 097 days; used to keep Date.UTC away from its 0–99 → 1900s mapping.
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

function invalid(text: unknown, why: string): MeterError {
  return new MeterError(
    'WS_KIT_ERR_TIMESTAMP_INVALID',
    `invalid ISO 8601 timestamp ${formatValue(text)}: ${why}`,
    {
      expected: 'YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)',
      received: text,
    },
  );
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses an ISO 8601 / RFC 3339 timestamp with an explicit offset, exactly.
 *
 * Accepted: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1–9 digits after a `.`, then `Z` or
 * `±HH:MM` (hours 00–23, minutes 00–59, e.g. `+05:45`, `+14:00`, `-12:00`). The calendar date must
 * exist (`2024-02-29` yes, `2023-02-29` no), hours 00–23, minutes and seconds 00–59.
 * Rejected: a missing offset (a local time is ambiguous), hour `24`, leap second `60`, lower-case
 * `t`/`z`, a space instead of `T`, `+0545`, `.` without digits, more than 9 fraction digits, and
 * anything around the timestamp (whitespace included). `Date.parse` is not used: it drops
 * sub-millisecond digits and accepts many non-ISO forms.
 *
 * @param text - the timestamp, e.g. `2024-03-10T01:59:59.999999999-05:00`
 * @returns the instant in exact nanoseconds and the offset it was written with
 * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when `text` is not such a timestamp
 */
export function parseIsoTimestamp(text: string): IsoTimestamp {
  if (typeof text !== 'string') throw invalid(text, 'not a string');
  const m = PATTERN.exec(text);
  if (m === null) throw invalid(text, 'does not match YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)');
  const [, y, mo, d, h, mi, s, fraction = '', z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) throw invalid(text, `month ${mo} is not 01–12`);
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays) throw invalid(text, `day ${d} does not exist in ${y}-${mo}`);
  if (hour > 23) throw invalid(text, `hour ${h} is not 00–23`);
  if (minute > 59) throw invalid(text, `minute ${mi} is not 00–59`);
  if (second > 59) throw invalid(text, `second ${s} is not 00–59 (leap seconds are not supported)`);
  let offsetMinutes = 0;
  if (z === undefined) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59)
      throw invalid(text, `offset ${sign}${oh}:${om} is not ±00:00–±23:59`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins) + 0;
  }
  const localMs =
    year < 100
      ? Date.UTC(year + 400, month - 1, day, hour, minute, second) - FOUR_CENTURIES_MS
      : Date.UTC(year, month - 1, day, hour, minute, second);
  const fractionNs = BigInt(fraction.padEnd(9, '0'));
  const epochNs = (BigInt(localMs) - BigInt(offsetMinutes) * 60_000n) * 1_000_000n + fractionNs;
  // Whole milliseconds are exact as a double; only the sub-millisecond part is rounded.
  const epochMs = Number(epochNs / 1_000_000n) + Number(epochNs % 1_000_000n) / 1e6;
  return Object.freeze({ epochNs, epochMs, offsetMinutes });
}

function toInstant(value: string | IsoTimestamp, name: string): bigint {
  if (typeof value === 'string') return parseIsoTimestamp(value).epochNs;
  if (typeof value === 'object' && value !== null && typeof value.epochNs === 'bigint') return value.epochNs;
  throw invalid(value, `${name} is neither a timestamp string nor a parsed IsoTimestamp`);
}

/**
 * Compares two instants exactly, whatever offsets they were written with
 * (`2024-01-01T00:00:00+01:00` equals `2023-12-31T23:00:00Z`; one nanosecond apart is not equal).
 *
 * @param a - a timestamp string or a parsed {@link IsoTimestamp}
 * @param b - a timestamp string or a parsed {@link IsoTimestamp}
 * @returns -1 when `a` is earlier, 0 when the same instant, 1 when `a` is later
 * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when either is not a valid timestamp
 */
export function compareIsoTimestamps(a: string | IsoTimestamp, b: string | IsoTimestamp): -1 | 0 | 1 {
  const x = toInstant(a, 'a');
  const y = toInstant(b, 'b');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The time from `b` to `a` (`a − b`) in milliseconds, computed exactly in nanoseconds and then
 * converted once: the result is the float64 nearest to the exact quotient for differences up to
 * 2^53 ns (about 104 days), so a 1 ns difference gives `0.000001`, never 0.
 *
 * @param a - the later timestamp, usually (string or {@link IsoTimestamp})
 * @param b - the earlier timestamp, usually (string or {@link IsoTimestamp})
 * @returns `a − b` in ms; negative when `a` is earlier
 * @throws {@link MeterError} `WS_KIT_ERR_TIMESTAMP_INVALID` when either is not a valid timestamp
 */
export function diffIsoTimestamps(a: string | IsoTimestamp, b: string | IsoTimestamp): number {
  return Number(toInstant(a, 'a') - toInstant(b, 'b')) / 1e6;
}
