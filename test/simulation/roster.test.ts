/**
 * Optimal shift rosters (HiGHS on the set-covering integer program) against routes that share no
 * code with the model: brute force over every staffing of small cases, with coverage computed here
 * from the templates' hours (shifts past midnight and past Sunday night, breaks), the LP relaxation
 * as a lower bound on a week of hourly requirements, closed-form optima, the simulator's own weekly
 * roster (ShiftRoster) for the shifts written into a scenario, and Erlang C for requirements
 * derived from a scenario.
 */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { erlangStaffing, parseScenario, ShiftRoster, buildModel } from '../../simulation/index.ts';
import { MINUTES_PER_DAY, WEEKDAYS } from '../../simulation/engine/shift-roster.ts';
import {
  parseRequirements,
  readRequirements,
  readShiftTemplates,
  templatesFrom,
  type ShiftTemplate,
} from '../../simulation/experiments/roster-input.ts';
import { rosterShifts, solveRoster } from '../../simulation/experiments/roster.ts';
import { requirementsFromScenario } from '../../simulation/experiments/roster-requirements.ts';

type Spec = Parameters<typeof templatesFrom>[0]['shifts'][number];
const templates = (shifts: Spec[]) => templatesFrom({ shifts });

/** Options for one member of staff on a template: every break start (or none), coverage computed here. */
function staffOptions(t: ShiftTemplate): { template: string; cover: number[]; cost: number }[] {
  const starts = t.break
    ? Array.from({ length: t.break.latest - t.break.earliest + 1 }, (_, i) => t.break!.earliest + i)
    : [null];
  return starts.map((b) => {
    const cover = new Array<number>(168).fill(0);
    for (const d of t.days)
      for (let h = 0; h < t.length; h++) {
        if (b !== null && h >= b && h < b + t.break!.length) continue;
        cover[(d * 24 + t.from + h) % 168] = 1;
      }
    return { template: t.name, cover, cost: t.costPerHour * t.length * t.days.length };
  });
}

/** The cheapest staffing by trying every count 0..max of every option. */
function bruteForce(ts: ShiftTemplate[], required: Int32Array, max: number): number {
  const options = ts.flatMap(staffOptions);
  let best = Infinity;
  const x = new Array<number>(options.length).fill(0);
  const visit = (j: number, cost: number) => {
    if (cost >= best) return;
    if (j === options.length) {
      for (let s = 0; s < 168; s++) {
        let c = 0;
        for (let k = 0; k < options.length; k++) c += x[k] * options[k].cover[s];
        if (c < required[s]) return;
      }
      best = cost;
      return;
    }
    for (let n = 0; n <= max; n++) {
      x[j] = n;
      visit(j + 1, cost + n * options[j].cost);
    }
    x[j] = 0;
  };
  visit(0, 0);
  return best;
}

const slot = (day: string, hour: number) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]) * 24 + hour;

describe('roster against brute force', () => {
  // wraps past midnight (sat-sun 18-02, sun 22-06) and past the end of the week (into Monday)
  const wrap = templates([
    { name: 'sun-night', days: ['sun'], from: '22:00', to: '06:00', costPerHour: 10 },
    { name: 'weekend-evening', days: ['sat', 'sun'], from: '18:00', to: '02:00', costPerHour: 8 },
    { name: 'mon-early', days: ['mon'], from: '04:00', to: '12:00', costPerHour: 9 },
    {
      name: 'mon-long',
      days: ['mon'],
      from: '00:00',
      to: '10:00',
      costPerHour: 7,
      breaks: { length: '2h', within: ['03:00', '08:00'] },
    },
  ]);
  const cells = [
    slot('sat', 19),
    slot('sun', 1),
    slot('sun', 23),
    slot('mon', 0),
    slot('mon', 1),
    slot('mon', 4),
    slot('mon', 5),
    slot('mon', 7),
    slot('mon', 9),
    slot('mon', 11),
  ];

  it('a Sunday 22:00-06:00 shift covers Monday 00-06', () => {
    const [night] = wrap;
    const covered = staffOptions(night)[0].cover;
    for (let h = 0; h < 6; h++) expect(covered[slot('mon', h)]).toBe(1);
    expect(covered[slot('sun', 22)]).toBe(1);
    expect(covered[slot('mon', 6)]).toBe(0);
  });

  it('30 random requirement sets: the MIP cost equals the brute-force optimum, LP bound below', async () => {
    const rng = new RandomStream(2024, 'roster-brute');
    for (let trial = 0; trial < 30; trial++) {
      const required = new Int32Array(168);
      for (const s of cells) required[s] = Math.floor(rng.uniform() * 3); // 0..2
      const r = await solveRoster(wrap, required);
      expect(r.status).toBe('optimal');
      // no hour needs more than 2, so an optimum never puts 3 on one option (drop one: still covered)
      expect(r.cost).toBeCloseTo(bruteForce(wrap, required, 2), 6);
      expect(r.lpBound).toBeLessThanOrEqual(r.cost + 1e-6);
      for (const c of r.coverage) expect(c.covered).toBeGreaterThanOrEqual(c.required);
    }
  });

  it('a break is a whole hour-slot uncovered: one staff cannot cover both ends of a break window', async () => {
    // 1 staff 09-17 with a 1 h break in [12, 14]: needs at 12 and 13 force a second person
    const ts = templates([
      {
        name: 'day',
        days: ['tue'],
        from: '09:00',
        to: '17:00',
        costPerHour: 10,
        breaks: { length: '1h', within: ['12:00', '14:00'] },
      },
    ]);
    const required = new Int32Array(168);
    required[slot('tue', 12)] = 1;
    required[slot('tue', 13)] = 1;
    const r = await solveRoster(ts, required);
    expect(r.shifts[0].staff).toBe(2);
    expect(r.cost).toBe(160);
    expect(r.shifts[0].breaks).toEqual([
      { start: '12:00', staff: 1 },
      { start: '13:00', staff: 1 },
    ]);
    // the LP can do no better here either: both hours need a body, and a body covers at most one
    expect(r.lpBound).toBeCloseTo(160, 6);
    expect(bruteForce(ts, required, 3)).toBe(160);
  });
});

describe('roster on a week of hourly requirements', () => {
  it('days-off tours (5 consecutive days on, 7 rotations): MIP = brute force >= LP bound', async () => {
    // the classic cyclic days-off problem; the tours that start Wed..Sun wrap past Sunday
    const ts = templates(
      WEEKDAYS.map((_, i) => ({
        name: `from-${WEEKDAYS[i]}`,
        days: [0, 1, 2, 3, 4].map((k) => WEEKDAYS[(i + k) % 7]),
        from: '09:00',
        to: '17:00',
        costPerHour: 10 + i, // distinct costs: a unique-ish optimum
      })),
    );
    const rng = new RandomStream(7, 'days-off');
    for (let trial = 0; trial < 4; trial++) {
      const required = new Int32Array(168);
      for (let d = 0; d < 7; d++) {
        const need = 1 + Math.floor(rng.uniform() * 3);
        for (let h = 9; h < 17; h++) required[d * 24 + h] = need;
      }
      const r = await solveRoster(ts, required);
      expect(r.cost).toBeCloseTo(bruteForce(ts, required, 3), 6);
      expect(r.cost).toBeGreaterThanOrEqual(r.lpBound - 1e-6);
    }
  });

  it('the example week: optimal, every hour covered, cost >= LP bound', async () => {
    const ts = readShiftTemplates('data/roster/shifts.yaml');
    const required = readRequirements('data/roster/requirements.csv');
    const r = await solveRoster(ts, required);
    expect(r.status).toBe('optimal');
    expect(r.cost).toBeGreaterThanOrEqual(r.lpBound - 1e-6);
    // the same program solved by SciPy's milp (native HiGHS, bench/roster-scipy.py): 26130, LP 25826
    expect(r.cost).toBeCloseTo(26130, 6);
    expect(r.lpBound).toBeCloseTo(25826, 6);
    for (const c of r.coverage) expect(c.covered).toBeGreaterThanOrEqual(c.required);
    expect(r.cost).toBeCloseTo(
      r.shifts.reduce((s, x) => s + x.cost, 0),
      6,
    );
  });

  it('a flat requirement on three 8-hour shifts: cost = 3 r x 56 h x rate, the LP bound equal', async () => {
    const ts = templates(
      ['00:00', '08:00', '16:00'].map((from, i) => ({
        name: `s${i}`,
        days: [...WEEKDAYS],
        from,
        to: ['08:00', '16:00', '24:00'][i],
        costPerHour: 25,
      })),
    );
    const required = new Int32Array(168).fill(4);
    const r = await solveRoster(ts, required);
    expect(r.cost).toBe(3 * 4 * 56 * 25);
    expect(r.lpBound).toBeCloseTo(r.cost, 6);
    expect(r.shifts.map((s) => s.staff)).toEqual([4, 4, 4]);
  });
});

describe('the roster in a scenario', () => {
  it("rosterShifts gives the simulator's roster the same on-duty count as the roster's coverage", async () => {
    const ts = readShiftTemplates('data/roster/shifts.yaml');
    const r = await solveRoster(ts, readRequirements('data/roster/requirements.csv'));
    const shifts = rosterShifts(ts, r);
    const roster = new ShiftRoster(
      shifts.map((s) => ({
        days: s.days!.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])),
        from: Number(String(s.from).replace('h', '')) * 60,
        to: Number(String(s.to).replace('h', '')) * 60,
        size: s.size,
      })),
      0,
    );
    for (let s = 0; s < 168; s++) expect(roster.sizeAt(s * 60 + 30)).toBe(r.coverage[s].covered);
    expect(roster.weeklyStaffMinutes()).toBe(r.coverage.reduce((t, c) => t + c.covered, 0) * 60);
    expect(MINUTES_PER_DAY).toBe(1440);
  });
});

describe('requirements from a scenario', () => {
  const scenario = (extra: Record<string, unknown> = {}) =>
    parseScenario({
      horizon: '7d',
      priorities: { P1: { respond: '20s' } },
      arrivals: [
        {
          profile: {
            perHour: 100,
            hourOfDay: [...new Array(12).fill(0), ...new Array(12).fill(2)],
            mix: { P1: 1 },
          },
        },
      ],
      pools: { agents: { size: 1, shrinkage: 0.3, ...extra } },
      flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: '3m' } } }],
    });

  it('200 calls an hour, AHT 3 min, 80% in 20 s: 14 on duty (the published example), 20 scheduled at 30%', () => {
    const req = requirementsFromScenario(scenario());
    for (let s = 0; s < 168; s++) {
      const busy = s % 24 >= 12;
      expect(req.perHour[s]).toBeCloseTo(busy ? 200 : 0, 9);
      expect(req.onDuty[s]).toBe(busy ? 14 : 0);
      expect(req.required[s]).toBe(busy ? 20 : 0);
    }
    const same = erlangStaffing({
      calls: 200,
      interval: 60,
      aht: 3,
      target: 0.8,
      within: 1 / 3,
      shrinkage: 0.3,
    });
    expect(same.scheduled).toBe(20);
  });

  it('a tier on a business calendar has no respond target while its calendar is closed: those hours are staffed for c > a only', () => {
    const flat = (calendar?: string) =>
      parseScenario({
        horizon: '7d',
        ...(calendar && {
          calendars: { office: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' } },
        }),
        priorities: { P1: { respond: '20s', ...(calendar && { calendar }) } },
        arrivals: [{ poisson: { perHour: 200, mix: { P1: 1 } } }],
        pools: { agents: { size: 1, shrinkage: 0.3 } },
        flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: '3m' } } }],
      });
    const clock = requirementsFromScenario(flat());
    const office = requirementsFromScenario(flat('office'));
    // 200 calls of 3 min an hour = 10 Erlangs: 80% within 20 s takes 14 (the published example);
    // with the clock stopped, only stability: the fewest c > 10
    expect([...new Set(clock.onDuty)]).toEqual([14]);
    for (const [day, hour, onDuty] of [
      ['mon', 7, 11],
      ['mon', 8, 14],
      ['wed', 17, 14],
      ['wed', 18, 11],
      ['fri', 3, 11],
      ['sat', 12, 11],
      ['sun', 9, 11],
    ] as const)
      expect(office.onDuty[slot(day, hour)], `${day} ${hour}:00`).toBe(onDuty);
    expect(office.onDuty.filter((c) => c === 14)).toHaveLength(5 * 10);
    expect(office.perHour).toEqual(clock.perHour);
  });

  it('an occupancy cap of 65% raises 14 to ceil(10 / 0.65) = 16, scheduled 23', () => {
    const req = requirementsFromScenario(scenario(), { maxOccupancy: 0.65 });
    expect(req.onDuty[slot('wed', 15)]).toBe(16);
    expect(req.required[slot('wed', 15)]).toBe(23);
  });
});

describe('roster input errors', () => {
  it('a bad CSV row names the line and the field; duplicates name the earlier line', () => {
    expect(() => parseRequirements('day,hour,required\nmon,3,2\nmon,25,1\n', 'req.csv')).toThrow(
      /req\.csv:3: hour: expected an integer 0-23, got "25"/,
    );
    expect(() => parseRequirements('day,hour,required\nmonday,3,2\n', 'req.csv')).toThrow(/req\.csv:2: day/);
    expect(() => parseRequirements('day,hour,required\nmon,3,x\n', 'req.csv')).toThrow(
      /req\.csv:2: required/,
    );
    expect(() => parseRequirements('day,hour,required\nmon,3,1\nmon,3,2\n', 'req.csv')).toThrow(
      /req\.csv:3: .*already given on line 2/,
    );
    expect(() => parseRequirements('day,hour\nmon,3\n', 'req.csv')).toThrow(/missing column required/);
  });

  it('template errors name the field', () => {
    expect(() =>
      templates([{ name: 'a', days: ['mon'], from: '07:30', to: '15:00', costPerHour: 1 }]),
    ).toThrow(/shifts\[0\]\.from: the roster works in whole hours/);
    expect(() =>
      templates([
        {
          name: 'a',
          days: ['mon'],
          from: '07:00',
          to: '15:00',
          costPerHour: 1,
          breaks: { length: '1h', within: ['14:00', '16:00'] },
        },
      ]),
    ).toThrow(/shifts\[0\]\.breaks\.within: .* must lie inside the shift/);
  });

  it('a requirement no template covers names the day and hour', async () => {
    const ts = templates([{ name: 'a', days: ['mon'], from: '07:00', to: '15:00', costPerHour: 1 }]);
    const required = new Int32Array(168);
    required[slot('tue', 3)] = 2;
    await expect(solveRoster(ts, required)).rejects.toThrow(
      /no shift template covers tue 03:00 \(required 2\)/,
    );
  });

  it('the model built from a scenario with the roster also checks the pool', () => {
    const s = parseScenario({
      horizon: '1d',
      priorities: { P1: {} },
      pools: { agents: { size: 0, shifts: [{ days: ['sun'], from: '22h', to: '6h', size: 2 }] } },
      flow: [{ stage: 'call', pool: 'agents', duration: { fixed: '1m' } }],
    });
    const model = buildModel(s, { seed: 1, replication: 0 });
    expect(model.pools[0].sizeAt(0)).toBe(2); // Monday 00:00 is inside Sunday's night shift
    expect(model.pools[0].sizeAt(6 * 60)).toBe(0);
  });
});
