import { describe, expect, it } from 'vitest';
import { FrameError, ProtocolError } from '../../errors.js';
import { closeCodeFor, truncateReason } from './frame-faults.js';

describe('closeCodeFor', () => {
  it('maps decode and protocol errors to their RFC 6455 close codes', () => {
    const codes = (
      [
        'WS_KIT_ERR_FRAME_TOO_LARGE',
        'WS_KIT_ERR_FRAME_INVALID_JSON',
        'WS_KIT_ERR_FRAME_TRUNCATED',
        'WS_KIT_ERR_SESSION_LIMIT',
        'WS_KIT_ERR_INTERNAL',
      ] as const
    ).map((code) => closeCodeFor(new FrameError(code, 'x')));
    expect(codes).toEqual([1009, 1007, 1002, 1013, 1011]);
    expect(closeCodeFor(new ProtocolError('WS_KIT_ERR_PROTOCOL', 'x'))).toBe(1002);
    expect(closeCodeFor(new Error('x'))).toBe(1011);
  });
});

describe('truncateReason', () => {
  it('cuts a reason to at most 123 UTF-8 bytes without splitting a character', () => {
    const reason = truncateReason('é'.repeat(100));
    expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
    expect(reason).toBe(`${'é'.repeat(60)}...`);
    expect(truncateReason('short')).toBe('short');
  });
});
