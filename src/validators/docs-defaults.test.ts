import { describe, expect, it } from 'vitest';
import { documentedDefaults, renderedDefaults } from '../../test/helpers/docs.js';
import { DEFAULT_DELIVERY_VALIDATOR_OPTIONS } from './delivery-options.js';
import { DEFAULT_FAIRNESS_VALIDATOR_OPTIONS } from './fairness-options.js';
import { DEFAULT_ORDERING_VALIDATOR_OPTIONS } from './ordering-options.js';
import { DEFAULT_PROGRESS_VALIDATOR_OPTIONS } from './progress-options.js';
import { DEFAULT_ROUTING_VALIDATOR_OPTIONS } from './routing-options.js';

describe('validator docs', () => {
  it.each([
    ['ordering-validator.md', DEFAULT_ORDERING_VALIDATOR_OPTIONS],
    ['delivery-validator.md', DEFAULT_DELIVERY_VALIDATOR_OPTIONS],
    ['fairness-validator.md', DEFAULT_FAIRNESS_VALIDATOR_OPTIONS],
    ['progress-validator.md', DEFAULT_PROGRESS_VALIDATOR_OPTIONS],
    ['routing-validator.md', DEFAULT_ROUTING_VALIDATOR_OPTIONS],
  ] as const)('%s documents every option with the default the code uses', (page, defaults) => {
    expect(documentedDefaults(page)).toEqual(renderedDefaults(defaults));
  });
});
