/**
 * The dispatcher against a webhook that has gone away (a closed loopback port) must sleep between
 * retries, not spin: over 20 s its process uses well under a second of CPU (process.cpuUsage, CPU
 * time, not wall time). The state that used to spin for hours, a ticket's first event
 * dead-lettered with later events queued behind it, now ends the run instead of polling.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dispatch, type AttemptReport } from '../../tickets/index.ts';
import { filledStore, tempHome } from '../tickets/helpers.ts';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;

describe('dispatcher against a closed port', () => {
  it('20 s of --until-empty retries cost well under 1 s of CPU, with backoff between attempts', async () => {
    const store = await filledStore(tempHome('idle'), 4); // 4 tickets, 8 events
    const url = `http://127.0.0.1:${await closedPort()}/hooks`;
    const attempts: AttemptReport[] = [];
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    const before = process.cpuUsage();
    try {
      const s = await dispatch(store, {
        urls: [url],
        untilEmpty: true,
        baseDelayMs: 1000,
        maxDelayMs: 300_000,
        signal: controller.signal,
        onAttempt: (a) => attempts.push(a),
      });
      const cpu = cpuSeconds(process.cpuUsage(before));
      expect(cpu).toBeLessThan(1);
      expect(s.delivered).toBe(0);
      expect(s.pending).toBe(8);
    } finally {
      clearTimeout(timer);
      store.close();
    }
    // every attempt refused; per ticket, the head event only, its attempts spaced by the backoff:
    // retries after >= 0.5, 1, 2, 4, 8 s (equal jitter, base 1 s) fit at most 5 attempts in 20 s
    expect(attempts.every((a) => !a.ok && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
    const perEvent = new Map<number, number>();
    for (const a of attempts) perEvent.set(a.eventId, (perEvent.get(a.eventId) ?? 0) + 1);
    expect(perEvent.size).toBe(4);
    for (const n of perEvent.values()) {
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
    }
  }, 40_000);

  it('a dead-lettered head with events behind it ends the run (nothing can become due) instead of spinning', async () => {
    const store = await filledStore(tempHome('deadhead'), 3);
    const url = `http://127.0.0.1:${await closedPort()}/hooks`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    const before = process.cpuUsage();
    try {
      // maxAge 1 ms: the first failure of each head event dead-letters it
      const s = await dispatch(store, {
        urls: [url],
        untilEmpty: true,
        maxAgeMs: 1,
        signal: controller.signal,
      });
      expect(controller.signal.aborted).toBe(false); // it ended by itself
      expect(s.delivered).toBe(0);
      expect(s.deadLettered).toBeGreaterThanOrEqual(3); // the three head events, at their first failure
      expect(cpuSeconds(process.cpuUsage(before))).toBeLessThan(1);
    } finally {
      clearTimeout(timer);
      store.close();
    }
  }, 40_000);
});
