/**
 * DuckDB and PostgreSQL backends give identical answers on the same input: the same files ingested
 * (new keys, repeats, conflicting values, malformed records, vibration snapshots) and the same
 * evaluations and status updates applied give the same assets, series, feature matrix, rejections,
 * run counts, tickets, outbox and labels. The DuckDB store is the reference the PostgreSQL one must
 * match, field by field.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvReader, NdjsonReader, ingest, openTelemetryStore, type TelemetryStore } from '../ingest/index.ts';
import { openTicketStore, ticketPolicy, type TicketStore } from '../tickets/index.ts';
import { BACKENDS, dropPgDatabases, pgAvailable } from './store-backends.ts';
import { fleetEvaluations, H, T0, tempHome } from './tickets/helpers.ts';

afterAll(dropPgDatabases);

async function telemetryAnswers(store: TelemetryStore, dir: string) {
  const a = join(dir, 'a.csv');
  writeFileSync(
    a,
    [
      'asset,t,channel,value',
      'p,1000,temp,1.5',
      'p,2000,temp,2.25',
      'p,3000,temp,-3e-7',
      'q,1000,temp,10',
      'q,1000,pres,101325.125',
      'q,2000,pres,not-a-number',
      'r,,temp,1',
      'Zeta,5000,temp,7',
      'alpha,5000,temp,8',
    ].join('\n') + '\n',
  );
  const b = join(dir, 'b.csv');
  writeFileSync(b, 'asset,t,channel,value\np,2000,temp,2.25\np,3000,temp,3.5\nq,3000,pres,99\n');
  const w = (asset: string, t: number, f: number): string =>
    JSON.stringify({
      asset,
      channel: 'vib',
      t,
      sampleRateHz: 2048,
      samples: Array.from({ length: 256 }, (_, i) => Math.sin(i * f) + 0.1 * Math.cos(3 * i * f)),
    });
  const n = join(dir, 'w.ndjson');
  writeFileSync(
    n,
    [w('m', 10, 0.1), w('m', 20, 0.2), w('n', 10, 0.3), w('m', 20, 0.25), '{"asset":'].join('\n'),
  );
  const summaries = [];
  for (const reader of [
    new CsvReader(a, { timestampFormat: 'epoch-ms' }),
    new CsvReader(b, { timestampFormat: 'epoch-ms' }),
    new NdjsonReader(n),
  ]) {
    const s = await ingest(reader, store, { batchSize: 2 });
    summaries.push({ stored: s.stored, duplicates: s.duplicates, rejected: s.rejected, records: s.records });
  }
  const assets = await store.assets();
  const series: Record<string, unknown> = {};
  for (const x of assets)
    for (const c of x.channels) series[`${x.asset}/${c}`] = await store.series(x.asset, c);
  return {
    summaries,
    assets,
    series,
    range: await store.series('p', 'temp', { from: 1500, to: 3000 }),
    features: await store.featureMatrix(),
    featuresOfM: await store.featureMatrix({ assets: ['m'], from: 15 }),
    rejected: (await store.rejected()).map(({ id: _id, ...r }) => r),
    rejectedCount: await store.rejectedCount({ runId: 1 }),
    counts: await store.counts(),
    runs: (await store.runs()).map((r) => [
      r.runId,
      r.status,
      r.records,
      r.items,
      r.stored,
      r.duplicates,
      r.rejected,
    ]),
    // the interface promises no order for stored keys
    keys: (await store.storedKeys(1)).sort((x, y) =>
      `${x.asset}/${x.channel}/${x.t}`.localeCompare(`${y.asset}/${y.channel}/${y.t}`),
    ),
  };
}

async function ticketAnswers(store: TicketStore) {
  const applied = await store.apply(fleetEvaluations(4), ticketPolicy(), { batchSize: 3, now: T0 + 20 * H });
  await store.setStatus('LT-000002', { status: 'acknowledged', at: T0 + 13 * H });
  await store.setStatus('LT-000003', {
    status: 'resolved',
    faultConfirmed: true,
    at: T0 + 14 * H,
    note: 'bearing',
  });
  const p = ticketPolicy();
  const later = await store.apply(
    [
      { asset: 'asset-3', t: T0 + 20 * H, rul: 20 * H, lower: 10 * H, upper: 30 * H },
      { asset: 'e1', t: 5, timeUnit: 'cycle', rul: 3, at: T0 },
    ],
    p,
    { now: T0 + 20 * H, positions: ['x[0]', 'x[1]'] },
  );
  const now = Date.now() + 1000;
  const [first] = await store.claimDue(now, 'w', 5000, 1);
  await store.markDelivered(first.eventId, 'http://a', ['http://a'], now);
  const strip = (e: { createdAt: number; nextAttemptAt: number; deliveredAt: number | null }) => ({
    ...e,
    createdAt: 0,
    nextAttemptAt: 0,
    deliveredAt: e.deliveredAt === null ? null : 1,
  });
  return {
    applied,
    later,
    tickets: await store.list(),
    active: await store.list({ status: 'active' }),
    one: await store.get('LT-000003'),
    labels: await store.labels(),
    outbox: (await store.outbox()).map(strip),
    due: (await store.due(now)).map((e) => e.idempotencyKey),
    feed: (await store.feed(2, 3)).events.map((e) => e.idempotencyKey),
    pending: await store.pendingCount(),
  };
}

describe.skipIf(!pgAvailable)('DuckDB and PostgreSQL backends', () => {
  it('give identical answers on the same input (assets, series, features, rejections, tickets)', async () => {
    const answers = [];
    const input = tempHome('parity-in'); // the same files (and so the same source names) for both
    for (const backend of BACKENDS) {
      const place = await backend.place(`parity-${backend.name}`);
      const store = await openTelemetryStore(place.home, place.url);
      const tickets = await openTicketStore(place.home, place.url);
      try {
        answers.push({
          telemetry: await telemetryAnswers(store, input),
          tickets: await ticketAnswers(tickets),
        });
      } finally {
        await store.close();
        await tickets.close();
      }
    }
    const [duck, postgres] = answers;
    // the reference is not trivial: it holds what the inputs were made to exercise
    expect(duck.telemetry.summaries.map((s) => s.rejected)).toEqual([2, 1, 2]);
    expect(duck.telemetry.assets.map((a) => a.asset)).toEqual(['Zeta', 'alpha', 'm', 'n', 'p', 'q']);
    expect(duck.telemetry.features.rows.length).toBe(3);
    expect(duck.tickets.labels.length).toBe(1);
    expect(duck.tickets.later.map((r) => r.action)).toEqual(['cooldown', 'rejected']);
    expect(postgres.telemetry).toEqual(duck.telemetry);
    expect(postgres.tickets).toEqual(duck.tickets);
  }, 180_000);
});
