import { describe, expect, it } from 'vitest';
import { documentedDefaults, renderedDefaults } from '../../../test/helpers/docs.js';
import { OptionsError } from '../../errors.js';
import { DEFAULT_SERVER_PROTOCOL_OPTIONS, resolveServerProtocolOptions } from './protocol-options.js';

describe('ServerProtocolEndpoint options', () => {
  it('rejects an unknown key, naming the known ones', () => {
    expect(() => resolveServerProtocolOptions({ ackEvry: 3 } as never)).toThrowError(OptionsError);
    expect(() => resolveServerProtocolOptions({ ackEvry: 3 } as never)).toThrowError(
      /^ServerProtocolEndpoint: unknown option 'ackEvry' \(known: ackEvery, ackDelayMs,/,
    );
  });

  it('rejects an overflow policy it does not know', () => {
    expect(() => resolveServerProtocolOptions({ overflow: 'drop-newest' as never })).toThrowError(
      expect.objectContaining({
        code: 'WS_KIT_ERR_INVALID_OPTION',
        message:
          "ServerProtocolEndpoint.overflow must be one of 'reject', 'drop-oldest', 'error', got \"drop-newest\"",
      }),
    );
  });

  it('is documented in docs/protocol-server.md with the defaults the code uses', () => {
    expect(documentedDefaults('protocol-server.md')).toEqual(
      renderedDefaults(DEFAULT_SERVER_PROTOCOL_OPTIONS),
    );
  });
});
