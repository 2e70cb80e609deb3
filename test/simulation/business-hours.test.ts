/**
 * Business-hours SLA clocks in a scenario: the same eight tickets replayed into a 24/7 tier (P2) and
 * a business-calendar tier (P3), each with its own desk, give the attainments and clock means
 * worked out by hand; elapsed-time measures (the share that waited, the mean wait) stay equal; a
 * tier without a calendar is unchanged by calendars being declared; bad calendars are named.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clockNote, describe as describeResult } from '../../api/text/experiment-text.ts';
import {
  buildModel,
  checkScenario,
  loadScenario,
  parseScenario,
  runExperiment,
  runReplication,
} from '../../simulation/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-business-hours-'));

// Simulation time 0 is Monday 14 December 2026; the desks work Mon-Fri 09:00-17:00 and not at all
// on Friday 25 December (a peak window with no staff); the calendar is Mon-Fri 08:00-18:00 with
// 25 December a holiday. Work is 1 h a ticket; targets respond 2 h, resolve 3 h; horizon Tue 29 00:00.
const LOG = [
  'id,openedAt,priority',
  // four at once on Wednesday 16 at noon: answered after 0, 60, 120, 180 min, resolved after 60..240
  'A1,2026-12-16T12:00:00Z,X',
  'A2,2026-12-16T12:00:00Z,X',
  'A3,2026-12-16T12:00:00Z,X',
  'A4,2026-12-16T12:00:00Z,X',
  // Friday 18 17:30, answered Monday 21 09:00: 30 + 60 = 90 business minutes (3,810 elapsed)
  'B,2026-12-18T17:30:00Z,X',
  // Thursday 24 17:30, nobody on Christmas Day, answered Monday 28 09:00: 30 + 0 + 60 = 90 (5,250 elapsed)
  'C,2026-12-24T17:30:00Z,X',
  // Saturday 26 noon, answered Monday 28 10:00 after C: 120 business minutes, exactly the target (2,760 elapsed)
  'D,2026-12-26T12:00:00Z,X',
  // Monday 28 17:45, after the shift: still waiting at the horizon, 15 business minutes old (375 elapsed)
  'E,2026-12-28T17:45:00Z,X',
].join('\n');
const file = join(dir, 'trace.csv');
writeFileSync(file, LOG + '\n');

const desk = {
  shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '9h', to: '17h', size: 1 }],
  size: 0,
};
const replay = (tier: string, stage: string) => ({
  replay: { file, origin: '2026-12-14T00:00:00Z', priorities: { X: tier }, stage },
});
const scenario = (calendars: object | undefined, p3: object) =>
  parseScenario({
    name: 'business-hours',
    seed: 1,
    replications: 1,
    horizon: '15d',
    priorities: { P2: { respond: '2h', resolve: '3h' }, P3: { respond: '2h', resolve: '3h', ...p3 } },
    ...(calendars ? { calendars } : {}),
    arrivals: [replay('P2', 'a'), replay('P3', 'b')],
    pools: { a: desk, b: desk },
    flow: [
      { stage: 'a', pool: 'a', duration: { fixed: '1h' }, next: 'done' },
      { stage: 'b', pool: 'b', duration: { fixed: '1h' }, next: 'done' },
    ],
    peaks: [{ name: 'christmas', from: '11d', to: '12d', staff: { a: { size: 0 }, b: { size: 0 } } }],
  });
const business = {
  business: {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: '08:00',
    to: '18:00',
    holidays: ['2026-12-25'],
    start: '2026-12-14',
  },
};

describe('a 24/7 tier and a business-hours tier on the same trace', () => {
  const s = scenario(business, { calendar: 'business' });

  it('counts the business tier in open minutes only, the other round the clock', () => {
    const r = runReplication(s, { replication: 0, seed: 1 });
    const p2 = r.tiers.P2!;
    const p3 = r.tiers.P3!;
    expect([p2.clock, p3.clock]).toEqual(['24/7', 'business']);
    expect([p2.count, p3.count]).toEqual([8, 8]);
    expect([p2.open, p3.open]).toEqual([1, 1]);
    // respond: 7 stopped, E still running
    expect(p2.respond.n).toBe(7);
    expect(p3.respond.n).toBe(7);
    expect(p2.respond.mean).toBeCloseTo((0 + 60 + 120 + 180 + 3810 + 5250 + 2760) / 7, 9);
    expect(p3.respond.mean).toBeCloseTo((0 + 60 + 120 + 180 + 90 + 90 + 120) / 7, 9);
    expect(p3.respond.max).toBe(180);
    // 24/7: A1-A3 met; B, C, D missed; E already 375 min old, a known miss -> 3 of 8
    expect(p2.respond.censored).toBe(1);
    expect(p2.respond.censoredBreached).toBe(1);
    expect(p2.respond.attainment).toBeCloseTo(3 / 8, 12);
    // business: A1-A3, B, C and D (120 = the target) met; A4 missed; E only 15 business minutes old -> 6 of 7
    expect(p3.respond.censored).toBe(1);
    expect(p3.respond.censoredBreached).toBe(0);
    expect(p3.respond.attainment).toBeCloseTo(6 / 7, 12);
    // resolve: A 60..240, then B, C 150 and D 180 business minutes (target 180)
    expect(p3.resolve.mean).toBeCloseTo((60 + 120 + 180 + 240 + 150 + 150 + 180) / 7, 9);
    expect(p3.resolve.attainment).toBeCloseTo(6 / 7, 12);
    expect(p2.resolve.attainment).toBeCloseTo(3 / 8, 12);
    // the peak/off-peak split uses the same clocks: every ticket opened outside the window
    expect(r.windows!.offPeak.P3!.respond.attainment).toBeCloseTo(6 / 7, 12);
    expect(r.windows!.offPeak.P3!.clock).toBe('business');
    // waiting is elapsed time whatever the SLA clock: the same trace gives the same waits
    expect(p3.pWait).toBe(p2.pWait);
    expect(p3.meanWaitAll).toBe(p2.meanWaitAll);
    expect(p2.meanWaitAll).toBeCloseTo(12180 / 7, 9);
  });

  it('says so in the result, the text and the clock note', async () => {
    const r = await runExperiment(s, { workers: 1 });
    expect(r.priorities.P3!.clock).toBe('business');
    expect(r.priorities.P2!.clock).toBe('24/7');
    expect(r.priorities.P3!.respond.sla!.attainment.mean).toBeCloseTo(6 / 7, 12);
    const text = describeResult(r);
    expect(text).toMatch(/P3 \[business time\]: 8 tickets/);
    expect(text).toMatch(/ {2}P2: 8 tickets/);
    expect(clockNote(r)).toBe(
      'P3: SLA clocks count only the open minutes of calendar "business" (respond, on-site and resolve times, quantiles and attainment); the other tiers run 24/7.',
    );
  });

  it('without the holiday, C is a miss (30 + 600 + 60 = 690 business minutes)', () => {
    const noHoliday = { business: { ...business.business, holidays: [] } };
    const r = runReplication(scenario(noHoliday, { calendar: 'business' }), { replication: 0, seed: 1 });
    expect(r.tiers.P3!.respond.mean).toBeCloseTo((0 + 60 + 120 + 180 + 90 + 690 + 120) / 7, 9);
    expect(r.tiers.P3!.respond.attainment).toBeCloseTo(5 / 7, 12);
    // the holiday as a day after time 0 is the same as the date
    const byDay = { business: { ...business.business, holidays: ['11d'], start: undefined } };
    const d = runReplication(scenario(byDay, { calendar: 'business' }), { replication: 0, seed: 1 });
    expect(d.tiers.P3!.respond.attainment).toBeCloseTo(6 / 7, 12);
  });

  it('a tier without a calendar is unchanged by calendars being declared', () => {
    const plain = runReplication(scenario(undefined, {}), { replication: 0, seed: 1 });
    const declared = runReplication(scenario(business, {}), { replication: 0, seed: 1 });
    const strip = (x: typeof plain) => ({ ...x, wallSeconds: 0 });
    expect(strip(declared)).toEqual(strip(plain));
    expect(plain.tiers.P3!.respond.attainment).toBeCloseTo(3 / 8, 12);
  });
});

describe('the example', () => {
  it('data/scenarios/business-hours.yaml builds, P3 and P4 in business time', () => {
    const { scenario, baseDir } = loadScenario('data/scenarios/business-hours.yaml');
    expect(() => checkScenario(scenario, baseDir)).not.toThrow();
    const model = buildModel(scenario, { seed: 1, replication: 0 });
    expect(model.clocks.map((c) => c.clock)).toEqual(['24/7', '24/7', 'business', 'business']);
  });
});

describe('calendar errors name the field', () => {
  const build = (calendars: object | undefined, p3: object) => () =>
    buildModel(scenario(calendars, p3), { seed: 1, replication: 0 });
  const with_ = (change: object) => ({ business: { ...business.business, ...change } });

  it('an unknown calendar names the tier and lists the calendars', () => {
    expect(build(business, { calendar: 'busines' })).toThrow(
      'priorities.P3.calendar: tier P3 names calendar "busines", which is not defined under calendars (calendars are business)',
    );
    expect(build(undefined, { calendar: 'business' })).toThrow(/the scenario defines none/);
  });

  it('bad times, days and dates', () => {
    expect(build(with_({ from: '25:00' }), {})).toThrow(/calendars\.business\.from: must be before 24:00/);
    expect(build(with_({ to: '17:75' }), {})).toThrow(/calendars\.business\.to: minutes must be 00\.\.59/);
    expect(build(with_({ to: '8h' }), {})).toThrow(
      /calendars\.business\.to: a business day cannot close when it opens/,
    );
    expect(build(with_({ to: "5 o'clock" }), {})).toThrow(/calendars\.business\.to: expected a duration/);
    expect(() => scenario(with_({ to: 'soon' }), {})).toThrow(
      /calendars\.business\.to: expected type number or text/,
    );
    expect(build(with_({ holidays: ['2026-12-25', '2026-02-30'] }), {})).toThrow(
      /calendars\.business\.holidays\[1\]: "2026-02-30" is not a date/,
    );
    expect(build(with_({ holidays: ['Christmas'] }), {})).toThrow(
      /calendars\.business\.holidays\[0\]: expected a date YYYY-MM-DD or a day after simulation time 0/,
    );
    expect(build(with_({ holidays: ['36h'] }), {})).toThrow(/holidays\[0\]: a holiday is a whole day/);
    expect(build(with_({ start: undefined }), {})).toThrow(
      /calendars\.business\.holidays\[0\]: a date needs calendars\.business\.start/,
    );
    expect(build(with_({ start: '2026-12-15' }), {})).toThrow(
      /calendars\.business\.start: simulation time 0 is a Monday, but 2026-12-15 is a Tuesday/,
    );
    expect(() => scenario(with_({ days: ['mon', 'fry'] }), {})).toThrow(
      /calendars\.business\.days\[1\]: expected "mon" or/,
    );
  });

  it('an overnight calendar and 00:00 as the closing midnight are accepted', () => {
    expect(build(with_({ from: '22:00', to: '06:00' }), { calendar: 'business' })).not.toThrow();
    expect(build(with_({ from: '18:00', to: '00:00' }), { calendar: 'business' })).not.toThrow();
  });
});
