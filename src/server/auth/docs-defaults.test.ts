import { describe, expect, it } from 'vitest';
import { documentedDefaults, renderedDefaults } from '../../../test/helpers/docs.js';
import { DEFAULT_JWT_AUTHENTICATOR_OPTIONS } from './jwt-options.js';

describe('auth docs', () => {
  it('auth.md documents every createJwtAuthenticator option with the default the code uses', () => {
    expect(documentedDefaults('auth.md')).toEqual(renderedDefaults(DEFAULT_JWT_AUTHENTICATOR_OPTIONS));
  });
});
