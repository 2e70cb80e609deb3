/**
 * Result intervals stay within the quantity's range: the Student t interval across replications
 * (mean +- t s / sqrt(n)) knows no range, so with few replications a share's can pass 100% and a
 * count's fall below 0, which no replication can. Results clip the ends (shares to [0, 1],
 * everything else to >= 0) and keep the t half-width; checked against the raw interval recomputed
 * from the per-replication values.
 */
import { describe, expect, it } from 'vitest';
import { confidenceInterval } from '../../core/index.ts';
import { clampInterval } from '../../simulation/experiments/results.ts';
import { parseScenario, runExperiment } from '../../simulation/index.ts';

describe('clampInterval', () => {
  it('clips the ends to the range, keeps the mean and the half-width', () => {
    const i = { mean: 0.98, lower: 0.91, upper: 1.05, halfWidth: 0.07, n: 3 };
    expect(clampInterval(i, 0, 1)).toEqual({ mean: 0.98, lower: 0.91, upper: 1, halfWidth: 0.07, n: 3 });
    expect(clampInterval({ mean: 4, lower: -22, upper: 30, halfWidth: 26, n: 2 }, 0, Infinity)).toEqual({
      mean: 4,
      lower: 0,
      upper: 30,
      halfWidth: 26,
      n: 2,
    });
    const none = { mean: 1, lower: null, upper: null, halfWidth: null, n: 1 };
    expect(clampInterval(none, 0, 1)).toEqual(none);
  });
});

describe('experiment results', () => {
  it('two replications of a busy single server: raw t intervals leave the range, the result does not', async () => {
    // one agent at load 0.9 for a day: replications differ a lot, and t(0.975, 1) = 12.7
    const s = parseScenario({
      name: 'one-agent',
      seed: 4,
      replications: 2,
      horizon: '1d',
      priorities: { P1: { respond: '5m' }, P2: { respond: '30m' } },
      arrivals: [{ poisson: { perHour: 5.4, mix: { P1: 0.5, P2: 0.5 } } }],
      pools: { solo: { size: 1, costPerHour: 20 } },
      flow: [{ stage: 'work', pool: 'solo', duration: { exponential: { mean: '10m' } } }],
    });
    const r = await runExperiment(s, { workers: 0 });
    const reps = r.perReplication;
    const checks = [
      ['P1 pWait', r.priorities.P1!.pWait, reps.map((x) => x.tiers.P1!.pWait), 1],
      ['P2 pWait', r.priorities.P2!.pWait, reps.map((x) => x.tiers.P2!.pWait), 1],
      [
        'P1 respond SLA',
        r.priorities.P1!.respond.sla!.attainment,
        reps.map((x) => x.tiers.P1!.respond.attainment),
        1,
      ],
      [
        'P2 respond SLA',
        r.priorities.P2!.respond.sla!.attainment,
        reps.map((x) => x.tiers.P2!.respond.attainment),
        1,
      ],
      ['solo utilisation', r.pools.solo.utilisation, reps.map((x) => x.pools.solo.utilisation), 1],
      [
        'P1 open at horizon',
        r.priorities.P1!.openAtHorizon.count,
        reps.map((x) => x.tiers.P1!.open),
        Infinity,
      ],
      [
        'P2 open at horizon',
        r.priorities.P2!.openAtHorizon.count,
        reps.map((x) => x.tiers.P2!.open),
        Infinity,
      ],
      ['solo mean queue', r.pools.solo.meanQueue, reps.map((x) => x.pools.solo.meanQueue), Infinity],
      ['P2 respond p90', r.priorities.P2!.respond.p90, reps.map((x) => x.tiers.P2!.respond.p90), Infinity],
    ] as const;
    let outside = 0;
    for (const [name, got, values, hi] of checks) {
      const raw = confidenceInterval(values);
      if (raw.lower! < 0 || raw.upper! > hi) outside++;
      expect(got.mean, name).toBeCloseTo(raw.mean!, 12);
      expect(got.halfWidth, name).toBeCloseTo(raw.halfWidth!, 12);
      expect(got.lower, name).toBeCloseTo(Math.max(0, raw.lower!), 12);
      expect(got.upper, name).toBeCloseTo(Math.min(hi, raw.upper!), 12);
      expect(got.lower!, name).toBeGreaterThanOrEqual(0);
      expect(got.upper!, name).toBeLessThanOrEqual(hi);
    }
    // the case is the one the clipping is for: most raw intervals leave their range
    expect(outside).toBeGreaterThanOrEqual(5);
  });
});
