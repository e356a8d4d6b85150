import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { Inbox } from './inbox.js';

function bounded(capacity: number) {
  const forgotten: Array<{ item: number; unread: boolean }> = [];
  const inbox = new Inbox<number>(new ManualClock(), 'numbers', String, capacity, (item, unread) =>
    forgotten.push({ item, unread }),
  );
  return { inbox, forgotten };
}

describe('Inbox bound', () => {
  it('keeps the latest `capacity` items and reports each forgotten one, read or not', async () => {
    const { inbox, forgotten } = bounded(3);
    inbox.push(1);
    expect(await inbox.next(10, 'next')).toBe(1);
    for (const n of [2, 3, 4, 5]) inbox.push(n);
    expect(inbox.items).toEqual([3, 4, 5]);
    expect(forgotten).toEqual([
      { item: 1, unread: false },
      { item: 2, unread: true },
    ]);
    // next() goes on from the oldest item still kept
    expect(await inbox.next(10, 'next')).toBe(3);
    expect(await inbox.waitFor((n) => n === 5, 10, 'waitFor')).toBe(5);
  });

  it('stays exact over many pushes (the forgotten prefix is dropped in slices)', async () => {
    const { inbox, forgotten } = bounded(1000);
    for (let n = 0; n < 10_000; n++) inbox.push(n);
    expect(inbox.items).toHaveLength(1000);
    expect(inbox.items[0]).toBe(9000);
    expect(forgotten).toHaveLength(9000);
    expect(await inbox.next(10, 'next')).toBe(9000);
    expect(inbox.flush()).toBe(1000);
    expect(inbox.items).toEqual([]);
  });

  it('hands an item to a waiting next() even when it is forgotten from the log at once', async () => {
    const { inbox } = bounded(1);
    inbox.push(1);
    expect(await inbox.next(10, 'next')).toBe(1);
    const waiting = inbox.next(10, 'next');
    inbox.push(2);
    inbox.push(3);
    expect(await waiting).toBe(2);
    expect(await inbox.next(10, 'next')).toBe(3);
  });

  it('keeps everything without a capacity', () => {
    const { inbox, forgotten } = bounded(Number.POSITIVE_INFINITY);
    for (let n = 0; n < 5000; n++) inbox.push(n);
    expect(inbox.items).toHaveLength(5000);
    expect(forgotten).toEqual([]);
  });
});
