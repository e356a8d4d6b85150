import { describe, expect, it } from 'vitest';
import '../vitest.js';
import { DeliveryValidator, OrderingValidator } from '../validators/index.js';
import { failureOf } from './test-helpers.js';
import { toPass } from './validator-matchers.js';

function assertMessage(validator: { assert(): void }): string {
  try {
    validator.assert();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('assert() did not throw');
}

describe('toPass', () => {
  it('passes for a validator whose assert() does not throw', () => {
    const order = new OrderingValidator();
    order.observe({ channel: 'c', seq: 1 });
    order.observe({ channel: 'c', seq: 2 });
    expect(order).toPass();
  });

  it("fails with exactly the message of assert()'s error, naming the first violations", async () => {
    const order = new OrderingValidator();
    order.observe({ channel: 'c', seq: 1 });
    order.observe({ channel: 'c', seq: 3 });
    const expected = assertMessage(order);
    expect(expected).toMatch(/seq/);
    expect(await failureOf(() => expect(order).toPass())).toBe(expected);
    const delivery = new DeliveryValidator();
    delivery.sent(1);
    expect(await failureOf(() => expect(delivery).toPass())).toBe(assertMessage(delivery));
  });

  it('fails under .not when the validator passes', async () => {
    const delivery = new DeliveryValidator();
    expect(await failureOf(() => expect(delivery).not.toPass())).toBe(
      'expected DeliveryValidator not to pass, but its assert() did not throw',
    );
    delivery.sent(1);
    expect(delivery).not.toPass();
  });

  it('accepts any object with report() and assert()', async () => {
    const custom = {
      report: () => ({ ok: false }),
      assert: () => {
        throw new Error('custom rule broken: 2 late messages');
      },
    };
    expect(await failureOf(() => expect(custom).toPass())).toBe('custom rule broken: 2 late messages');
    expect(toPass.call(undefined, { report: () => ({}), assert: () => {} }).message()).toBe(
      'expected validator not to pass, but its assert() did not throw',
    );
  });

  it('rejects an object without report() and assert()', () => {
    expect(() => toPass.call(undefined, { assert: () => {} })).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_ARGUMENT',
        message: 'toPass() expects a validator with report() and assert(), got object',
      }),
    );
  });
});
