/**
 * Several dispatcher processes on one PostgreSQL store (`leadtime --store postgres://... tickets
 * dispatch`, spawned through tsx as a user runs it) against a real loopback receiver. In the normal
 * case every event is delivered exactly once between them (claims with FOR UPDATE SKIP LOCKED); when
 * one is killed with SIGKILL mid-stream its claimed events wait out their lease and are delivered by
 * the other or by its restart: every event arrives, each idempotency key is applied once, in
 * per-ticket order, and the store ends with everything delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTicketStore, ticketPolicy } from '../../tickets/index.ts';
import { dropPgDatabases, freshPgUrl, pgAvailable } from '../store-backends.ts';
import { fleetEvaluations, tempHome } from './helpers.ts';
import { Receiver } from './receiver.ts';

const root = resolve(import.meta.dirname, '../..');
const SECRET = 'chaos-secret';
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await dropPgDatabases();
});

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
  /** resolves when the n-th attempt line appears on stderr (false if the process ended first) */
  attempts(n: number): Promise<boolean>;
}

function dispatcher(url: string, home: string, receiver: string, extra: string[] = []): Run {
  const child = spawn(
    process.execPath,
    [
      resolve(root, 'bin/leadtime.js'),
      ...['--home', home, '--store', url, 'tickets', 'dispatch', '--url', receiver, '--secret', SECRET],
      ...[
        '--until-empty',
        '--base-delay',
        '20ms',
        '--concurrency',
        '2',
        '--log-attempts',
        '--json',
        ...extra,
      ],
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  // a dispatcher that hangs is stopped by the test, never left behind
  const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
  let stdout = '',
    stderr = '',
    seen = 0;
  const waiters: { n: number; resolve: (v: boolean) => void }[] = [];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    seen = stderr.split('\n').filter((l) => l.startsWith('{"attempt"')).length;
    for (const w of waiters.filter((x) => seen >= x.n)) w.resolve(true);
  });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (r) =>
      child.on('close', (code, signal) => {
        clearTimeout(guard);
        for (const w of waiters) w.resolve(false);
        r({ code, signal, stdout, stderr });
      }),
  );
  return {
    child,
    done,
    attempts: (n) =>
      seen >= n ? Promise.resolve(true) : new Promise((r) => waiters.push({ n, resolve: r })),
  };
}

const keysOf = (assets: number[]) =>
  assets.flatMap((a) => [1, 2].map((v) => `LT-${String(a).padStart(6, '0')}:${v}`));

describe.skipIf(!pgAvailable)('dispatchers on a shared PostgreSQL store (chaos)', () => {
  it('two dispatchers deliver each event once; one killed -9 mid-stream and restarted: every event applied once', async () => {
    const url = await freshPgUrl();
    const home = tempHome('chaos');
    const rx = await new Receiver(SECRET).start();
    try {
      // 1. normal case: 15 tickets (30 events), two dispatchers at once, no duplicates
      let store = await openTicketStore(home, url);
      await store.apply(fleetEvaluations(15), ticketPolicy());
      await store.close();
      rx.delayMs = 20;
      // an --until-empty dispatcher sleeps until the other's leases end (the default lease is 60 s)
      // before it sees their events delivered and exits: short leases, still well above a request
      const lease = ['--lease', '6s', '--timeout', '3s'];
      const [a, b] = [dispatcher(url, home, rx.url, lease), dispatcher(url, home, rx.url, lease)];
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect([ra.code, rb.code]).toEqual([0, 0]);
      const sa = JSON.parse(ra.stdout) as { delivered: number; pending: number };
      const sb = JSON.parse(rb.stdout) as { delivered: number; pending: number };
      expect(sa.delivered + sb.delivered).toBe(30);
      expect(rx.received.length).toBe(30);
      expect(rx.duplicates).toBe(0);
      expect(rx.applied).toEqual(new Set(keysOf(Array.from({ length: 15 }, (_, i) => i + 1))));

      // 2. chaos: 25 more tickets (50 events); A is killed after its 4th attempt, then restarted
      store = await openTicketStore(home, url);
      await store.apply(fleetEvaluations(40), ticketPolicy());
      await store.close();
      // 50 events take one dispatcher 10 s: both are working when A dies, and A's claimed events wait
      // out their 6 s lease before B or A's restart delivers them
      rx.delayMs = 400;
      const before = rx.received.length;
      const A = dispatcher(url, home, rx.url, lease);
      const B = dispatcher(url, home, rx.url, lease);
      expect(await Promise.all([A.attempts(1), B.attempts(1)])).toEqual([true, true]);
      expect(await A.attempts(3)).toBe(true);
      A.child.kill('SIGKILL');
      expect((await A.done).signal).toBe('SIGKILL');
      const midway = rx.received.length - before;
      const A2 = dispatcher(url, home, rx.url, lease);
      const [rB, rA2] = await Promise.all([B.done, A2.done]);
      expect([rB.code, rA2.code]).toEqual([0, 0]);
      expect(midway).toBeLessThan(50); // A was killed mid-stream, not after the end

      const all = keysOf(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(rx.applied).toEqual(new Set(all));
      expect(rx.keys()).toEqual(new Set(all));
      expect(rx.orderErrors).toEqual([]);
      expect(rx.received.every((r) => r.signatureOk)).toBe(true);
      // at least once: only what A had in flight (at most its concurrency, 2) can arrive twice
      expect(rx.received.length - all.length).toBe(rx.duplicates);
      expect(rx.duplicates).toBeLessThanOrEqual(2);
      store = await openTicketStore(home, url);
      const outbox = await store.outbox();
      await store.close();
      expect(outbox.length).toBe(80);
      expect(outbox.every((e) => e.state === 'delivered')).toBe(true);
    } finally {
      await rx.stop();
    }
  }, 600_000);
});
