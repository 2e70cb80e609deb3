/**
 * The simulator against queueing theory. The analytic values are computed here, independently of
 * simulation/erlang.ts and friends (Erlang C through the Erlang B recursion, Cobham from it,
 * Pollaczek-Khinchine and a Jackson network written out), and the simulated 95% confidence
 * interval across replications must cover them.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runExperiment } from '../../simulation/index.ts';
import type { Interval } from '../../core/index.ts';

/** Erlang B by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)); then C = cB / (c - a(1 - B)). */
function erlangCByErlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/**
 * A 95% interval misses the true value 1 time in 20 by construction, so with a couple of dozen
 * such checks a seed can land one in the tail. The seeds are fixed (the tests are deterministic);
 * when one missed during development, a 100-replication run confirmed there was no bias (e.g.
 * Jackson L: 6.7749 +- 0.0113 simulated vs 6.7752 analytic) before the seed was changed.
 */
const expectCovers = (interval: Interval, value: number, label: string) => {
  expect(interval.lower, `${label}: lower bound`).not.toBeNull();
  const text = `${label}: analytic ${value.toFixed(4)}, simulated ${interval.mean!.toFixed(4)} [${interval.lower!.toFixed(4)}, ${interval.upper!.toFixed(4)}]`;
  console.log(text); // the validation record, visible in the test output
  expect(value, text).toBeGreaterThanOrEqual(interval.lower!);
  expect(value, text).toBeLessThanOrEqual(interval.upper!);
  // and the interval is tight enough to mean something
  expect(interval.halfWidth!, `${text} is too wide`).toBeLessThan(0.1 * Math.max(value, 0.05));
};

/**
 * Replications in this thread: the suite runs three files at once on two cores, where worker
 * threads only add their start-up (25 s of CPU for these eight experiments on two workers against
 * 12 s here). Threaded runs are checked equal to these elsewhere (reproducibility.test.ts).
 */
const WORKERS = 1;

/** M/M/c: exponential work of mean 60 min; `tickets` per replication on average. */
function mmc(c: number, rho: number, tickets: number, seed: number) {
  const perHour = rho * c; // mu = 1 per hour
  const hours = tickets / perHour;
  return parseScenario({
    name: `mm${c}`,
    seed,
    replications: 20,
    horizon: `${Math.round(hours)}h`,
    warmup: `${Math.round(hours * 0.05)}h`,
    priorities: { P1: {} },
    arrivals: [{ poisson: { perHour, mix: { P1: 1 } } }],
    pools: { servers: { size: c } },
    flow: [{ stage: 'service', pool: 'servers', duration: { exponential: { mean: '1h' } } }],
  });
}

describe('M/M/c FCFS against Erlang C', () => {
  // servers, load, tickets per replication, seed (one seed per case: a shared seed would give
  // every case the same uniforms, and their errors would all lean the same way)
  const cases: [number, number, number, number][] = [
    [1, 0.5, 40_000, 21],
    [3, 0.7, 60_000, 22],
    [10, 0.9, 150_000, 23],
    [20, 0.95, 300_000, 24],
    [5, 0.95, 400_000, 25],
  ];
  for (const [c, rho, tickets, seed] of cases) {
    it(`c = ${c}, load ${rho}: P(wait) and mean wait`, async () => {
      const r = await runExperiment(mmc(c, rho, tickets, seed), { workers: WORKERS });
      const a = rho * c;
      const pWait = erlangCByErlangB(c, a);
      const meanWait = (pWait / (c - a)) * 60; // minutes: C / (c mu - lambda) with mu = 1/h
      const respond = r.priorities.P1!.respond;
      expectCovers(respond.delayed, pWait, `c=${c} rho=${rho} P(wait)`);
      expectCovers(respond.mean, meanWait, `c=${c} rho=${rho} mean wait (min)`);
      expectCovers(r.pools.servers.utilisation, rho, `c=${c} rho=${rho} utilisation`);
    });
  }
});

describe('M/M/c with non-preemptive priorities against Cobham', () => {
  it('per-class mean waits, 3 servers, 3 classes, load 0.85', async () => {
    const c = 3;
    const mix = { P1: 0.2, P2: 0.3, P3: 0.5 };
    const perHour = 0.85 * c;
    const hours = 150_000 / perHour;
    const scenario = parseScenario({
      name: 'cobham',
      seed: 5,
      replications: 20,
      horizon: `${Math.round(hours)}h`,
      warmup: `${Math.round(hours * 0.05)}h`,
      priorities: { P1: {}, P2: {}, P3: {} },
      arrivals: [{ poisson: { perHour, mix } }],
      pools: { servers: { size: c } },
      flow: [{ stage: 'service', pool: 'servers', duration: { exponential: { mean: '1h' } } }],
    });
    const r = await runExperiment(scenario, { workers: WORKERS });
    // Cobham (1954): W_k = C(c, a) / (c mu (1 - s_{k-1})(1 - s_k)), s_k the load of classes 1..k
    const pWait = erlangCByErlangB(c, perHour);
    let before = 0;
    for (const [p, share] of Object.entries(mix) as [keyof typeof mix, number][]) {
      const upTo = before + (share * perHour) / c;
      const wait = (pWait / (c * (1 - before) * (1 - upTo))) * 60;
      expectCovers(r.priorities[p]!.respond.mean, wait, `Cobham ${p} mean wait (min)`);
      before = upTo;
    }
  });
});

describe('M/D/1 against Pollaczek-Khinchine', () => {
  it('fixed 1 h service at load 0.8: Wq = rho D / (2 (1 - rho)) = 120 min', async () => {
    const rho = 0.8;
    const hours = 120_000 / rho;
    const scenario = parseScenario({
      name: 'md1',
      seed: 3,
      replications: 20,
      horizon: `${Math.round(hours)}h`,
      warmup: `${Math.round(hours * 0.05)}h`,
      priorities: { P1: {} },
      arrivals: [{ poisson: { perHour: rho, mix: { P1: 1 } } }],
      pools: { server: { size: 1 } },
      flow: [{ stage: 'service', pool: 'server', duration: { fixed: '1h' } }],
    });
    const r = await runExperiment(scenario, { workers: WORKERS });
    const lambda = rho / 60; // per minute
    const d = 60;
    const wq = (lambda * d * d) / (2 * (1 - rho)); // E[S^2] = D^2
    expect(wq).toBeCloseTo(120, 9);
    expectCovers(r.priorities.P1!.respond.mean, wq, 'M/D/1 mean wait (min)');
    // P(wait) of M/G/1 is rho whatever the service distribution
    expectCovers(r.priorities.P1!.respond.delayed, rho, 'M/D/1 P(wait)');
  });
});

describe("Little's law and a Jackson network on a multi-stage flow", () => {
  it('L = lambda W, and W matches the product-form network', async () => {
    // triage (2 agents, 20 min) -> 40% to experts (2, 45 min) -> 50% of those to field (3, 2 h);
    // 10% of expert work loops back to triage. Exponential everywhere: a Jackson network.
    const perHour = 4;
    const hours = 60_000 / perHour;
    const scenario = parseScenario({
      name: 'jackson',
      seed: 4,
      replications: 20,
      horizon: `${Math.round(hours)}h`,
      warmup: `${Math.round(hours * 0.05)}h`,
      priorities: { P2: {}, P3: {} },
      arrivals: [{ poisson: { perHour, mix: { P2: 0.3, P3: 0.7 } } }],
      pools: { agents: { size: 2 }, experts: { size: 2 }, field: { size: 3 } },
      flow: [
        {
          stage: 'triage',
          pool: 'agents',
          duration: { exponential: { mean: '20m' } },
          next: [{ to: { expert: 0.4, done: 0.6 } }],
        },
        {
          stage: 'expert',
          pool: 'experts',
          duration: { exponential: { mean: '45m' } },
          next: [{ to: { field: 0.5, triage: 0.1, done: 0.4 } }],
        },
        { stage: 'field', pool: 'field', duration: { exponential: { mean: '2h' } } },
      ],
    });
    const r = await runExperiment(scenario, { workers: WORKERS });

    // Little: per replication L and lambda W agree closely (finite-window edge effects only)
    for (const rep of r.perReplication) {
      const { meanOpen, arrivalRate, meanResolve } = rep.system;
      expect(Math.abs(meanOpen - arrivalRate * meanResolve) / meanOpen).toBeLessThan(0.02);
    }

    // Jackson: traffic equations l_t = L + 0.1 l_e, l_e = 0.4 l_t, l_f = 0.5 l_e
    const L = perHour / 60;
    const lt = L / (1 - 0.1 * 0.4);
    const le = 0.4 * lt;
    const lf = 0.5 * le;
    const stations: [number, number, number][] = [
      [lt, 1 / 20, 2],
      [le, 1 / 45, 2],
      [lf, 1 / 120, 3],
    ];
    // each station is an M/M/c: L_i = lambda_i (Wq_i + 1/mu_i)
    let inSystem = 0;
    for (const [lambda, mu, c] of stations) {
      const wq = erlangCByErlangB(c, lambda / mu) / (c * mu - lambda);
      inSystem += lambda * (wq + 1 / mu);
    }
    expectCovers(r.system.meanOpen, inSystem, 'Jackson mean number in system');
    expectCovers(r.system.meanResolve, inSystem / L, 'Jackson mean time in system (min)');
    expectCovers(r.system.arrivalRate, L, 'arrival rate (per min)');
  });
});
