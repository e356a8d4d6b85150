import { describe, expect, it } from 'vitest';
import { SEMANTEST_V1, selectSubprotocol } from './subprotocol.js';

describe('selectSubprotocol', () => {
  it('picks the server’s most preferred protocol among those offered', () => {
    expect(selectSubprotocol(['semantest-v1', 'semantest-v2'], ['semantest-v2', SEMANTEST_V1])).toBe(
      'semantest-v2',
    );
  });

  it('gives a client offering v2 and v1 to a v1 server semantest-v1', () => {
    expect(selectSubprotocol(new Set(['semantest-v2', 'semantest-v1']), [SEMANTEST_V1])).toBe('semantest-v1');
  });

  it('returns undefined when nothing matches, comparing case-sensitively', () => {
    expect(selectSubprotocol(['Semantest-V1'], [SEMANTEST_V1])).toBeUndefined();
  });
});
