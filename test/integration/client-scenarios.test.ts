import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioResult } from './client-harness.js';

/** What every scenario must show: nothing lost, nothing twice, order kept, a prompt reconnect. */
function expectZeroLoss(r: ScenarioResult, count = 10_000): void {
  if (process.env.WS_KIT_DEBUG)
    console.log(
      'lateMs',
      r.lateMs.toFixed(1),
      'reconnects',
      r.stats.reconnects,
      'resends',
      r.stats.resends,
      r.reconnecting.map((e) => e.reason).join(','),
    );
  for (const side of [r.up, r.down]) {
    const report = side.delivery.report();
    expect({ lost: report.lost, duplicated: report.duplicated, unexpected: report.unexpected }).toEqual({
      lost: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(report.received).toBe(count);
    side.delivery.assert();
    side.order.assert();
  }
  expect(r.errors).toEqual([]);
  expect(r.duplicatesDelivered).toBe(0);
  expect(r.stats.reconnects).toBeGreaterThanOrEqual(1);
  expect(r.stats.unacked).toBe(0);
  // reconnected within the backoff delay plus 50 ms of the server being reachable again
  expect(r.lateMs).toBeGreaterThanOrEqual(0);
  expect(r.lateMs).toBeLessThanOrEqual(50);
}

describe('ResilientClient: 10,000 messages each way at 1 per ms, zero loss', {
  timeout: 60_000,
}, () => {
  it('survives its connection being dropped mid-stream (no close frame)', async () => {
    const r = await runScenario({
      disrupt: async ({ server }) => {
        for (const c of server.connections.filter((c) => c.isOpen)) server.drop(c, 'abrupt');
        return performance.now();
      },
    });
    expectZeroLoss(r);
    expect(r.reconnecting[0]?.reason).toBe('close');
  });

  it('survives a graceful MockServer restart (1012, same port, sessions kept)', async () => {
    const r = await runScenario({
      disrupt: async ({ server }) => {
        await server.restart({ mode: 'graceful' });
        return performance.now();
      },
    });
    expectZeroLoss(r);
  });

  it('survives an immediate MockServer restart (sockets destroyed, like a crash)', async () => {
    const r = await runScenario({
      disrupt: async ({ server }) => {
        await server.restart({ mode: 'immediate' });
        return performance.now();
      },
    });
    expectZeroLoss(r);
  });

  it('notices a 2 s half-open blackout by its heartbeat and reconnects once the link is back', async () => {
    const r = await runScenario({
      disruptAt: 3000,
      disrupt: async ({ server, untilSent }) => {
        // a blackout: the open connection goes silent (half-open: no FIN, no RST) and new
        // connections get no answer either, for 2 s (2,000 messages)
        server.hang('tcp');
        const stuck = server.connections.filter((c) => c.isOpen);
        for (const c of stuck) server.pause(c);
        await untilSent(5000);
        server.hang('none');
        for (const c of stuck) if (c.isOpen) server.resume(c);
        return performance.now();
      },
    });
    expectZeroLoss(r);
    expect(r.reconnecting[0]?.reason).toBe('heartbeat-timeout');
    // the attempts made during the blackout got no answer and timed out
    expect(r.reconnecting.slice(1).map((e) => e.reason)).toContain('connect-timeout');
  });

  it('lives through an intermittent link: 5 s on, 5 s off, 5 s on', async () => {
    const count = 15_000;
    const r = await runScenario({
      count,
      disruptAt: 5000,
      disrupt: async ({ server, untilSent }) => {
        // off: every connection dropped, every upgrade refused (503) for 5 s (5,000 messages)
        server.rejectNext(Number.POSITIVE_INFINITY, 503);
        for (const c of server.connections.filter((c) => c.isOpen)) server.drop(c, 'abrupt');
        await untilSent(10_000);
        server.rejectNext(0);
        return performance.now(); // on again, for the last 5,000 messages
      },
    });
    expectZeroLoss(r, count);
    expect(r.reconnecting.filter((e) => e.reason === 'upgrade').length).toBeGreaterThan(3);
  });
});
