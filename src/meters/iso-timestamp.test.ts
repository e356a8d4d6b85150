import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { MeterError } from '../errors.js';
import { compareIsoTimestamps, diffIsoTimestamps, parseIsoTimestamp } from './iso-timestamp.js';

const ns = (isoUtcWholeSeconds: string, fractionNs = 0n) =>
  BigInt(Date.parse(isoUtcWholeSeconds)) * 1_000_000n + fractionNs;

describe('parseIsoTimestamp', () => {
  it('parses nanoseconds and a negative offset exactly (the last instant before a US DST change)', () => {
    expect(parseIsoTimestamp('2024-03-10T01:59:59.999999999-05:00')).toEqual({
      epochNs: ns('2024-03-10T06:59:59Z', 999_999_999n),
      epochMs: 1_710_054_000_000, // the float64 nearest to …999.999999999
      offsetMinutes: -300,
    });
  });

  it('gives epochMs with sub-millisecond digits for arithmetic with clock readings', () => {
    expect(parseIsoTimestamp('2024-01-01T00:00:00.00025Z').epochMs).toBe(1_704_067_200_000.25);
    expect(parseIsoTimestamp('1969-12-31T23:59:59.99975Z').epochMs).toBe(-0.25);
  });

  it.each([
    ['2024-06-01T12:00:00Z', 0, '2024-06-01T12:00:00Z'],
    ['2024-06-01T12:00:00+05:45', 345, '2024-06-01T06:15:00Z'],
    ['2024-06-01T12:00:00+05:30', 330, '2024-06-01T06:30:00Z'],
    ['2024-01-01T00:00:00+14:00', 840, '2023-12-31T10:00:00Z'],
    ['2023-12-31T00:00:00-12:00', -720, '2023-12-31T12:00:00Z'],
    ['2024-06-01T12:00:00-09:30', -570, '2024-06-01T21:30:00Z'],
  ])('reads %s as offset %i minutes, the instant %s', (text, offsetMinutes, utc) => {
    expect(parseIsoTimestamp(text)).toMatchObject({ offsetMinutes, epochNs: ns(utc) });
  });

  it.each([
    ['', 0n],
    ['.5', 500_000_000n],
    ['.12', 120_000_000n],
    ['.000001', 1_000n],
    ['.12345678', 123_456_780n],
    ['.123456789', 123_456_789n],
  ])('accepts the fraction "%s"', (fraction, fractionNs) => {
    expect(parseIsoTimestamp(`2024-02-29T23:59:59${fraction}Z`).epochNs).toBe(
      ns('2024-02-29T23:59:59Z', fractionNs),
    );
  });

  it('handles years below 100 without the Date.UTC 1900 mapping', () => {
    expect(parseIsoTimestamp('0001-01-01T00:00:00Z').epochMs).toBe(-62_135_596_800_000);
    expect(parseIsoTimestamp('0099-12-31T23:59:59Z').epochNs).toBe(-59_011_459_201_000_000_000n);
  });

  it('reads -00:00 as offset 0, not −0', () => {
    expect(Object.is(parseIsoTimestamp('2024-01-01T00:00:00-00:00').offsetMinutes, 0)).toBe(true);
  });

  it.each([
    ['2024-02-30T00:00:00Z', 'day 30 does not exist in 2024-02'],
    ['2023-02-29T00:00:00Z', 'day 29 does not exist in 2023-02'],
    ['1900-02-29T00:00:00Z', 'day 29 does not exist in 1900-02'],
    ['2024-04-31T00:00:00Z', 'day 31 does not exist in 2024-04'],
    ['2024-00-10T00:00:00Z', 'month 00 is not 01–12'],
    ['2024-13-10T00:00:00Z', 'month 13 is not 01–12'],
    ['2024-01-00T00:00:00Z', 'day 00 does not exist in 2024-01'],
    ['2024-01-01T24:00:00Z', 'hour 24 is not 00–23'],
    ['2024-01-01T23:60:00Z', 'minute 60 is not 00–59'],
    ['2024-12-31T23:59:60Z', 'second 60 is not 00–59 (leap seconds are not supported)'],
    ['2024-01-01T00:00:00+24:00', 'offset +24:00 is not ±00:00–±23:59'],
    ['2024-01-01T00:00:00+05:60', 'offset +05:60 is not ±00:00–±23:59'],
  ])('rejects %s (%s)', (text, why) => {
    const error = thrown(() => parseIsoTimestamp(text));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_TIMESTAMP_INVALID',
      message: `invalid ISO 8601 timestamp "${text}": ${why}`,
    });
  });

  it.each([
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00+0545',
    '2024-01-01T00:00:00+5:45',
    '2024-01-01T00:00:00+05',
    '2024-01-01t00:00:00Z',
    '2024-01-01T00:00:00z',
    '2024-01-01 00:00:00Z',
    '2024-01-01T00:00:00.Z',
    '2024-01-01T00:00:00.1234567891Z',
    ' 2024-01-01T00:00:00Z',
    '2024-01-01T00:00:00Z\n',
    '2024-1-01T00:00:00Z',
    '+002024-01-01T00:00:00Z',
    '2024-01-01T00:00Z',
    '2024-01-01',
  ])('rejects the malformed %j', (text) => {
    const error = thrown(() => parseIsoTimestamp(text));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_TIMESTAMP_INVALID',
      message: `invalid ISO 8601 timestamp ${JSON.stringify(text)}: does not match YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`,
    });
  });

  it('rejects a value that is not a string', () => {
    const error = thrown(() => parseIsoTimestamp(1_700_000_000_000 as never));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_TIMESTAMP_INVALID',
      message: 'invalid ISO 8601 timestamp 1700000000000: not a string',
    });
  });
});

describe('compareIsoTimestamps', () => {
  it.each([
    ['2024-01-01T00:00:00+01:00', '2023-12-31T23:00:00Z'],
    ['2024-01-01T00:00:00+14:00', '2023-12-30T22:00:00-12:00'],
    ['2024-06-01T12:00:00.5+05:45', '2024-06-01T06:15:00.500000000Z'],
  ])('finds %s and %s the same instant', (a, b) => {
    expect(compareIsoTimestamps(a, b)).toBe(0);
  });

  it('orders two instants one nanosecond apart', () => {
    expect(compareIsoTimestamps('2024-01-01T00:00:00.000000001Z', '2024-01-01T01:00:00+01:00')).toBe(1);
    expect(compareIsoTimestamps('2024-01-01T01:00:00+01:00', '2024-01-01T00:00:00.000000001Z')).toBe(-1);
  });

  it('orders the repeated local hour of a DST fall-back by its offsets', () => {
    // 01:30 happens twice in New York on 2024-11-03: first in EDT (-04:00), an hour later in EST (-05:00).
    expect(compareIsoTimestamps('2024-11-03T01:30:00-04:00', '2024-11-03T01:30:00-05:00')).toBe(-1);
  });

  it('accepts parsed timestamps as well as text', () => {
    const a = parseIsoTimestamp('2024-01-01T00:00:00Z');
    expect(compareIsoTimestamps(a, '2024-01-01T00:00:00.000000001Z')).toBe(-1);
  });

  it('rejects an argument that is neither a string nor a parsed timestamp', () => {
    const error = thrown(() => compareIsoTimestamps('2024-01-01T00:00:00Z', { epochNs: 5 } as never));
    expect(error).toBeInstanceOf(MeterError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_TIMESTAMP_INVALID',
      message: 'invalid ISO 8601 timestamp object: b is neither a timestamp string nor a parsed IsoTimestamp',
    });
  });
});

describe('diffIsoTimestamps', () => {
  it('gives a − b in milliseconds across offsets', () => {
    expect(diffIsoTimestamps('2024-03-10T03:00:00-04:00', '2024-03-10T01:59:59-05:00')).toBe(1000);
    expect(diffIsoTimestamps('2024-11-03T01:30:00-05:00', '2024-11-03T01:30:00-04:00')).toBe(3_600_000);
  });

  it('keeps a one-nanosecond difference', () => {
    expect(diffIsoTimestamps('2024-01-01T00:00:00.000000001Z', '2024-01-01T00:00:00Z')).toBe(0.000001);
    expect(diffIsoTimestamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000000001Z')).toBe(-0.000001);
  });
});
