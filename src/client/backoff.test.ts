import { describe, expect, it } from 'vitest';
import { expectError } from '../../test/helpers/errors.js';
import { OptionsError } from '../errors.js';
import { Backoff } from './backoff.js';
import { defaultShouldReconnect } from './close-policy.js';

describe('Backoff', () => {
  it('grows by factor up to maxMs without jitter, and starts over on reset()', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 'none' });
    expect([1, 2, 3, 4, 5, 6].map(() => b.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('draws full jitter in [0, d] and equal jitter in [d/2, d] afresh for every attempt', () => {
    const draws = [0, 0.5, 0.999];
    let i = 0;
    const random = () => draws[i++ % draws.length]!;
    const full = new Backoff({ initialMs: 100, jitter: 'full' }, random);
    expect([full.next(), full.next(), full.next()]).toEqual([0, 100, 399.6]);
    i = 0;
    const equal = new Backoff({ initialMs: 100, jitter: 'equal' }, random);
    expect([equal.next(), equal.next(), equal.next()]).toEqual([50, 150, 399.8]);
  });

  it('spreads a fleet: 1000 clients draw 1000 different first delays', () => {
    const delays = new Set(Array.from({ length: 1000 }, () => new Backoff().next()));
    expect(delays.size).toBe(1000);
  });

  it('counts attempts and reports exhaustion at maxAttempts', () => {
    const b = new Backoff({ maxAttempts: 2, jitter: 'none' });
    b.next();
    expect(b.exhausted).toBe(false);
    b.next();
    expect(b.exhausted).toBe(true);
    expect(b.attempt).toBe(2);
  });

  it.each([
    [{ initialMs: -1 }, /backoff\.initialMs/],
    [{ initialMs: 100, maxMs: 50 }, /backoff\.maxMs/],
    [{ factor: 0.5 }, /backoff\.factor/],
    [{ jitter: 'some' }, /backoff\.jitter/],
    [{ maxAttempts: 1.5 }, /backoff\.maxAttempts/],
    [{ stableMs: Number.NaN }, /backoff\.stableMs/],
    [{ retries: 3 }, /unknown option 'retries'/],
  ])('rejects %o with WS_KIT_ERR_INVALID_OPTION', (options, message) => {
    expectError(() => new Backoff(options as never), OptionsError, 'WS_KIT_ERR_INVALID_OPTION', message);
  });
});

describe('defaultShouldReconnect', () => {
  it.each([
    [{ kind: 'close', code: 1001, reason: '' }, true],
    [{ kind: 'close', code: 1006, reason: '' }, true],
    [{ kind: 'close', code: 1011, reason: '' }, true],
    [{ kind: 'close', code: 1012, reason: '' }, true],
    [{ kind: 'close', code: 1013, reason: '' }, true],
    [{ kind: 'close', code: 1000, reason: '' }, false],
    [{ kind: 'close', code: 1008, reason: '' }, false],
    [{ kind: 'close', code: 4000, reason: '' }, false],
    [{ kind: 'upgrade', status: 401 }, false],
    [{ kind: 'upgrade', status: 403 }, false],
    [{ kind: 'upgrade', status: 503 }, true],
    [{ kind: 'upgrade', status: 429 }, true],
    [{ kind: 'error', error: new Error('ECONNREFUSED') }, true],
    [{ kind: 'connect-timeout' }, true],
    [{ kind: 'heartbeat-timeout' }, true],
    [{ kind: 'ack-timeout' }, true],
    [{ kind: 'protocol', error: new Error('x') }, false],
    [{ kind: 'user', code: 1000, reason: '' }, false],
  ] as const)('%o → %s', (reason, expected) => {
    expect(defaultShouldReconnect(reason)).toBe(expected);
  });
});
