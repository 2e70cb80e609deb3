import { afterAll, describe, expect, it as itAll } from 'vitest';
import { InputError } from '../../core/index.ts';
import { openTicketStore, ticketLogCsv, ticketPolicy } from '../../tickets/index.ts';
import { BACKENDS, dropPgDatabases } from '../store-backends.ts';
import { fleetEvaluations, H, T0, tempHome } from './helpers.ts';
import { filledStore as filledIn } from './helpers.ts';

afterAll(dropPgDatabases);

describe.each(BACKENDS)('ticket store ($name)', (backend) => {
  const it = backend.available ? itAll : itAll.skip;
  const urls = new Map<string, string>();
  /** each home gets its own database on PostgreSQL, reused when the test reopens the home */
  const urlOf = async (home: string) => {
    if (!urls.has(home)) urls.set(home, (await backend.place('tickets')).url);
    return urls.get(home)!;
  };
  const filledStore = async (home: string, assets: number) => filledIn(home, assets, await urlOf(home));
  const open = async (home: string) => openTicketStore(home, await urlOf(home));
  it('writes ticket, history and outbox together; one open ticket per asset; survives reopening', async () => {
    const home = tempHome('store');
    const store = await filledStore(home, 3);
    const list = await store.list();
    expect(list.map((t) => `${t.id} ${t.asset} ${t.priority} v${t.version}`)).toEqual([
      'LT-000001 asset-1 P1 v2',
      'LT-000002 asset-2 P1 v2',
      'LT-000003 asset-3 P1 v2',
    ]);
    const outbox = await store.outbox();
    expect(outbox.map((o) => `${o.idempotencyKey} ${o.kind} ${o.state}`)).toEqual([
      'LT-000001:1 ticket.created pending',
      'LT-000002:1 ticket.created pending',
      'LT-000003:1 ticket.created pending',
      'LT-000001:2 ticket.upgraded pending',
      'LT-000002:2 ticket.upgraded pending',
      'LT-000003:2 ticket.upgraded pending',
    ]);
    // the created event carries the ticket as it was then (P2), the upgrade the P1 version
    expect(JSON.parse(outbox[0].body).ticket).toMatchObject({ priority: 'P2', version: 1 });
    expect(JSON.parse(outbox[3].body).ticket).toMatchObject({ priority: 'P1', version: 2 });
    await store.close();

    // the same evaluations again: stale (not newer than the last applied), nothing changes
    const again = await open(home);
    const results = await again.apply(fleetEvaluations(3), ticketPolicy());
    expect(results.map((r) => r.action)).toEqual(new Array(9).fill('stale'));
    expect((await again.list()).length).toBe(3);
    expect((await again.outbox()).length).toBe(6);
    await again.close();
  });

  it('due(): per ticket only the earliest undelivered event (create before update)', async () => {
    const store = await filledStore(tempHome('due'), 2);
    const now = Date.now() + 1000;
    expect((await store.due(now)).map((e) => e.idempotencyKey)).toEqual(['LT-000001:1', 'LT-000002:1']);
    await store.markDelivered((await store.due(now))[0].eventId, 'http://x', ['http://x'], now);
    expect((await store.due(now)).map((e) => e.idempotencyKey)).toEqual(['LT-000002:1', 'LT-000001:2']);
    // a dead-lettered create takes its ticket's later events with it, and retry brings both back
    const [e2] = await store.due(now);
    await store.markFailed(e2.eventId, 'HTTP 410', { nextAttemptAt: now, dead: true });
    expect((await store.outbox('dead')).map((e) => e.idempotencyKey)).toEqual(['LT-000002:1', 'LT-000002:2']);
    expect((await store.due(now)).map((e) => e.idempotencyKey)).toEqual(['LT-000001:2']);
    expect(await store.retry({ ticketIds: ['LT-000002'] }, now)).toBe(2);
    expect((await store.due(now)).map((e) => e.idempotencyKey)).toEqual(['LT-000002:1', 'LT-000001:2']);
    await store.close();
  });

  it('claimDue(): a claimed event is held from other workers until its lease ends; per-ticket order kept', async () => {
    const home = tempHome('claim');
    const store = await filledStore(home, 3);
    const now = Date.now() + 1000;
    const keys = (r: { idempotencyKey: string }[]) => r.map((e) => e.idempotencyKey);
    expect(keys(await store.claimDue(now, 'A', 1000, 2))).toEqual(['LT-000001:1', 'LT-000002:1']);
    // B gets only what A does not hold
    expect(keys(await store.claimDue(now + 500, 'B', 1000, 10))).toEqual(['LT-000003:1']);
    expect(await store.claimDue(now + 999, 'C', 1000, 10)).toEqual([]);
    // nothing is claimable before A's leases end (now + 1000): the dispatcher sleeps until then
    expect(await store.nextDue()).toBe(now + 1000);
    // A died: its leases expire and C takes them; B's (until now + 1500) still holds
    expect(keys(await store.claimDue(now + 1000, 'C', 1000, 10))).toEqual(['LT-000001:1', 'LT-000002:1']);
    // delivered: the ticket's next event becomes claimable; a failure gives the event back at its retry time
    const [e1, e2] = await store.claimDue(now + 2000, 'D', 1000, 10);
    expect([e1.idempotencyKey, e2.idempotencyKey]).toEqual(['LT-000001:1', 'LT-000002:1']);
    await store.markDelivered(e1.eventId, 'http://x', ['http://x'], now + 2000);
    await store.markFailed(e2.eventId, 'HTTP 503', { nextAttemptAt: now + 2100, dead: false });
    expect(keys(await store.claimDue(now + 2050, 'E', 1000, 10))).toEqual(['LT-000001:2']);
    expect(keys(await store.claimDue(now + 2100, 'E', 1000, 10))).toEqual(['LT-000002:1']);
    await store.close();
    if (backend.name !== 'postgres') return;
    // several processes claiming at once (here: separate connections) never get the same event
    const url = await urlOf(home);
    const home2 = tempHome('claim2');
    urls.set(home2, url);
    await filledIn(home2, 20, url).then((s) => s.close());
    const stores = await Promise.all([0, 1, 2].map(() => openTicketStore(home2, url)));
    const later = Date.now() + 10_000;
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 3].claimDue(later, `w${i}`, 60_000, 3)),
    );
    const all = claims.flat().map((e) => e.idempotencyKey);
    expect(new Set(all).size).toBe(all.length);
    // every due event (leases above have expired by `later`) is claimed by exactly one of them
    expect(all.length).toBe(20);
    expect(all.length).toBe((await stores[0].due(later)).length);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('status moves forward only; resolved needs fault confirmed; becomes a label; starts the cool-down', async () => {
    const store = await filledStore(tempHome('status'), 1);
    await store.setStatus('LT-000001', { status: 'acknowledged', at: T0 + 13 * H });
    await expect(store.setStatus('LT-000001', { status: 'open' })).rejects.toThrow(
      /ticket LT-000001: status: cannot go from "acknowledged" to "open"/,
    );
    await expect(store.setStatus('LT-000001', { status: 'resolved' })).rejects.toThrow(
      /ticket LT-000001: faultConfirmed/,
    );
    await expect(store.setStatus('LT-999999', { status: 'closed' })).rejects.toBeInstanceOf(InputError);
    const t = await store.setStatus('LT-000001', {
      status: 'resolved',
      faultConfirmed: true,
      at: T0 + 20 * H,
    });
    expect(t.resolvedAt).toBe(new Date(T0 + 20 * H).toISOString());
    expect(t.history.map((h) => h.kind)).toEqual(['opened', 'upgraded', 'status', 'status']);
    expect(await store.labels()).toEqual([
      expect.objectContaining({
        ticketId: 'LT-000001',
        asset: 'asset-1',
        faultConfirmed: true,
        priority: 'P1',
      }),
    ]);
    // cool-down 24 h from T0+20h: at T0+30h suppressed, at T0+44h counting again, opens at the 2nd
    const p = ticketPolicy();
    const e = (h: number) => ({ asset: 'asset-1', t: T0 + h * H, rul: 20 * H, lower: 10 * H, upper: 30 * H });
    expect((await store.apply([e(30)], p))[0].action).toBe('cooldown');
    expect((await store.apply([e(44)], p))[0].action).toBe('pending');
    const opened = (await store.apply([e(45)], p))[0];
    expect(opened).toMatchObject({ action: 'open', ticketId: 'LT-000002', priority: 'P1' });
    await store.close();
  });

  it('an evaluation that cannot be applied is rejected by name; the others are applied', async () => {
    const store = await open(tempHome('reject'));
    const r = await store.apply(
      [
        { asset: 'e1', t: 5, timeUnit: 'cycle', rul: 3, at: T0 },
        { asset: 'e2', t: 5, timeUnit: 'cycle', cycleHours: 1, rul: 3, at: T0 },
      ],
      ticketPolicy({ hysteresis: 1 }),
      { positions: ['in.json[0]', 'in.json[1]'] },
    );
    expect(r[0]).toMatchObject({
      action: 'rejected',
      error: expect.stringMatching(/^in\.json\[0\]: cycleHours/),
    });
    expect(r[1]).toMatchObject({ action: 'open', ticketId: 'LT-000001' });
    await store.close();
  });

  it('pull feed: events after a cursor, in the order written', async () => {
    const store = await filledStore(tempHome('feed'), 2);
    const first = await store.feed(0, 3);
    expect(first.events.map((e) => e.idempotencyKey)).toEqual(['LT-000001:1', 'LT-000002:1', 'LT-000001:2']);
    const rest = await store.feed(first.next, 10);
    expect(rest.events.map((e) => e.idempotencyKey)).toEqual(['LT-000002:2']);
    expect(await store.feed(rest.next)).toEqual({ events: [], next: rest.next });
    await store.close();
  });

  it('one store used concurrently (as the server does): evaluations, reads, status and retries interleave safely', async () => {
    const store = await filledStore(tempHome('conc'), 2);
    const more = fleetEvaluations(8).filter((e) => !['asset-1', 'asset-2'].includes(e.asset));
    const [applied, ...reads] = await Promise.all([
      store.apply(more, ticketPolicy(), { batchSize: 2 }),
      ...Array.from({ length: 6 }, () => store.list()),
      store.feed(0, 1000),
      store.setStatus('LT-000001', { status: 'acknowledged', at: T0 + 13 * H }),
      store.retry(),
      store.due(Date.now() + 1000),
    ]);
    expect((applied as { action: string }[]).filter((r) => r.action === 'open').length).toBe(6);
    // every read saw whole transactions: tickets and their events in step
    for (const r of reads.slice(0, 6) as { version: number }[][]) expect(r.length).toBeGreaterThanOrEqual(2);
    const tickets = await store.list();
    expect(tickets.length).toBe(8);
    expect((await store.outbox()).length).toBe(tickets.reduce((n, t) => n + t.version, 0));
    expect((await store.get('LT-000001'))?.status).toBe('acknowledged');
    await store.close();
  });

  it('exports the ticket log CSV the simulator replays', async () => {
    const store = await filledStore(tempHome('export'), 2);
    await store.setStatus('LT-000002', { status: 'resolved', faultConfirmed: false, at: T0 + 20 * H });
    const csv = ticketLogCsv(await store.list(), 'predictive');
    expect(csv).toBe(
      [
        'id,openedAt,priority,category,asset,faultMode,resolvedAt',
        'LT-000001,2026-01-05T06:00:00.000Z,P1,predictive,asset-1,general,',
        'LT-000002,2026-01-05T06:00:00.000Z,P1,predictive,asset-2,general,2026-01-05T20:00:00.000Z',
        '',
      ].join('\n'),
    );
    await store.close();
  });
});
