import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
    const text = readFileSync(new URL('../../../docs/protocol-server.md', import.meta.url), 'utf8');
    const section = text.split('\n## Options\n')[1]?.split('\n## ')[0] ?? '';
    const documented: Record<string, string> = {};
    for (const m of section.matchAll(/^\|\s*`(\w+)`\s*\|\s*`([^`]+)`\s*\|/gm)) documented[m[1]!] = m[2]!;
    const expected = Object.fromEntries(
      Object.entries(DEFAULT_SERVER_PROTOCOL_OPTIONS).map(([k, v]) => [
        k,
        typeof v === 'string' ? `'${v}'` : String(v),
      ]),
    );
    expect(documented).toEqual(expected);
  });
});
