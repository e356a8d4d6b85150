import { describe, expect, it } from 'vitest';
import { ack, hello, names, setup } from './endpoint-harness.js';
import { resolveServerProtocolOptions } from './protocol-options.js';

describe('ServerProtocolEndpoint: resend of unacked frames after resendAfterMs', () => {
  it('sends the oldest unacked frames again when no ack came for resendAfterMs, until acked', () => {
    const { endpoint, clock, take } = setup({ resendAfterMs: 500 });
    endpoint.receive(hello());
    take();
    for (const c of ['a', 'b', 'a']) endpoint.sendData(c, c);
    expect(names(take())).toEqual(['data:a#1', 'data:b#1', 'data:a#2']);
    clock.advance(499);
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(names(take())).toEqual(['data:a#1', 'data:b#1', 'data:a#2']); // in send order
    endpoint.receive(ack('a', 2));
    clock.advance(499); // an ack that released frames restarts the timeout
    expect(take()).toEqual([]);
    clock.advance(1);
    expect(names(take())).toEqual(['data:b#1']);
    endpoint.receive(ack('b', 1));
    clock.advance(5000);
    expect(take()).toEqual([]); // nothing unacked: no timer left
    expect(endpoint.stats().replays).toBe(4);
  });

  it('resends at most 64 frames per timeout, and none once detached or with resendAfterMs 0', () => {
    const { endpoint, clock, take } = setup({ resendAfterMs: 100 });
    endpoint.receive(hello());
    take();
    for (let i = 0; i < 100; i++) endpoint.sendData('a', `m${i}`);
    take();
    clock.advance(100);
    expect(names(take())).toEqual(Array.from({ length: 64 }, (_, i) => `data:a#${i + 1}`));
    endpoint.detach();
    clock.advance(1000);
    expect(take()).toEqual([]);

    const off = setup({ resendAfterMs: 0 });
    off.endpoint.receive(hello());
    off.take();
    off.endpoint.sendData('a', 'x');
    off.take();
    off.clock.advance(60_000);
    expect(off.take()).toEqual([]);
  });

  it('checks resendAfterMs', () => {
    expect(() => resolveServerProtocolOptions({ resendAfterMs: -1 })).toThrow(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message: expect.stringMatching(/resendAfterMs/),
      }),
    );
  });
});
