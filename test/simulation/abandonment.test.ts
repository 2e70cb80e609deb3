/**
 * Abandonment: M/M/c+M simulated against Erlang A. The analytic values are computed here from the
 * birth-death chain written out independently of simulation/erlang-a.ts: P(wait) = P(N >= c),
 * P(abandon) = theta E[Lq] / lambda (abandonment flow), the mean wait of all arrivals E[Lq] / lambda
 * (Little). The mean wait of answered arrivals (ASA) has no such one-line form; it is checked
 * against erlangA, whose formula erlang-calculator.test.ts checks by other routes.
 */
import { describe, expect, it } from 'vitest';
import { erlangA, parseScenario, runExperiment } from '../../simulation/index.ts';
import type { Interval } from '../../core/index.ts';

const expectCovers = (interval: Interval, value: number, label: string) => {
  const text = `${label}: analytic ${value.toFixed(4)}, simulated ${interval.mean!.toFixed(4)} [${interval.lower!.toFixed(4)}, ${interval.upper!.toFixed(4)}]`;
  console.log(text);
  expect(value, text).toBeGreaterThanOrEqual(interval.lower!);
  expect(value, text).toBeLessThanOrEqual(interval.upper!);
  expect(interval.halfWidth!, `${text} is too wide`).toBeLessThan(0.1 * Math.max(value, 0.05));
};

/** pi_n of M/M/c+M by the balance equations, normalised (rates per minute). */
function birthDeath(c: number, lambda: number, mu: number, theta: number): number[] {
  const pi = [1];
  for (let n = 1; n < 2000; n++)
    pi.push((pi[n - 1] * lambda) / (Math.min(n, c) * mu + Math.max(0, n - c) * theta));
  const total = pi.reduce((s, v) => s + v, 0);
  return pi.map((v) => v / total);
}

describe('M/M/c+M against Erlang A', () => {
  // 10 agents, 6 min handling, 110 calls per hour (offered load 11 Erlangs > 10 agents: only
  // abandonment keeps it stable), mean patience 4 min
  const c = 10;
  const perHour = 110;
  const aht = 6;
  const patience = 4;
  const lambda = perHour / 60;
  const mu = 1 / aht;
  const theta = 1 / patience;

  const scenario = (where: 'priority' | 'pool', seed: number) =>
    parseScenario({
      name: `mmc+m-${where}`,
      seed,
      replications: 16,
      horizon: '12d',
      warmup: '12h',
      priorities: {
        P1:
          where === 'priority'
            ? { respond: '30s', patience: { exponential: { mean: `${patience}m` } } }
            : { respond: '30s' },
      },
      arrivals: [{ poisson: { perHour, mix: { P1: 1 } } }],
      pools: {
        agents: {
          size: c,
          ...(where === 'pool' ? { patience: { exponential: { mean: `${patience}m` } } } : {}),
        },
      },
      flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: `${aht}m` } } }],
    });

  const pi = birthDeath(c, lambda, mu, theta);
  const pWait = pi.slice(c).reduce((s, v) => s + v, 0);
  const lq = pi.reduce((s, v, n) => s + Math.max(0, n - c) * v, 0);
  const pAbandon = (theta * lq) / lambda;
  const meanWaitAll = lq / lambda;

  it('patience per priority: P(wait), P(abandon), mean waits, utilisation', async () => {
    const r = await runExperiment(scenario('priority', 41), { workers: 2 });
    const t = r.priorities.P1!;
    expectCovers(t.pWait, pWait, 'M/M/10+M P(wait)');
    expectCovers(t.pAbandon, pAbandon, 'M/M/10+M P(abandon)');
    expectCovers(t.meanWaitAll, meanWaitAll, 'M/M/10+M mean wait of all arrivals (min)');
    expectCovers(
      t.respond.mean,
      erlangA(c, lambda, mu, theta).asa,
      'M/M/10+M mean wait of answered (ASA, min)',
    );
    expectCovers(r.pools.agents.utilisation, (lambda * (1 - pAbandon)) / (c * mu), 'M/M/10+M occupancy');
    // abandoned tickets are counted and left out of the served statistics
    expect(t.abandoned.mean!).toBeGreaterThan(0);
    // every measured ticket was answered, abandoned, or is still waiting at the horizon
    expect(t.respond.stopped.mean! + t.abandoned.mean! + t.respond.censored.mean!).toBeCloseTo(
      t.count.mean!,
      6,
    );
  });

  it('patience per pool gives the same queue', async () => {
    const r = await runExperiment(scenario('pool', 42), { workers: 2 });
    expectCovers(r.priorities.P1!.pAbandon, pAbandon, 'M/M/10+M (pool patience) P(abandon)');
    expect(r.pools.agents.abandoned.mean).toBeCloseTo(r.priorities.P1!.abandoned.mean!, 6);
  });
});
