/**
 * Arrival sources: a replayed ticket log reproduces its own arrival counts per hour and priority
 * (with a tool's column names, timestamp format and priority labels, duplicates and bad rows), and
 * the log leadtime exports for predicted tickets replays with the default mapping; a profile
 * fitted to a log regenerates the log's hourly shape within its Poisson noise.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitArrivalProfile, parseScenario, readTicketLog, runExperiment } from '../../simulation/index.ts';
import { EXPORTED_TICKET_LOG_COLUMNS } from '../../core/index.ts';
import { ticketLogCsv } from '../../tickets/ticket-log-export.ts';
import type { Ticket } from '../../tickets/ticket.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-arrivals-'));
const pad = (n: number) => String(n).padStart(2, '0');

/** A small deterministic generator for the test's own data (not the simulator's streams). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

const LABELS = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low'];
const MONDAY = Date.UTC(2024, 2, 4); // Monday 4 March 2024

/** A ServiceNow-like export over three weeks from a Wednesday, with duplicates and bad rows. */
function serviceNowLog() {
  const rand = lcg(11);
  const rows = ['Number,Opened,Priority,Assignment group'];
  const expected = new Map<string, number[]>(); // tier -> counts per hour bin from Monday 4 March
  for (let p = 0; p < 4; p++) expected.set(`P${p + 1}`, new Array(28 * 24).fill(0));
  let minute = 2 * 1440; // Wednesday 00:00
  let n = 0;
  while (minute < 23 * 1440) {
    minute += Math.floor(-Math.log(rand()) * 20); // about 3 per hour, whole minutes
    const tier = Math.floor(rand() * 4);
    const d = new Date(MONDAY + minute * 60_000);
    const opened = `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const id = `INC${++n}`;
    expected.get(`P${tier + 1}`)![Math.floor(minute / 60)]++;
    rows.push(`${id},${opened},${LABELS[tier]},desk`);
    // an event log lists some tickets again later (the earliest open time must win)
    if (n % 7 === 0) {
      const later = new Date(d.getTime() + 3 * 3_600_000);
      rows.push(
        `${id},${pad(later.getUTCDate())}-${pad(later.getUTCMonth() + 1)}-${later.getUTCFullYear()} ${pad(later.getUTCHours())}:${pad(later.getUTCMinutes())},${LABELS[3]},desk`,
      );
    }
  }
  rows.push('INC999999,31-02-2024 10:00,1 - Critical,desk'); // no such date
  rows.push('INC999998,01-03-2024 10:00,Whenever,desk'); // unknown label
  rows.push(',05-03-2024 10:00,1 - Critical,desk'); // no id
  return { text: rows.join('\n') + '\n', expected, tickets: n };
}

const replayScenario = (file: string, extra: Record<string, unknown> = {}) =>
  parseScenario({
    name: 'replay',
    seed: 1,
    replications: 2,
    horizon: '28d',
    series: { bin: '1h' },
    priorities: { P1: { respond: '15m' }, P2: {}, P3: {}, P4: {} },
    arrivals: [
      {
        replay: {
          file,
          format: 'DD-MM-YYYY HH:mm',
          columns: { id: 'Number', openedAt: 'Opened', priority: 'Priority' },
          priorities: { '1 - Critical': 'P1', '2 - High': 'P2', '3 - Moderate': 'P3', '4 - Low': 'P4' },
          ...extra,
        },
      },
    ],
    pools: { desk: { size: 500 } },
    flow: [{ stage: 'work', pool: 'desk', duration: { fixed: '1m' } }],
  });

describe('replay of a ticket log', () => {
  const log = serviceNowLog();
  const file = join(dir, 'incidents.csv');
  writeFileSync(file, log.text);

  it('reproduces the log arrival counts per hour and priority, reporting bad rows by line', async () => {
    const r = await runExperiment(replayScenario(file), { workers: 1 });
    expect(r.inputs[0]).toMatchObject({
      tickets: log.tickets,
      rejectedCount: 3,
      origin: '2024-03-04T00:00:00.000Z',
    });
    expect(r.inputs[0].duplicates).toBe(Math.floor(log.tickets / 7));
    const lines = log.text.trimEnd().split('\n').length;
    expect(r.inputs[0].rejected.map((x) => x.line)).toEqual([lines - 2, lines - 1, lines]);
    expect(r.inputs[0].rejected[0].reason).toMatch(/Opened: "31-02-2024 10:00" is not a real date/);
    expect(r.inputs[0].rejected[1].reason).toMatch(/Priority: "Whenever" is not a tier/);
    for (const p of ['P1', 'P2', 'P3', 'P4'] as const) {
      expect(r.series!.arrivals[p], p).toEqual(log.expected.get(p));
      expect(r.priorities[p]!.count.mean).toBe(log.expected.get(p)!.reduce((s, v) => s + v, 0));
    }
  });

  it('time-shifts and scales', async () => {
    const shifted = await runExperiment(replayScenario(file, { shift: '1d' }), { workers: 1 });
    const doubled = await runExperiment(replayScenario(file, { scale: 2 }), { workers: 1 });
    const halved = await runExperiment(replayScenario(file, { scale: 0.5 }), { workers: 1, replications: 4 });
    for (const p of ['P1', 'P2', 'P3', 'P4'] as const) {
      const counts = log.expected.get(p)!;
      expect(shifted.series!.arrivals[p]!.slice(24)).toEqual(counts.slice(0, counts.length - 24));
      expect(doubled.series!.arrivals[p]).toEqual(counts.map((c) => 2 * c));
    }
    // thinning to half: binomial(n, 1/2) per replication, 4 replications
    const n = log.tickets;
    const total = (['P1', 'P2', 'P3', 'P4'] as const).reduce(
      (s, p) => s + halved.priorities[p]!.count.mean!,
      0,
    );
    expect(Math.abs(total - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4 / 4));
    expect(halved.priorities.P1!.count.halfWidth).toBeGreaterThan(0); // each replication thins differently
  });

  it("replays leadtime's own predicted-ticket export with the default mapping", async () => {
    const f = join(dir, 'predicted.csv');
    // written by the ticket desk's own exporter (models/tickets/export.ts), as `leadtime tickets export` does
    const perTier = [0, 0, 0, 0];
    const tickets = Array.from({ length: 200 }, (_, k) => {
      const tier = k % 3 === 0 ? 0 : 2;
      perTier[tier]++;
      return {
        id: `T${k}`,
        openedAt: new Date(MONDAY + k * 37 * 60_000).toISOString(),
        priority: `P${tier + 1}`,
        asset: `pump-${k % 9}`,
        faultMode: 'bearing, outer race', // a comma: quoted by the exporter
        resolvedAt: k % 4 === 0 ? null : new Date(MONDAY + k * 37 * 60_000 + 7_200_000).toISOString(),
        closedAt: null,
      };
    });
    expect(EXPORTED_TICKET_LOG_COLUMNS.join(',')).toBe(
      'id,openedAt,priority,category,asset,faultMode,resolvedAt',
    );
    writeFileSync(f, ticketLogCsv(tickets as unknown as Ticket[], 'predicted'));
    const scenario = parseScenario({
      horizon: '7d',
      replications: 1,
      priorities: { P1: {}, P3: {} },
      arrivals: [{ replay: { file: f } }],
      pools: { field: { size: 50 } },
      flow: [
        {
          stage: 'visit',
          pool: 'field',
          duration: { fixed: '1h' },
          workFromLog: true, // resolved tickets take their logged time, the others 1 h
          next: [{ when: { category: ['predicted'] }, to: 'done' }, { to: 'done' }],
        },
      ],
    });
    const r = await runExperiment(scenario, { workers: 1 });
    expect(r.priorities.P1!.count.mean).toBe(perTier[0]);
    // nobody waits (50 engineers), so time to resolve = work: 2 h logged, or 1 h drawn when unresolved
    for (const [p, tier] of [
      ['P1', 0],
      ['P3', 2],
    ] as const) {
      const mine = tickets.filter((t) => t.priority === `P${tier + 1}`);
      const expected = mine.reduce((s, t) => s + (t.resolvedAt === null ? 60 : 120), 0) / mine.length;
      expect(r.priorities[p]!.resolve.mean.mean).toBeCloseTo(expected, 9);
    }
    expect(r.priorities.P3!.count.mean).toBe(perTier[2]);
    expect(r.inputs[0]).toMatchObject({ rows: 200, tickets: 200, duplicates: 0, rejectedCount: 0 });
  });

  it('names the field of a bad mapping and a tier the scenario does not define', async () => {
    await expect(runExperiment(replayScenario(file, { columns: { openedAt: 'Created' } }))).rejects.toThrow(
      /arrivals\[0\]\.replay\.columns\.openedAt: no column "Created"/,
    );
    await expect(runExperiment(replayScenario(join(dir, 'missing.csv')))).rejects.toThrow(
      /arrivals\[0\]\.replay\.file: cannot read .*missing\.csv/,
    );
    const flat = parseScenario({
      horizon: '1d',
      priorities: { P1: {} },
      arrivals: [{ profile: { perHour: 1, hourOfDay: new Array(24).fill(0), mix: { P1: 1 } } }],
      pools: { p: { size: 1 } },
      flow: [{ stage: 'w', pool: 'p', duration: { fixed: 1 } }],
    });
    await expect(runExperiment(flat)).rejects.toThrow(
      /arrivals\[0\]\.profile\.hourOfDay: the weights cannot all be 0/,
    );
    const s = replayScenario(file);
    delete s.priorities.P4;
    await expect(runExperiment(s)).rejects.toThrow(
      /line \d+ has priority P4, which is not defined under priorities/,
    );
  });
});

describe('synthetic demand fitted to a log', () => {
  // the truth: busier working hours and quieter weekends
  const hourWeight = Array.from({ length: 24 }, (_, h) =>
    h >= 8 && h < 18 ? 3 : h >= 6 && h < 21 ? 1.5 : 0.5,
  );
  const dayWeight = [1.2, 1.1, 1, 1, 1.1, 0.4, 0.3];
  const weeks = 6;

  /** An NHPP log generated here by thinning (Lewis & Shedler), ISO times, 6 weeks from a Monday. */
  function nhppLog() {
    const rand = lcg(5);
    const max = Math.max(...hourWeight) * Math.max(...dayWeight) * 2; // per hour
    const rows = ['id,openedAt,priority'];
    const byHour = new Array(24).fill(0);
    let t = 0; // hours
    let n = 0;
    for (;;) {
      t += -Math.log(rand()) / max;
      if (t >= weeks * 168) break;
      const h = Math.floor(t) % 24;
      const d = Math.floor(t / 24) % 7;
      if (rand() * max > 2 * hourWeight[h] * dayWeight[d]) continue;
      byHour[h]++;
      rows.push(`L${++n},${new Date(MONDAY + t * 3_600_000).toISOString()},${rand() < 0.1 ? 'P1' : 'P2'}`);
    }
    return { text: rows.join('\n') + '\n', byHour, n };
  }

  it('regenerates the hourly shape of the log within its noise (and a flat profile does not)', async () => {
    const log = nhppLog();
    const f = join(dir, 'nhpp.csv');
    writeFileSync(f, log.text);
    const fit = fitArrivalProfile(readTicketLog(f).tickets);
    expect(fit.tickets).toBe(log.n);
    expect(fit.perHour).toBeCloseTo(log.n / (weeks * 168), 1);
    const replications = 10;
    const r = await runExperiment(
      parseScenario({
        seed: 9,
        replications,
        horizon: `${weeks * 7}d`,
        series: { bin: '1h' },
        priorities: { P1: {}, P2: {} },
        arrivals: [
          {
            profile: {
              perHour: fit.perHour,
              hourOfDay: fit.hourOfDay,
              dayOfWeek: fit.dayOfWeek,
              mix: fit.mix,
            },
          },
        ],
        pools: { desk: { size: 200 } },
        flow: [{ stage: 'work', pool: 'desk', duration: { fixed: '1m' } }],
      }),
      { workers: 2 },
    );
    const simulated = new Array(24).fill(0);
    for (const p of ['P1', 'P2'] as const)
      r.series!.arrivals[p]!.forEach((mean, bin) => (simulated[bin % 24] += mean));
    // the fit (maximum likelihood) reproduces the log's hourly totals, so what separates the log
    // from the regenerated demand is the simulation's own noise: the mean of R replications has
    // variance m_h / R, and sum (L - S)^2 / (S / R) is about chi-square with 24 degrees of freedom.
    // A wrong shape (here: flat) is judged against the log's own noise, variance m_h.
    const chi2 = (expected: number[], variance: (m: number) => number) =>
      log.byHour.reduce((s, observed, h) => s + (observed - expected[h]) ** 2 / variance(expected[h]), 0);
    const fitted = chi2(simulated, (m) => m / replications);
    const flat = chi2(new Array(24).fill(log.n / 24), (m) => m);
    console.log(
      `hourly shape: chi-square ${fitted.toFixed(1)} (24 df, 0.1% critical value 51.2); flat profile ${flat.toFixed(0)}`,
    );
    expect(fitted).toBeLessThan(51.2);
    expect(flat).toBeGreaterThan(51.2);
    // and the fitted weights are the truth's, up to noise
    const meanW = hourWeight.reduce((s, v) => s + v, 0) / 24;
    for (let h = 0; h < 24; h++)
      expect(Math.abs(fit.hourOfDay[h] - hourWeight[h] / meanW)).toBeLessThan(
        0.25 * (hourWeight[h] / meanW) + 0.1,
      );
  });
});
