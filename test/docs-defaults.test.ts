import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF_OPTIONS,
  DEFAULT_CHAOS_PROXY_OPTIONS,
  DEFAULT_CLIENT_ACK_OPTIONS,
  DEFAULT_CLIENT_BUFFER_OPTIONS,
  DEFAULT_CLIENT_HEARTBEAT_OPTIONS,
  DEFAULT_CLOCK_SYNC_OPTIONS,
  DEFAULT_JITTER_METER_OPTIONS,
  DEFAULT_LATENCY_METER_OPTIONS,
  DEFAULT_LINK_CONDITIONS,
  DEFAULT_MESSAGE_FAULTS,
  DEFAULT_MOCK_SERVER_OPTIONS,
  DEFAULT_PACE_OPTIONS,
  DEFAULT_PROGRESS_STREAM_OPTIONS,
  DEFAULT_RESILIENT_CLIENT_OPTIONS,
  DEFAULT_SESSION_STORE_OPTIONS,
  DEFAULT_THROUGHPUT_METER_OPTIONS,
  DEFAULT_TOKEN_BUCKET_OPTIONS,
} from '../src/index.js';
import { documentedDefaults, renderedDefaults } from './helpers/docs.js';

describe('docs/ option tables', () => {
  it.each([
    ['latency-meter.md', '## Options', DEFAULT_LATENCY_METER_OPTIONS],
    ['jitter-meter.md', '## Options', DEFAULT_JITTER_METER_OPTIONS],
    ['throughput-meter.md', '## Options', DEFAULT_THROUGHPUT_METER_OPTIONS],
    ['clock-sync.md', '## Options', DEFAULT_CLOCK_SYNC_OPTIONS],
    ['mock-server.md', '## Options', DEFAULT_MOCK_SERVER_OPTIONS],
    ['resilient-client.md', '## Options', DEFAULT_RESILIENT_CLIENT_OPTIONS],
    ['resilient-client.md', '## `backoff`', DEFAULT_BACKOFF_OPTIONS],
    ['resilient-client.md', '## `heartbeat`', DEFAULT_CLIENT_HEARTBEAT_OPTIONS],
    ['resilient-client.md', '## `buffer`', DEFAULT_CLIENT_BUFFER_OPTIONS],
    ['resilient-client.md', '## `ack`', DEFAULT_CLIENT_ACK_OPTIONS],
    ['chaos-proxy.md', '## Options', DEFAULT_CHAOS_PROXY_OPTIONS],
    ['chaos-proxy.md', '## Link conditions', DEFAULT_LINK_CONDITIONS],
    ['chaos-proxy.md', '## Message faults', DEFAULT_MESSAGE_FAULTS],
    ['pacing-and-limits.md', '## `pace(produce, options)`', DEFAULT_PACE_OPTIONS],
    ['pacing-and-limits.md', '## `TokenBucket`', DEFAULT_TOKEN_BUCKET_OPTIONS],
    ['pacing-and-limits.md', '## `progressStream(options)`', DEFAULT_PROGRESS_STREAM_OPTIONS],
  ] as const)('%s (%s) documents every option with the default the code uses', (page, heading, defaults) => {
    expect(documentedDefaults(page, heading)).toEqual(renderedDefaults(defaults));
  });

  it('protocol-server.md documents the SessionStore maxSessions default', () => {
    const text = readFileSync(new URL('../docs/protocol-server.md', import.meta.url), 'utf8').replace(
      /\s+/g,
      ' ',
    );
    expect(text).toContain(`\`maxSessions\` (default \`${DEFAULT_SESSION_STORE_OPTIONS.maxSessions}\``);
  });
});
