/**
 * The service model's behaviour on small scenarios whose outcome can be worked out by hand:
 * backlog and censoring, preemption, escalation and raising, shifts, routing, and bounded memory.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, parseScenario, runReplication } from '../../simulation/index.ts';

const base = {
  name: 't',
  seed: 1,
  replications: 1,
  priorities: {
    P1: { respond: '15m', resolve: '2h' },
    P2: { respond: '30m', resolve: '4h' },
    P3: {},
    P4: {},
  },
};
const run = (scenario: object) =>
  runReplication(parseScenario({ ...base, ...scenario }), { replication: 0, seed: 1 });

describe('backlog at time zero and tickets open at the horizon', () => {
  it('serves the backlog oldest first, clocks counting from the true open time', () => {
    const r = run({
      horizon: '2h',
      pools: { desk: { size: 1 } },
      flow: [{ stage: 's', pool: 'desk', duration: { fixed: '10m' } }],
      backlog: [
        { priority: 'P2', age: '5m', count: 2 },
        { priority: 'P2', age: '1h' },
      ],
    });
    const p2 = r.tiers.P2!;
    // the 1h-old ticket starts at 0 (respond 60), then the two 5m-old at 10 and 20 (respond 15, 25)
    expect(p2.count).toBe(3);
    expect(p2.respond.n).toBe(3);
    expect(p2.respond.mean).toBeCloseTo((60 + 15 + 25) / 3, 9);
    expect(p2.respond.max).toBe(60);
    expect(p2.resolve.mean).toBeCloseTo((70 + 25 + 35) / 3, 9);
    expect(p2.respond.attainment).toBeCloseTo(2 / 3, 12); // 60 > 30m target
    expect(p2.open).toBe(0);
  });

  it('reports open tickets with their ages and censors their clocks instead of dropping them', () => {
    const r = run({
      horizon: '1h',
      pools: { desk: { size: 1 } },
      flow: [{ stage: 's', pool: 'desk', duration: { fixed: '40m' } }],
      backlog: [{ priority: 'P2', age: 0, count: 3 }],
    });
    const p2 = r.tiers.P2!;
    // first resolved at 40; second started at 40 (respond 40 > 30: a miss), still open; third never started
    expect(p2.resolved).toBe(1);
    expect(p2.open).toBe(2);
    expect(p2.openMeanAge).toBe(60);
    expect(p2.respond.n).toBe(2);
    expect(p2.respond.censored).toBe(1);
    expect(p2.respond.censoredBreached).toBe(1); // 60 min open, target 30
    expect(p2.respond.attainment).toBeCloseTo(1 / 3, 12); // met 1 of (2 stopped + 1 known miss)
    expect(p2.resolve.censored).toBe(2);
    expect(p2.resolve.censoredBreached).toBe(0); // 60 min < 4 h: undecided, not counted either way
    expect(p2.resolve.attainment).toBe(1);
  });

  it('with nobody on duty every ticket is still open at the horizon, aged by its backlog age', () => {
    const r = run({
      horizon: '1h',
      pools: { desk: { size: 0 } },
      flow: [{ stage: 's', pool: 'desk', duration: { fixed: '10m' } }],
      backlog: [{ priority: 'P1', age: '2h', count: 5 }],
    });
    const p1 = r.tiers.P1!;
    expect([p1.count, p1.open, p1.resolved]).toEqual([5, 5, 0]);
    expect(p1.openMeanAge).toBe(180);
    expect(p1.respond.censoredBreached).toBe(5);
    expect(p1.resolve.censoredBreached).toBe(5); // 3 h > 2 h
    expect(p1.resolve.attainment).toBe(0);
  });
});

describe('P1 preemption', () => {
  // a P2 starts 60 min of work at 0; a P1 needing 20 min arrives at 10
  const scenario = (preemption: string) => ({
    horizon: '5h',
    arrivals: [{ renewal: { interarrival: { fixed: '10m' }, mix: { P1: 1 }, count: 1 } }],
    pools: { desk: { size: 1, preemption } },
    flow: [
      { stage: 's', pool: 'desk', duration: { fixed: '60m' }, durationByPriority: { P1: { fixed: '20m' } } },
    ],
    backlog: [{ priority: 'P2', age: 0 }],
  });
  const resolveTimes = (preemption: string) => {
    const r = run(scenario(preemption));
    return [r.tiers.P1!.resolve.mean, r.tiers.P2!.resolve.mean, r.pools.desk.preemptions];
  };
  it('none: the P1 waits for the P2 to finish', () => expect(resolveTimes('none')).toEqual([70, 60, 0]));
  it('resume: the P2 continues where it stopped', () => expect(resolveTimes('resume')).toEqual([20, 80, 1]));
  it('restart: the P2 starts its 60 minutes again', () =>
    expect(resolveTimes('restart')).toEqual([20, 90, 1]));
});

describe('escalation and raising priority (the 30/10/5 rule)', () => {
  it('work running past 30 min at first line moves to the experts, who have a 10 min pickup target', () => {
    const r = run({
      horizon: '1d',
      pools: { agents: { size: 1 }, experts: { size: 1 } },
      flow: [
        {
          stage: 'first-line',
          pool: 'agents',
          duration: { fixed: '45m' },
          escalate: { after: '30m', to: 'expert' },
          next: 'done',
        },
        { stage: 'expert', pool: 'experts', duration: { fixed: '10m' }, pickup: '10m' },
      ],
      backlog: [{ priority: 'P2', age: 0, count: 2 }],
    });
    // A: agent 0-30, escalates, expert 30-40. B: agent 30-60, expert 60-70.
    expect(r.tiers.P2!.escalated).toBe(2);
    expect(r.stages['first-line'].escalated).toBe(2);
    expect(r.tiers.P2!.resolve.mean).toBe((40 + 70) / 2);
    expect(r.stages.expert.pickupAttainment).toBe(1);
  });

  it('a ticket waiting past 5 min is raised to P1 and overtakes tickets it queued behind', () => {
    const scenario = (raise: boolean) => ({
      horizon: '1d',
      pools: { desk: { size: 1 } },
      flow: [
        {
          stage: 's',
          pool: 'desk',
          duration: { fixed: '60m' },
          ...(raise && { raise: { P3: { after: '5m', to: 'P1' } } }),
        },
      ],
      // oldest first: A (P2) starts at 0; B (P3) and C (P2) wait
      backlog: [
        { priority: 'P2', age: '30m' },
        { priority: 'P3', age: '20m' },
        { priority: 'P2', age: '10m' },
      ],
    });
    const plain = run(scenario(false));
    expect(plain.tiers.P3!.respond.mean).toBe(120 + 20); // after A and C
    expect(plain.tiers.P3!.raised).toBe(0);
    const raised = run(scenario(true));
    expect(raised.tiers.P3!.raised).toBe(1);
    expect(raised.tiers.P3!.respond.mean).toBe(60 + 20); // straight after A
    expect(raised.tiers.P2!.respond.mean).toBe((30 + 120 + 10) / 2);
  });
});

describe('shifts', () => {
  it('tickets wait for the shift to start; staffed hours follow the roster', () => {
    const r = run({
      horizon: '7d',
      pools: {
        desk: { shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '9h', to: '17h', size: 2 }] },
      },
      flow: [{ stage: 's', pool: 'desk', duration: { fixed: '30m' } }],
      backlog: [{ priority: 'P2', age: 0, count: 3 }],
    });
    // opened Monday 00:00: two start at 09:00, the third at 09:30
    expect(r.tiers.P2!.respond.mean).toBe((540 + 540 + 570) / 3);
    expect(r.pools.desk.staffHours).toBe(5 * 8 * 2);
    expect(r.pools.desk.utilisation).toBeCloseTo(1.5 / 80, 12);
  });
});

describe('routing', () => {
  it('routes by priority and by category, with probabilities', () => {
    const r = run({
      horizon: '2000h',
      arrivals: [{ poisson: { perHour: 2, mix: { P1: 0.25, P2: 0.75 }, categories: { hw: 0.4, sw: 0.6 } } }],
      pools: { a: { size: 50 }, b: { size: 50 }, c: { size: 50 } },
      flow: [
        {
          stage: 'triage',
          pool: 'a',
          duration: { fixed: '1m' },
          next: [
            { when: { priority: ['P1'] }, to: 'urgent' },
            { when: { category: ['hw'] }, to: { field: 0.5, done: 0.5 } },
            { to: 'done' },
          ],
        },
        { stage: 'urgent', pool: 'b', duration: { fixed: '1m' }, next: 'done' },
        { stage: 'field', pool: 'c', duration: { fixed: '1m' } },
      ],
    });
    const n = r.stages.triage.entered;
    const p1 = r.tiers.P1!.count;
    expect(r.stages.urgent.entered).toBe(p1);
    // P2 hardware tickets: 0.75 * 0.4 of all, half of them to the field
    const expected = n * 0.75 * 0.4 * 0.5;
    expect(Math.abs(r.stages.field.entered - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(Math.abs(p1 / n - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
  });
});

describe('memory', () => {
  it('recycles ticket slots: the table stays the size of the open-ticket peak, not the ticket count', () => {
    const scenario = parseScenario({
      ...base,
      horizon: '20000h',
      arrivals: [{ poisson: { perHour: 9, mix: { P1: 1 } } }],
      pools: { e: { size: 10 } },
      flow: [{ stage: 's', pool: 'e', duration: { exponential: { mean: '1h' } } }],
    });
    const model = buildModel(scenario, { seed: 1, replication: 0 });
    model.run();
    expect(model.ticketsCreated).toBeGreaterThan(170_000);
    expect(model.tickets.capacity).toBeLessThanOrEqual(1024);
  });
});
