/**
 * Delivery against a real HTTP receiver on loopback: every ticket event arrives at least once, the
 * receiver applies each idempotency key once and in per-ticket order, signatures verify, failures
 * retry with backoff, and events past their maximum age are dead-lettered, listed and requeued.
 */
import { createServer } from 'node:net';
import { afterAll, describe, expect, it as itAll } from 'vitest';
import { backoffDelay, dispatch, retryAfter, sign, verify, type AttemptReport } from '../../tickets/index.ts';
import { BACKENDS, dropPgDatabases } from '../store-backends.ts';
import { filledStore as filledIn, tempHome } from './helpers.ts';
import { Receiver } from './receiver.ts';

const SECRET = 's3cret';
const fast = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2000, untilEmpty: true, secret: SECRET };

/** A loopback port that is free now (nothing listens on it). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

afterAll(dropPgDatabases);
const it = itAll;

describe('signature', () => {
  it('is sha256=<hex HMAC-SHA256 of the body> (RFC 4231 test case 2)', () => {
    expect(sign('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(verify('{"a":1}', 'k', sign('{"a":1}', 'k'))).toBe(true);
    expect(verify('{"a":2}', 'k', sign('{"a":1}', 'k'))).toBe(false);
    expect(verify('{"a":1}', 'k', undefined)).toBe(false);
  });

  it('backoff doubles up to the cap, jitter keeps it in [d/2, d]', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 1000, 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 1000, 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, 100, 1000, 0.5)).toBe(300);
  });
});

describe.each(BACKENDS)('dispatch ($name)', (backend) => {
  const it = backend.available ? itAll : itAll.skip;
  const filledStore = async (home: string, assets: number) =>
    filledIn(home, assets, (await backend.place('delivery')).url);
  it('receiver answers 500 for a while, then 200: every event delivered once applied, in order, signed', async () => {
    const store = await filledStore(tempHome('d500'), 3);
    const rx = await new Receiver(SECRET, (n) => (n < 5 ? 500 : 200)).start();
    const attempts: AttemptReport[] = [];
    try {
      const s = await dispatch(store, { ...fast, urls: [rx.url], onAttempt: (a) => attempts.push(a) });
      expect(s).toMatchObject({ delivered: 6, deadLettered: 0, pending: 0, failedAttempts: 5 });
      expect(s.attempts).toBe(11);
    } finally {
      await rx.stop();
    }
    expect(rx.received.every((r) => r.signatureOk)).toBe(true);
    expect([...rx.applied.keys()].sort()).toEqual([
      'LT-000001:1',
      'LT-000001:2',
      'LT-000002:1',
      'LT-000002:2',
      'LT-000003:1',
      'LT-000003:2',
    ]);
    expect(rx.duplicates).toBe(0); // a 500 is not applied, so its retry is not a duplicate
    expect(rx.orderErrors).toEqual([]);
    // failed attempts were retried: attempt numbers climb for the events that got 500s
    const failed = attempts.filter((a) => !a.ok);
    expect(failed.every((a) => a.status === 500 && a.retryAt !== undefined)).toBe(true);
    expect((await store.outbox('delivered')).length).toBe(6);
    await store.close();
  });

  it('receiver down, then up on the same port: retries until delivered', async () => {
    const store = await filledStore(tempHome('down'), 2);
    const port = await freePort();
    const rx = new Receiver(SECRET);
    let refused = 0;
    const started = dispatch(store, {
      ...fast,
      urls: [`http://127.0.0.1:${port}/hooks/tickets`],
      onAttempt: (a) => {
        if (!a.ok && /ECONNREFUSED/.test(a.error ?? '')) refused++;
        // bring the receiver up after a few refused connections
        if (refused === 4 && rx.port === 0) void rx.start(port);
      },
    });
    try {
      const s = await started;
      expect(s).toMatchObject({ delivered: 4, deadLettered: 0, pending: 0 });
    } finally {
      await rx.stop();
    }
    expect(refused).toBeGreaterThanOrEqual(4);
    expect(rx.keys()).toEqual(new Set(['LT-000001:1', 'LT-000001:2', 'LT-000002:1', 'LT-000002:2']));
    expect(rx.orderErrors).toEqual([]);
    await store.close();
  });

  it('a hanging receiver times out and is retried', async () => {
    const store = await filledStore(tempHome('hang'), 1);
    const rx = await new Receiver(SECRET, (n) => (n === 0 ? 'hang' : 200)).start();
    const attempts: AttemptReport[] = [];
    try {
      const s = await dispatch(store, {
        ...fast,
        timeoutMs: 200,
        urls: [rx.url],
        onAttempt: (a) => attempts.push(a),
      });
      expect(s).toMatchObject({ delivered: 2, deadLettered: 0 });
    } finally {
      await rx.stop();
    }
    expect(attempts[0]).toMatchObject({ ok: false, idempotencyKey: 'LT-000001:1' });
    expect(attempts[0].error).toMatch(/timed out/);
    // the receiver had applied the first try: the retry is a duplicate it answers without applying
    expect(rx.received.map((r) => r.key)).toEqual(['LT-000001:1', 'LT-000001:1', 'LT-000001:2']);
    expect(rx.duplicates).toBe(1);
    await store.close();
  });

  it('a slow request holds up only its own ticket: other tickets deliver meanwhile', async () => {
    const store = await filledStore(tempHome('pool'), 2);
    const rx = await new Receiver(SECRET, (_n, r) =>
      r.key === 'LT-000001:1' && r.attempt === 1 ? 'hang' : 200,
    ).start();
    try {
      const log: string[] = [];
      const s = await dispatch(store, {
        ...fast,
        timeoutMs: 1000,
        urls: [rx.url],
        onAttempt: (a) => log.push(`${a.ok ? 'ok' : 'failed'} ${a.idempotencyKey}`),
      });
      expect(s).toMatchObject({ delivered: 4, deadLettered: 0, pending: 0 });
      // LT-000002 was fully delivered before LT-000001's hanging first try timed out
      expect(log.indexOf('ok LT-000002:2')).toBeLessThan(log.indexOf('failed LT-000001:1'));
    } finally {
      await rx.stop();
    }
    // LT-000002 created and upgraded while LT-000001's first try hung; then LT-000001 in order
    const seen = rx.received.map((r) => `${r.key}#${r.attempt}`);
    expect([...seen].sort()).toEqual([
      'LT-000001:1#1',
      'LT-000001:1#2',
      'LT-000001:2#1',
      'LT-000002:1#1',
      'LT-000002:2#1',
    ]);
    expect(seen.indexOf('LT-000002:2#1')).toBeLessThan(seen.indexOf('LT-000001:1#2'));
    expect(seen.slice(-2)).toEqual(['LT-000001:1#2', 'LT-000001:2#1']);
    await store.close();
  });

  it('past the maximum age an event is dead-lettered (its later events too); retry requeues and delivers', async () => {
    const store = await filledStore(tempHome('dead'), 2);
    // asset-1's ticket events fail forever; asset-2's go through
    const rx = await new Receiver(SECRET, (_n, r) => (r.ticketId === 'LT-000001' ? 503 : 200)).start();
    try {
      const s = await dispatch(store, { ...fast, maxAgeMs: 150, urls: [rx.url] });
      expect(s).toMatchObject({ delivered: 2, pending: 0 });
      expect(s.deadLettered).toBe(1);
      const dead = await store.outbox('dead');
      expect(dead.map((d) => d.idempotencyKey)).toEqual(['LT-000001:1', 'LT-000001:2']);
      expect(dead[0].lastError).toMatch(/HTTP 503/);
      expect(dead[1].lastError).toMatch(/earlier event of this ticket was dead-lettered/);
      // the upgrade was never sent before its create
      expect(rx.received.filter((r) => r.key === 'LT-000001:2')).toEqual([]);

      rx.respond = () => 200;
      expect(await store.retry()).toBe(2);
      const again = await dispatch(store, { ...fast, urls: [rx.url] });
      expect(again).toMatchObject({ delivered: 2, deadLettered: 0, pending: 0 });
    } finally {
      await rx.stop();
    }
    expect(rx.orderErrors).toEqual([]);
    expect(rx.applied.size).toBe(4);
    await store.close();
  });

  it('Retry-After (seconds or HTTP-date) is honoured when longer than the backoff', async () => {
    const now = Date.parse('2026-01-05T00:00:00Z');
    expect(retryAfter('3', now)).toBe(3000);
    expect(retryAfter('Mon, 05 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfter('yesterday-ish', now)).toBeUndefined();
    expect(retryAfter(undefined, now)).toBeUndefined();

    const store = await filledStore(tempHome('retry-after'), 1);
    const rx = await new Receiver(SECRET, (n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 200,
    ).start();
    const attempts: AttemptReport[] = [];
    const started = Date.now();
    try {
      const s = await dispatch(store, {
        ...fast,
        random: () => 0,
        urls: [rx.url],
        onAttempt: (a) => attempts.push(a),
      });
      expect(s).toMatchObject({ delivered: 2, deadLettered: 0 });
    } finally {
      await rx.stop();
    }
    // the backoff alone would be 10 ms (base 20 ms, no jitter); the receiver asked for 1 s
    expect(attempts[0]).toMatchObject({ ok: false, status: 429 });
    expect(attempts[0].retryAt! - started).toBeGreaterThanOrEqual(1000);
    await store.close();
  });

  it('a 4xx other than 408/429 is permanent: dead-lettered at once', async () => {
    const store = await filledStore(tempHome('4xx'), 1);
    const rx = await new Receiver(SECRET, () => 422).start();
    try {
      const s = await dispatch(store, { ...fast, urls: [rx.url] });
      expect(s).toMatchObject({ delivered: 0, deadLettered: 1, attempts: 1 });
    } finally {
      await rx.stop();
    }
    expect((await store.outbox('dead'))[0].lastError).toMatch(/HTTP 422 .*not retryable/);
    await store.close();
  });

  it('two webhook URLs: an event is delivered when both accepted; the one that accepted is not re-sent', async () => {
    const store = await filledStore(tempHome('two'), 1);
    const a = await new Receiver(SECRET).start();
    const b = await new Receiver(SECRET, (n) => (n < 2 ? 500 : 200)).start();
    try {
      const s = await dispatch(store, { ...fast, urls: [a.url, b.url] });
      expect(s).toMatchObject({ delivered: 2, deadLettered: 0, pending: 0 });
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(a.received.map((r) => r.key)).toEqual(['LT-000001:1', 'LT-000001:2']);
    expect(b.received.map((r) => r.key)).toEqual([
      'LT-000001:1',
      'LT-000001:1',
      'LT-000001:1',
      'LT-000001:2',
    ]);
    await store.close();
  });
});
