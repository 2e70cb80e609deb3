import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DuckDbTicketStore,
  memoryBook,
  playTickets,
  policyVariants,
  storeBook,
  ticketPolicy,
  type TruthEvaluation,
} from '../../tickets/index.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

/** Evaluations every 6 h from T0 until failure, alarm (score 12 > threshold 10) where `alarm(h)` says. */
function series(asset: string, failureH: number, alarm: (h: number) => boolean): TruthEvaluation[] {
  const out: TruthEvaluation[] = [];
  for (let h = 0; h < failureH; h += 6)
    out.push({ asset, t: T0 + h * H, at: T0 + h * H, anomaly: { score: alarm(h) ? 12 : 1, threshold: 10 } });
  return out;
}

describe('ticket backtest (hand-computed walk)', () => {
  it('counts tickets ahead of failure, false alarms and lead times', async () => {
    const evaluations = [
      // A: alarms from T0; onset 10 h; P3 opens at 6 h (hysteresis 2), visit at 6+24 h finds the fault
      ...series('A', 100, () => true),
      // B: alarms at 0 and 6 h (LT-000002, a false ticket: visit at 30 h, onset 200 h), quiet, alarms again from 204 h
      ...series('B', 300, (h) => h <= 6 || h >= 204),
      // C: never alarms
      ...series('C', 50, () => false),
      // D: alarms from 36 h, opens LT-000003 at 42 h, fails at 48 h: ticketed but only 6 h ahead
      ...series('D', 48, (h) => h >= 36),
    ].sort((x, y) => x.at - y.at);
    const truth = [
      { asset: 'A', onsetT: T0 + 10 * H, failureT: T0 + 100 * H, startT: T0 },
      { asset: 'B', onsetT: T0 + 200 * H, failureT: T0 + 300 * H, startT: T0 },
      { asset: 'C', onsetT: T0 + 40 * H, failureT: T0 + 50 * H, startT: T0 },
      { asset: 'D', onsetT: T0, failureT: T0 + 48 * H, startT: T0 },
    ];
    const r = await playTickets(
      evaluations,
      truth,
      memoryBook(ticketPolicy({ cooldown: '24h' })),
      24 * H,
      720 * H,
    );
    expect(r.failures).toBe(4);
    expect(r.tickets).toBe(4);
    expect(r.falseAlarmTickets).toBe(1);
    expect(r.ticketed).toBe(3);
    expect(r.ticketedAhead).toBe(2);
    expect(r.openedByPriority).toEqual({ P1: 0, P2: 0, P3: 4, P4: 0 });
    expect(r.leadTimes?.valuesMs).toEqual([6 * H, 90 * H, 94 * H]);
    expect(r.leadTimes?.median).toBe(90 * H);
    // healthy time 10 + 200 + 40 + 0 = 250 h of a 720 h month
    expect(r.healthyAssetMonths).toBeCloseTo(250 / 720, 12);
    expect(r.falseAlarmTicketsPerAssetMonth).toBeCloseTo(720 / 250, 12);
    const b = r.perAsset.find((p) => p.asset === 'B')!;
    expect(b).toMatchObject({ tickets: 2, falseAlarmTickets: 1, ahead: true });
    expect(b.ticketAtFailure).toMatchObject({ id: 'LT-000004', leadTimeMs: 90 * H, openedAs: 'P3' });
    const falseTicket = r.ticketList.find((t) => t.id === 'LT-000002')!;
    expect(falseTicket).toMatchObject({
      asset: 'B',
      faultConfirmed: false,
      resolvedAt: new Date(T0 + 30 * H).toISOString(),
    });
    expect(r.leadTimes?.histogramDays.filter((b) => b.count > 0)).toEqual([
      { bin: '0-1d', count: 1 },
      { bin: '3-4d', count: 2 },
    ]);
  });

  it('an age-only RUL (before the first predicting time) opens nothing unless rulBeforeFpt', async () => {
    // E: a healthy bearing whose age-only RUL is 60 h (P2-worthy) every 6 h from T0; its first
    // predicting time comes at 48 h, from when the same RUL is its own wear's
    const evaluations: TruthEvaluation[] = [];
    for (let h = 0; h < 96; h += 6)
      evaluations.push({
        asset: 'E',
        t: T0 + h * H,
        at: T0 + h * H,
        rul: 60 * H,
        lower: 50 * H,
        upper: 70 * H,
        firstPredictingT: h >= 48 ? T0 + 48 * H : null,
      });
    const truth = [{ asset: 'E', onsetT: T0 + 40 * H, failureT: T0 + 96 * H, startT: T0 }];
    const walk = (policy: ReturnType<typeof ticketPolicy>) =>
      playTickets(evaluations, truth, memoryBook(policy), 24 * H);
    // by default the ticket opens on the second condition-based evaluation (hysteresis 2): 54 h
    const conditionOnly = await walk(ticketPolicy());
    expect(conditionOnly.ticketList).toHaveLength(1);
    expect(conditionOnly.ticketList[0]).toMatchObject({
      priority: 'P2',
      openedAt: new Date(T0 + 54 * H).toISOString(),
    });
    expect(conditionOnly.ticketList[0].evidence.prediction?.firstPredictingT).toBe(T0 + 48 * H);
    expect(conditionOnly.falseAlarmTickets).toBe(0);
    // counting age-only estimates, it opens at 6 h, before the onset: a false-alarm ticket
    const byAge = await walk(ticketPolicy({ rulBeforeFpt: true }));
    expect(byAge.ticketList[0]).toMatchObject({
      priority: 'P2',
      openedAt: new Date(T0 + 6 * H).toISOString(),
    });
    expect(byAge.ticketList[0].evidence.prediction?.firstPredictingT).toBeNull();
    expect(byAge.falseAlarmTickets).toBe(1);
  });

  it('the cool-down after a false ticket holds back a new one', async () => {
    // alarms all the time, onset late: false ticket resolved at 30 h, cool-down 48 h -> next opens at 84 h
    const evaluations = series('E', 200, () => true);
    const r = await playTickets(
      evaluations,
      [{ asset: 'E', onsetT: T0 + 150 * H, failureT: T0 + 200 * H, startT: T0 }],
      memoryBook(ticketPolicy({ cooldown: '48h' })),
    );
    // 6 h: open; 30 h false; 78 h is the first evaluation with 78 >= 30 + 48, pending; 84 h opens;
    // visit 108 h < onset: false again; cool-down to 156 h; 156 pending, 162 open; visit 186 h > onset
    expect(r.ticketList.map((t) => (Date.parse(t.openedAt) - T0) / H)).toEqual([6, 84, 162]);
    expect(r.falseAlarmTickets).toBe(2);
    expect(r.perAsset[0].ticketAtFailure?.leadTimeMs).toBe(38 * H);
  });

  it('a sweep over one policy field: hysteresis 1, 2, 3 opens at 0, 6, 12 h', async () => {
    const variants = policyVariants(ticketPolicy(), 'hysteresis', ['1', '2', '3']);
    expect(variants.map((v) => [v.value, v.policy.hysteresis])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const truth = [{ asset: 'A', onsetT: T0 + 10 * H, failureT: T0 + 100 * H, startT: T0 }];
    const leads: (number | undefined)[] = [];
    for (const v of variants)
      leads.push(
        (
          await playTickets(
            series('A', 100, () => true),
            truth,
            memoryBook(v.policy),
          )
        ).leadTimes?.valuesMs[0],
      );
    expect(leads).toEqual([100 * H, 94 * H, 88 * H]);
    expect(policyVariants(ticketPolicy(), 'anomaly.watchRatio', ['0.7'])[0].policy.watchRatio).toBe(0.7);
    expect(() => policyVariants(ticketPolicy(), 'hysteresis', ['0'])).toThrow(
      /--vary hysteresis=0: invalid configuration\n {2}- hysteresis: expected a number >= 1, got 0/,
    );
  });

  it('the walk into the ticket store keeps the same tickets, ids and statuses as the walk in memory', async () => {
    const evaluations = [
      ...series('A', 100, (h) => h >= 20),
      ...series('B', 300, (h) => (h >= 6 && h < 30) || h >= 210),
    ].sort((x, y) => x.at - y.at);
    const truth = [
      { asset: 'A', onsetT: T0 + 10 * H, failureT: T0 + 100 * H, startT: T0 },
      { asset: 'B', onsetT: T0 + 200 * H, failureT: T0 + 300 * H, startT: T0 },
    ];
    const policy = ticketPolicy({ cooldown: '24h' });
    const inMemory = await playTickets(evaluations, truth, memoryBook(policy), 24 * H);
    const dir = mkdtempSync(join(tmpdir(), 'lt-walk-'));
    const store = await DuckDbTicketStore.open(join(dir, 'tickets.duckdb'));
    try {
      const inStore = await playTickets(evaluations, truth, storeBook(store, policy), 24 * H);
      const view = (r: typeof inMemory) =>
        r.ticketList.map((t) => [
          t.id,
          t.asset,
          t.priority,
          t.status,
          t.openedAt,
          t.faultConfirmed,
          t.resolvedAt,
        ]);
      expect(inMemory.tickets).toBe(3);
      expect(view(inStore)).toEqual(view(inMemory));
      expect((await store.list()).map((t) => t.id)).toEqual(inMemory.ticketList.map((t) => t.id));
      const { ticketList: _a, ...a } = inStore;
      const { ticketList: _b, ...b } = inMemory;
      expect(a).toEqual(b);
      // the store book applies the evaluations of one instant in one transaction (A and B share
      // their hours): a store fed one evaluation at a time holds the same tickets, histories and
      // outbox, event for event
      const single = await DuckDbTicketStore.open(join(dir, 'single.duckdb'));
      try {
        const { applyInstant, ...oneByOne } = storeBook(single, policy);
        expect(applyInstant).toBeDefined();
        await playTickets(evaluations, truth, oneByOne, 24 * H);
        expect(await single.list()).toEqual(await store.list());
        const events = async (s: DuckDbTicketStore) =>
          (await s.outbox()).map((o) => [o.eventId, o.ticketId, o.kind, o.version]);
        expect(await events(single)).toEqual(await events(store));
      } finally {
        await single.close();
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a policy with a visit due the instant a ticket opens plays the evaluations one by one', () => {
    const zero = ticketPolicy({ sla: { P1: { respond: '0m', onsite: '0m', resolve: '2h' } } });
    const book = storeBook({} as DuckDbTicketStore, zero);
    expect(book.applyInstant).toBeUndefined();
    expect(storeBook({} as DuckDbTicketStore, ticketPolicy({})).applyInstant).toBeDefined();
  });
});
