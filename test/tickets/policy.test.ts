import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../core/index.ts';
import {
  addWorkingTime,
  assess,
  loadTicketPolicy,
  MemoryTicketBook,
  parseEvaluations,
  slaFor,
  ticketPolicy,
  type Evaluation,
} from '../../tickets/index.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-01-05T00:00:00Z'); // a Monday
const policy = ticketPolicy();

const ev = (over: Partial<Evaluation> = {}): Evaluation => ({ asset: 'a1', t: T0, ...over });

describe('priority rules (defaults)', () => {
  it('RUL lower bound < 24 h is P1, < 72 h is P2, estimate < 10 d is P3', () => {
    expect(assess(ev({ rul: 100 * H, lower: 23.9 * H, upper: 200 * H }), policy).priority).toBe('P1');
    expect(assess(ev({ rul: 100 * H, lower: 24 * H, upper: 200 * H }), policy).priority).toBe('P2');
    expect(assess(ev({ rul: 100 * H, lower: 71 * H, upper: 200 * H }), policy).priority).toBe('P2');
    expect(assess(ev({ rul: 239 * H, lower: 72 * H, upper: 400 * H }), policy).priority).toBe('P3');
    expect(assess(ev({ rul: 240 * H, lower: 72 * H, upper: 400 * H }), policy).priority).toBeNull();
  });

  it('anomaly: above the threshold is P3, above half of it (watch) is P4, the worse rule wins', () => {
    expect(assess(ev({ anomaly: { score: 10.1, threshold: 10 } }), policy).priority).toBe('P3');
    expect(assess(ev({ anomaly: { score: 10, threshold: 10 } }), policy).priority).toBe('P4');
    expect(assess(ev({ anomaly: { score: 5.01, threshold: 10 } }), policy).priority).toBe('P4');
    expect(assess(ev({ anomaly: { score: 5, threshold: 10 } }), policy).priority).toBeNull();
    const both = assess(
      ev({ rul: 50 * H, lower: 10 * H, upper: 90 * H, anomaly: { score: 6, threshold: 10 } }),
      policy,
    );
    expect(both.priority).toBe('P1');
    expect(both.reasons).toEqual(['RUL lower bound 10 h < 24 h']);
  });

  it('cycle assets convert with the cycles-to-hours factor; without one the record and field are named', () => {
    // 40 cycles x 0.5 h = 20 h < 24 h
    expect(
      assess(ev({ timeUnit: 'cycle', rul: 80, lower: 40, upper: 120, cycleHours: 0.5 }), policy).priority,
    ).toBe('P1');
    // 40 cycles x 2 h = 80 h: not P2; estimate 80 x 2 = 160 h < 240 h: P3
    const p = ticketPolicy({ cycleHours: 2 });
    expect(assess(ev({ timeUnit: 'cycle', rul: 80, lower: 40, upper: 120 }), p).priority).toBe('P3');
    expect(() => assess(ev({ timeUnit: 'cycle', rul: 80 }), policy, 'preds.json[3]')).toThrow(
      /preds\.json\[3\]: cycleHours/,
    );
  });

  it('rulRequiresAnomaly gates RUL rules on the detector being at least at watch level', () => {
    const gated = ticketPolicy({ rulRequiresAnomaly: true });
    const e = ev({ rul: 10 * H, lower: 5 * H, upper: 20 * H, anomaly: { score: 1, threshold: 10 } });
    expect(assess(e, gated).priority).toBeNull();
    expect(assess({ ...e, anomaly: { score: 6, threshold: 10 } }, gated).priority).toBe('P1');
  });
  it('an age-only RUL (before the first predicting time) opens nothing unless rulBeforeFpt', () => {
    const urgent = { rul: 10 * H, lower: 5 * H, upper: 20 * H };
    // firstPredictingT null: the asset shows no degradation; the estimate is the fleet's at its age
    expect(assess(ev({ ...urgent, firstPredictingT: null }), policy).priority).toBeNull();
    // nor does it reach the ticket as a predicted failure
    expect(assess(ev({ ...urgent, firstPredictingT: null }), policy).rulMs).toBeNull();
    expect(
      assess(ev({ ...urgent, firstPredictingT: null }), ticketPolicy({ rulBeforeFpt: true })).priority,
    ).toBe('P1');
    // from the FPT on, or from a model that has no FPT, the RUL rules apply as before
    expect(assess(ev({ ...urgent, firstPredictingT: T0 - D }), policy).priority).toBe('P1');
    expect(assess(ev(urgent), policy).priority).toBe('P1');
    // the anomaly rules still see the evaluation
    const watched = ev({ ...urgent, firstPredictingT: null, anomaly: { score: 6, threshold: 10 } });
    expect(assess(watched, policy).priority).toBe('P4');
  });
});

describe('policy file', () => {
  it('a tier written replaces that tier; others keep their defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtime-policy-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'hysteresis: 3\nrules:\n  P1: { rulLowerBelow: 12h }\ncooldown: 2d\n');
    const p = loadTicketPolicy(file);
    expect(p.hysteresis).toBe(3);
    expect(p.rules.P1.rulLowerBelowMs).toBe(12 * H);
    expect(p.rules.P2.rulLowerBelowMs).toBe(72 * H);
    expect(p.cooldownMs).toBe(2 * D);
    expect(p.sla.P1).toEqual({
      respondMs: 15 * 60_000,
      onsiteMs: 30 * 60_000,
      resolveMs: 2 * H,
      resolveClock: 'calendar',
    });
  });

  it('errors name the file, field and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtime-policy-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'hysteresis: 0\nsla:\n  P2:\n    respond: 30m\n    onsite: soon\n    resolve: 4h\n');
    let err: unknown;
    try {
      loadTicketPolicy(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain(file);
    expect(msg).toMatch(/hysteresis \(line 1\): expected a number >= 1, got 0/);
    expect(msg).toMatch(/sla\.P2\.onsite \(line 5\): expected .+ or "planned", got "soon"/);
  });

  it('working hours must end after they start', () => {
    expect(() => ticketPolicy({ workingHours: { start: 17, end: 8 } }, 'p.yaml')).toThrow(InputError);
  });
});

describe('SLA targets', () => {
  it('P1 15 min / 30 min / 2 h; P4 has a planned visit', () => {
    expect(slaFor('P1', T0, policy)).toEqual({
      respondBy: '2026-01-05T00:15:00.000Z',
      onsiteBy: '2026-01-05T00:30:00.000Z',
      resolveBy: '2026-01-05T02:00:00.000Z',
    });
    expect(slaFor('P4', T0, policy).onsiteBy).toBeNull();
    expect(slaFor('P4', T0, policy).resolveBy).toBe('2026-01-06T00:00:00.000Z');
  });

  it('P3 resolves in 8 working hours (Mon-Fri 08-17 UTC)', () => {
    // Friday 15:00 + 8 working hours: 2 h Friday, 6 h Monday from 08:00 -> Monday 14:00
    const fri = Date.parse('2026-01-09T15:00:00Z');
    expect(new Date(addWorkingTime(fri, 8 * H, policy.workingHours)).toISOString()).toBe(
      '2026-01-12T14:00:00.000Z',
    );
    // Monday 00:00 (before opening) + 8 h -> Monday 16:00
    expect(slaFor('P3', T0, policy).resolveBy).toBe('2026-01-05T16:00:00.000Z');
    // Tuesday 16:30 + 1 h -> Wednesday 08:30
    const tue = Date.parse('2026-01-06T16:30:00Z');
    expect(new Date(addWorkingTime(tue, H, policy.workingHours)).toISOString()).toBe(
      '2026-01-07T08:30:00.000Z',
    );
  });
});

describe('desk rules', () => {
  const alarm = (t: number, score = 12) => ev({ t, anomaly: { score, threshold: 10 } });
  const rulAt = (t: number, lowerH: number) =>
    ev({ t, rul: (lowerH + 10) * H, lower: lowerH * H, upper: (lowerH + 50) * H });

  it('hysteresis: a ticket opens on the K-th consecutive ticket-worthy evaluation, a quiet one resets', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 3 }));
    expect(book.apply(alarm(T0)).action).toBe('pending');
    expect(book.apply(alarm(T0 + H)).action).toBe('pending');
    expect(book.apply(ev({ t: T0 + 2 * H, anomaly: { score: 1, threshold: 10 } })).action).toBe('none');
    expect(book.apply(alarm(T0 + 3 * H)).action).toBe('pending');
    expect(book.apply(alarm(T0 + 4 * H)).action).toBe('pending');
    const d = book.apply(alarm(T0 + 5 * H));
    expect(d.action).toBe('open');
    expect(book.tickets.size).toBe(1);
    const t = [...book.tickets.values()][0];
    expect(t.openedAt).toBe(new Date(T0 + 5 * H).toISOString());
    expect(t.priority).toBe('P3');
  });

  it('an evaluation not newer than the last applied is stale: it neither counts nor changes anything', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 2 }));
    expect(book.apply(alarm(T0)).action).toBe('pending');
    expect(book.apply(alarm(T0)).action).toBe('stale');
    expect(book.apply(alarm(T0 - H)).action).toBe('stale');
    expect(book.tickets.size).toBe(0);
    expect(book.apply(alarm(T0 + H)).action).toBe('open');
  });

  it('one open ticket per asset and fault mode; another fault mode gets its own', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 1 }));
    expect(book.apply(alarm(T0)).action).toBe('open');
    expect(book.apply(alarm(T0 + H)).action).toBe('none');
    expect(book.apply({ ...alarm(T0 + H), faultMode: 'inner-race' }).action).toBe('open');
    expect([...book.tickets.values()].map((t) => `${t.asset}/${t.faultMode}`)).toEqual([
      'a1/general',
      'a1/inner-race',
    ]);
  });

  it('a worse prediction upgrades with a history entry and an event; a better one is noted, never downgraded', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 1 }));
    const open = book.apply(rulAt(T0, 48)); // P2
    expect(open.action).toBe('open');
    const up = book.apply(rulAt(T0 + 6 * H, 20)); // P1
    expect(up.action).toBe('upgrade');
    if (up.action !== 'upgrade') throw new Error('unreachable');
    expect(up.event.idempotencyKey).toBe('LT-000001:2');
    expect(JSON.parse(up.event.body)).toMatchObject({
      event: 'ticket.upgraded',
      ticket: { priority: 'P1', version: 2 },
    });
    // SLA of the new tier from the upgrade time, but never later than already promised:
    // P2 from T0 promised respond by T0+30m (earlier than T0+6h+15m), resolve by T0+4h
    expect(up.ticket.sla.respondBy).toBe(new Date(T0 + 30 * 60_000).toISOString());
    const better = book.apply(rulAt(T0 + 12 * H, 100)); // would be P3
    expect(better.action).toBe('improved');
    const again = book.apply(rulAt(T0 + 18 * H, 100)); // same assessment: nothing new
    expect(again.action).toBe('none');
    const t = book.tickets.get('LT-000001')!;
    expect(t.priority).toBe('P1');
    expect(t.history.map((h) => `${h.kind}:${h.from ?? ''}>${h.to}`)).toEqual([
      'opened:>P2',
      'upgraded:P2>P1',
      'improved:P1>P3',
    ]);
    expect(t.history[2].note).toMatch(/priority kept at P1/);
  });

  it('cool-down after a ticket is resolved, then hysteresis again', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 2, cooldown: '12h' }));
    book.apply(alarm(T0));
    book.apply(alarm(T0 + H));
    book.setStatus('LT-000001', 'resolved', T0 + 2 * H, false);
    expect(book.apply(alarm(T0 + 3 * H)).action).toBe('cooldown');
    expect(book.apply(alarm(T0 + 13 * H)).action).toBe('cooldown'); // 11 h after closing
    expect(book.apply(alarm(T0 + 14 * H)).action).toBe('pending'); // 12 h after: counting again
    expect(book.apply(alarm(T0 + 15 * H)).action).toBe('open');
    expect(book.tickets.get('LT-000002')?.history[0].note).toMatch(/2 consecutive evaluations/);
  });

  it('evidence: model name and version, prediction, indicators, a link to the time range', () => {
    const book = new MemoryTicketBook(ticketPolicy({ hysteresis: 1, evidenceWindow: '2d' }));
    const d = book.apply({
      ...rulAt(T0, 10),
      model: 'similarity@4',
      coverage: 0.9,
      indicators: [
        { channel: 'env_bpfo', contribution: 30 },
        { channel: 'rms', contribution: 5 },
      ],
    });
    if (d.action !== 'open') throw new Error(`expected open, got ${d.action}`);
    expect(d.ticket.model).toEqual({ name: 'similarity', version: '4' });
    expect(d.ticket.rul).toEqual({
      estimate: 20 * H,
      lower: 10 * H,
      upper: 60 * H,
      coverage: 0.9,
      timeUnit: 'ms',
      hours: { estimate: 20, lower: 10, upper: 60 },
    });
    expect(d.ticket.predictedFailureAt).toBe(new Date(T0 + 20 * H).toISOString());
    expect(d.ticket.evidence.indicators.map((i) => i.channel)).toEqual(['env_bpfo', 'rms']);
    expect(d.ticket.evidence.links).toEqual({
      asset: 'a1',
      from: T0 - 2 * D,
      to: T0,
      timeUnit: 'ms',
      series: `/v1/assets/a1/series?channel=env_bpfo&from=${T0 - 2 * D}&to=${T0}`,
      plots: [
        `/v1/assets/a1/series?channel=env_bpfo&from=${T0 - 2 * D}&to=${T0}`,
        `/v1/assets/a1/series?channel=rms&from=${T0 - 2 * D}&to=${T0}`,
      ],
    });
    expect(d.ticket.idempotencyKey).toBe('LT-000001:1');
  });
});

describe('evaluation records', () => {
  it('`leadtime predict --json` output (cycles, healthIndex null) with defaults for what it does not say', () => {
    const text = JSON.stringify([
      {
        asset: '7',
        t: 150,
        model: 'similarity@1',
        rul: 60,
        lower: 40,
        upper: 90,
        coverage: 0.9,
        healthIndex: null,
      },
      { asset: '8', t: 90, rul: 5, timeUnit: 'ms' },
    ]);
    const b = parseEvaluations(text, 'preds.json', { timeUnit: 'cycle', cycleHours: 0.5 });
    expect(b.rejected).toEqual([]);
    expect(b.positions).toEqual(['preds.json[0]', 'preds.json[1]']);
    expect(b.evaluations[0]).toMatchObject({ timeUnit: 'cycle', cycleHours: 0.5 });
    expect(b.evaluations[1].timeUnit).toBe('ms'); // a record that says keeps it
    // 40 cycles x 0.5 h = 20 h < 24 h
    expect(assess(b.evaluations[0], policy).priority).toBe('P1');
  });

  it("a prediction with the model's first predicting time (fpt-exponential's `predict --json`) is read", () => {
    const text = JSON.stringify([
      {
        asset: 'b1',
        t: T0,
        model: 'bearing-rul@1',
        rul: 10 * H,
        lower: 5 * H,
        upper: 20 * H,
        firstPredictingT: null,
      },
      {
        asset: 'b1',
        t: T0 + H,
        model: 'bearing-rul@1',
        rul: 10 * H,
        lower: 5 * H,
        upper: 20 * H,
        firstPredictingT: T0,
      },
    ]);
    const batch = parseEvaluations(text, 'preds.json');
    expect(batch.rejected).toEqual([]);
    expect(batch.evaluations.map((e) => e.firstPredictingT)).toEqual([null, T0]);
    expect(batch.evaluations.map((e) => assess(e, policy).priority)).toEqual([null, 'P1']);
  });

  it('a bad record is named by position and field; the rest of the batch goes on', () => {
    const text = [
      '{"asset":"a","t":1,"rul":5}',
      '{"asset":"b","t":"soon"}',
      '{"asset":"c","t":2,"anomaly":{"score":1}}',
      'not json',
      '{"asset":"d","t":3}',
    ].join('\n');
    const b = parseEvaluations(text, 'evals.ndjson');
    expect(b.evaluations.map((e) => e.asset)).toEqual(['a', 'd']);
    expect(b.rejected).toEqual([
      { position: 'evals.ndjson:2', reason: 't: expected type number, got "soon"' },
      {
        position: 'evals.ndjson:3',
        reason: 'anomaly.threshold: expected a value (required field is missing)',
      },
      expect.objectContaining({ reason: 'not valid JSON' }),
    ]);
  });
});
