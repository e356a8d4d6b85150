import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/errors.js';
import { OptionsError } from '../errors.js';
import type { OrderedMessage } from './ordering-report.js';
import { OrderingValidator } from './ordering-validator.js';

describe('OrderingValidator cross-talk', () => {
  it('counts a message whose channel differs from its subscription as cross-talk and does not sequence it', () => {
    const v = new OrderingValidator();
    expect(v.observe({ channel: 'b', seq: 1 }, { receivedOn: 'a' })).toBe('cross-talk');
    const r = v.report();
    expect(r).toMatchObject({ channelCrossTalk: 1, observed: 1, inOrderMessages: 0, streams: [] });
    expect(r.firstViolations[0]?.message).toBe(
      'message #1 on channel "b" arrived on subscription "a" (cross-talk)',
    );
  });

  it('counts a message on a channel outside expectedChannels as cross-talk', () => {
    const v = new OrderingValidator({ expectedChannels: ['a'] });
    expect(v.observe({ channel: 'a', seq: 1 })).toBe('in-order');
    expect(v.observe({ channel: 'x', seq: 1 })).toBe('cross-talk');
    expect(v.report().firstViolations[0]?.message).toBe(
      'message #2 on channel "x", which is not in expectedChannels (cross-talk)',
    );
  });

  it('accepts a message whose channel matches its subscription', () => {
    const v = new OrderingValidator();
    expect(v.observe({ channel: 'a', seq: 1 }, { receivedOn: 'a' })).toBe('in-order');
  });
});

describe('OrderingValidator priority mode', () => {
  const msg = (channel: string, seq: number, priority: number, timestamp: number): OrderedMessage => ({
    channel,
    seq,
    priority,
    timestamp,
  });

  it('flags a higher-priority message delivered after a lower-priority one sent later', () => {
    const v = new OrderingValidator({ mode: 'priority' });
    v.observe(msg('bulk', 1, 1, 20));
    expect(v.observe(msg('alerts', 1, 7, 10))).toBe('in-order');
    const r = v.report();
    expect(r).toMatchObject({ priorityViolations: 1, inOrderMessages: 1, violations: 1 });
    expect(r.firstViolations[0]?.message).toBe(
      'channel "alerts" seq 1 (priority 7, sent at 10) arrived at message #2 after message #1 (priority 1, sent later at 20) (priority inversion)',
    );
  });

  it('accepts a lower-priority message sent earlier being delivered first', () => {
    const v = new OrderingValidator({ mode: 'priority' });
    v.observe(msg('bulk', 1, 1, 5));
    v.observe(msg('alerts', 1, 7, 10));
    expect(v.report().priorityViolations).toBe(0);
  });

  it('does not count a tie in send time as an inversion', () => {
    const v = new OrderingValidator({ mode: 'priority' });
    v.observe(msg('bulk', 1, 1, 10));
    v.observe(msg('alerts', 1, 7, 10));
    expect(v.report().priorityViolations).toBe(0);
  });

  it('reads the send order from sentSeq when configured', () => {
    const v = new OrderingValidator({ mode: 'priority', sendOrder: 'sentSeq' });
    v.observe({ channel: 'bulk', seq: 1, priority: 0, sentSeq: 2 });
    v.observe({ channel: 'alerts', seq: 1, priority: 9, sentSeq: 1 });
    expect(v.report().priorityViolations).toBe(1);
  });

  it('ignores priorities outside priority mode', () => {
    const v = new OrderingValidator({ mode: 'per-channel' });
    v.observe(msg('bulk', 1, 1, 20));
    v.observe(msg('alerts', 1, 7, 10));
    expect(v.report().priorityViolations).toBe(0);
  });

  it('requires the send-order field in priority mode', () => {
    const v = new OrderingValidator({ mode: 'priority' });
    const error = thrown(() => v.observe({ channel: 'a', seq: 1, priority: 3 }));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error).toMatchObject({
      code: 'WS_KIT_ERR_INVALID_ARGUMENT',
      message:
        'OrderingValidator.observe message.timestamp must be a finite number in priority mode, got undefined',
    });
  });
});
