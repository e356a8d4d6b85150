import { ProtocolError } from '../../errors.js';
import { type Frame, readHello, welcomeFrame } from '../../framing/index.js';
import type { EndpointCore } from './endpoint-core.js';
import type { EndpointOutbound } from './endpoint-outbound.js';
import type { SessionOwner } from './protocol-session.js';

/**
 * Answers a client's `hello` for a {@link ServerProtocolEndpoint}: checks the version, resumes the
 * named session (releasing what the client's `lastSeq` acks) or creates one, attaches the
 * connection, sends `welcome`, replays unacked frames, sequences the data queued before `hello`,
 * and emits `session`. Internal to the endpoint.
 *
 * @param core - the endpoint's shared state; its `session`, `state` and `text` are set here
 * @param outbound - the endpoint's outbound side (replay and pending data)
 * @param owner - the connection, attached to the session
 * @param frame - the `hello` frame
 * @param text - whether it came as a text (JSON) message
 * A `hello` repeated unchanged after the answer (duplicated on the way) is dropped as a duplicate; a
 * `hello` for a session a newer connection holds displaces this connection instead of that one.
 *
 * @throws {@link ProtocolError} `WS_KIT_ERR_PROTOCOL` for a different second `hello` or no common version
 * @throws {@link FrameError} for a malformed `hello` body
 */
export function answerHello(
  core: EndpointCore,
  outbound: EndpointOutbound,
  owner: SessionOwner,
  frame: Frame,
  text: boolean,
): void {
  const body = readHello(frame);
  const key = JSON.stringify(body);
  if (core.session !== undefined) {
    // the same hello again (duplicated on the way) was answered already: drop it, as a duplicate
    if (key === core.helloKey) {
      core.counters.duplicatesDropped++;
      return;
    }
    throw new ProtocolError('WS_KIT_ERR_PROTOCOL', 'a second hello on the same connection', {
      received: 'hello',
    });
  }
  if (!body.versions.includes(1)) {
    throw new ProtocolError(
      'WS_KIT_ERR_PROTOCOL',
      `hello offers versions [${body.versions.join(', ')}]; this server speaks 1 (semantest-v1)`,
      { expected: [1], received: body.versions },
    );
  }
  if (core.options.encoding === 'auto') core.text = text;
  const found = body.sessionId === null ? undefined : core.store.get(body.sessionId);
  const session = found ?? core.store.create();
  if (!session.attach(core.clock.now(), owner)) {
    // a late hello from a connection the client gave up: the session lives on a newer one
    owner.displaced('session held by a newer connection', session.id);
    return;
  }
  core.helloKey = key;
  core.store.touch(session);
  core.session = session;
  core.state = 'open';
  if (found !== undefined) for (const [c, seq] of Object.entries(body.lastSeq)) session.outbound.ack(c, seq);
  core.write(
    welcomeFrame(
      { sessionId: session.id, version: 1, lastSeq: session.inbound.lastSeqs() },
      core.clock.now(),
    ),
  );
  const replayed = outbound.replay(session);
  outbound.flushPending(session);
  core.events.emit('session', {
    sessionId: session.id,
    resumed: found !== undefined,
    requestedSessionId: body.sessionId,
    replayed,
  });
}
