import { ProtocolError } from '../../errors.js';
import type { EndpointCore } from './endpoint-core.js';
import type { OverflowEvent } from './protocol-events.js';
import type { DroppedFrame } from './replay-buffer.js';

/**
 * Reports a full buffer of a {@link ServerProtocolEndpoint}: counts it, emits `overflow`, and
 * applies the policy. Internal to the endpoint.
 *
 * @param core - the endpoint's shared state
 * @param buffer - which buffer is full
 * @param dropped - the frames dropped to make room (drop-oldest) or the frame not accepted
 * @param channel - the channel of the frame that did not fit
 * @param policy - the policy to apply; default: the endpoint's `overflow` option
 * @returns `true` to go on (drop-oldest), `false` to refuse the frame (reject)
 * @throws {@link ProtocolError} `WS_KIT_ERR_BUFFER_OVERFLOW` under policy `'error'`
 */
export function reportOverflow(
  core: EndpointCore,
  buffer: OverflowEvent['buffer'],
  dropped: DroppedFrame[],
  channel: string,
  policy = core.options.overflow,
): boolean {
  const o = core.options;
  const limit =
    buffer === 'reorder'
      ? `maxReorderFrames ${o.maxReorderFrames}`
      : `maxReplayFrames ${o.maxReplayFrames} / maxReplayBytes ${o.maxReplayBytes}`;
  const what =
    policy === 'drop-oldest'
      ? `dropped ${dropped.map((d) => `${JSON.stringify(d.channel)}#${d.seq}`).join(', ')}`
      : buffer === 'reorder'
        ? `frame ${JSON.stringify(channel)}#${dropped[0]?.seq} not accepted (the client keeps it)`
        : 'frame refused';
  const error = new ProtocolError('WS_KIT_ERR_BUFFER_OVERFLOW', `${buffer} buffer full (${limit}): ${what}`, {
    channel,
    received: dropped,
  });
  core.counters.overflows++;
  core.events.emit('overflow', { buffer, policy, error, dropped });
  if (policy === 'error') throw error;
  return policy === 'drop-oldest';
}
