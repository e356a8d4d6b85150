import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as clock from '../src/clock/index.js';
import * as framing from '../src/framing/index.js';
import * as entry from '../src/index.js';
import * as meters from '../src/meters/index.js';
import * as proxy from '../src/proxy/index.js';
import * as server from '../src/server/index.js';
import * as validators from '../src/validators/index.js';

describe('package entries', () => {
  it.each([
    ['clock', clock],
    ['framing', framing],
    ['meters', meters],
    ['validators', validators],
    ['server', server],
    ['proxy', proxy],
  ] as const)('the Node entry exports every public value of %s/', (_folder, names) => {
    expect(Object.keys(names).filter((name) => !(name in entry))).toEqual([]);
  });

  it('the browser entry holds the portable folders and nothing from server/', () => {
    for (const names of [clock, framing, meters, validators]) {
      expect(Object.keys(names).filter((name) => !(name in browser))).toEqual([]);
    }
    expect(Object.keys(browser)).not.toContain('MockServer');
    expect(Object.keys(browser)).not.toContain('ChaosProxy');
  });
});
