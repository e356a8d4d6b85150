import { describe, expect, it, vi } from 'vitest';
import { dataMatches, defaultEquals } from './equality.js';
import { formatExpected, formatReceived } from './format.js';
import { assignMessages } from './matching.js';

describe('defaultEquals', () => {
  it('compares primitives, bytes, arrays and plain objects deeply', () => {
    expect(defaultEquals({ a: [1, 'x', null] }, { a: [1, 'x', null] })).toBe(true);
    expect(defaultEquals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(defaultEquals([1], { 0: 1 })).toBe(false);
    expect(defaultEquals(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(defaultEquals(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(defaultEquals(Number.NaN, Number.NaN)).toBe(true);
  });

  it('lets an asymmetric matcher decide', () => {
    expect(defaultEquals({ type: 'x', n: 1 }, expect.objectContaining({ type: 'x' }))).toBe(true);
    expect(defaultEquals('a', expect.any(Number))).toBe(false);
  });
});

describe('dataMatches', () => {
  it('matches JSON text only for a non-string expectation', () => {
    expect(dataMatches(defaultEquals, '{"a":1}', { a: 1 })).toBe(true);
    expect(dataMatches(defaultEquals, '"a"', 'a')).toBe(false);
    expect(dataMatches(defaultEquals, 'not json', { a: 1 })).toBe(false);
  });

  it('tests a RegExp against text only, without carrying lastIndex over', () => {
    const global = /a/g;
    expect(dataMatches(defaultEquals, 'a', global)).toBe(true);
    expect(dataMatches(defaultEquals, 'a', global)).toBe(true);
    expect(dataMatches(defaultEquals, new Uint8Array([97]), /a/)).toBe(false);
  });
});

describe('formatting', () => {
  it('renders expectations JSON-like, bytes as hex and matchers by name', () => {
    expect(formatExpected({ type: 'hello', ids: [1, 2] })).toBe('{"type":"hello","ids":[1,2]}');
    expect(formatExpected(new Uint8Array([1, 255]))).toBe('<2 bytes: 01 ff>');
    expect(formatExpected(new Uint8Array(20))).toBe(`<20 bytes: ${Array(16).fill('00').join(' ')} …>`);
    expect(formatExpected(/^a/i)).toBe('/^a/i');
    expect(formatExpected(expect.objectContaining({ a: 1 }))).toBe('ObjectContaining {"a":1}');
    expect(formatExpected({ id: expect.any(String) })).toBe('{"id":Any<String>}');
  });

  it('renders received messages with their connection and channel', () => {
    const base = { binary: false, channel: '', seq: 0, receivedAt: 0, bytes: 1 };
    expect(formatReceived({ ...base, connectionId: 'c1', data: 'x'.repeat(70) })).toBe(
      `c1:"${'x'.repeat(57)}..."`,
    );
    expect(formatReceived({ ...base, connectionId: 'c2', data: { a: 1 }, channel: 'news', seq: 4 })).toBe(
      'c2#news/4:{"a":1}',
    );
  });
});

describe('assignMessages', () => {
  it('finds a full one-to-one matching when a greedy one would not', () => {
    const anything = () => true;
    const result = assignMessages(['a', 'b'], [anything, (r: string) => r === 'a'], (r, e) => e(r));
    expect(result).toEqual({ unmatchedExpected: [], unmatchedReceived: [] });
  });

  it('reports what is left on each side', () => {
    expect(assignMessages(['a', 'x'], ['a', 'b'], (r, e) => r === e)).toEqual({
      unmatchedExpected: [1],
      unmatchedReceived: [1],
    });
  });
});

describe('the entry points', () => {
  it('@semantest/ws-kit/jest extends the global expect with every matcher', async () => {
    const extend = vi.fn();
    vi.stubGlobal('expect', { extend });
    try {
      vi.resetModules();
      const entry = await import('../jest.js');
      expect(extend).toHaveBeenCalledTimes(1);
      expect(extend.mock.calls[0]![0]).toBe(entry.wsKitMatchers);
      expect(Object.keys(entry.wsKitMatchers).sort()).toEqual([
        'toBeClosed',
        'toBeOpen',
        'toHaveClosedWith',
        'toHaveReceivedMessages',
        'toPass',
        'toReceiveMessage',
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('@semantest/ws-kit/jest does nothing without a global expect (injectGlobals: false)', async () => {
    vi.stubGlobal('expect', undefined);
    try {
      vi.resetModules();
      await expect(import('../jest.js')).resolves.toHaveProperty('wsKitMatchers.toPass');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
