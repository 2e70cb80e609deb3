/**
 * Bit-identical results across engine changes: the per-replication statistics of the example
 * scenarios, and of one scenario that switches on every engine feature, hashed and compared with
 * the digests the engine gave before its hot path was optimised (commit ca09df5). Speed-ups of the
 * event loop (calendar, ticket slots, sampling) must not move a single random draw or reorder a
 * single event; when a change is meant to alter results, say why in its commit and update the
 * digests here.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadScenario,
  parseScenario,
  runExperiment,
  type ReplicationResult,
} from '../../simulation/index.ts';

/** Every number of every replication (timing left out), at full precision. */
function digest(reps: readonly ReplicationResult[]): string {
  const text = JSON.stringify(reps.map((r) => ({ ...r, wallSeconds: 0 })));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

async function runFile(name: string, replications: number, horizon: string) {
  const { scenario, baseDir } = loadScenario(join('data/scenarios', `${name}.yaml`));
  const r = await runExperiment({ ...scenario, horizon }, { replications, workers: 0, baseDir });
  return r.perReplication;
}

const dir = mkdtempSync(join(tmpdir(), 'leadtime-golden-'));
const log = join(dir, 'log.csv');
{
  // a small ticket log: 60 tickets over three days, some with a resolution time
  const rows = ['id,openedAt,priority,category,asset,faultMode,resolvedAt'];
  for (let i = 0; i < 60; i++) {
    const opened = Date.UTC(2026, 0, 5) + i * 71 * 60_000;
    const resolved = i % 3 === 0 ? new Date(opened + (20 + i) * 60_000).toISOString() : '';
    rows.push(`T${i},${new Date(opened).toISOString()},P${1 + (i % 4)},${i % 2 ? 'hw' : 'sw'},,,${resolved}`);
  }
  writeFileSync(log, rows.join('\n') + '\n');
}

/** Every feature of the engine at once: each kind of source, shifts, peaks, overflow, preemption, patience, escalation, raises, routing by tier and category, series, a business calendar. */
const everything = parseScenario({
  name: 'everything',
  seed: 5,
  replications: 2,
  horizon: '21d',
  warmup: '2d',
  series: { bin: '1d' },
  calendars: {
    office: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', holidays: ['10d'] },
  },
  priorities: {
    P1: { respond: '15m', onsite: '1h', resolve: '4h' },
    P2: { respond: '30m', resolve: '8h', patience: { exponential: { mean: '6h' } } },
    P3: { respond: '2h', resolve: '1d', calendar: 'office' },
    P4: { respond: '4h', resolve: '2d', patience: { weibull: { shape: 1.5, scale: '1d' } } },
  },
  arrivals: [
    {
      poisson: { perHour: 3, mix: { P1: 0.1, P2: 0.3, P3: 0.4, P4: 0.2 }, categories: { hw: 0.3, sw: 0.7 } },
    },
    {
      renewal: { interarrival: { gamma: { mean: '40m', sd: '30m' } }, mix: { P2: 0.5, P3: 0.5 }, count: 300 },
    },
    {
      profile: {
        perHour: 1.5,
        hourOfDay: [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1],
        dayOfWeek: [3, 3, 3, 3, 3, 1, 1],
        overdispersion: 0.3,
        mix: { P1: 0.2, P3: 0.8 },
        categories: { hw: 0.5, sw: 0.5 },
      },
    },
    { replay: { file: log, shift: '1d', scale: 1.5, stage: 'fix' } },
  ],
  pools: {
    agents: {
      costPerHour: 30,
      skills: ['triage'],
      shifts: [
        { from: '7h', to: '19h', size: 4 },
        { days: ['sat', 'sun'], from: '9h', to: '17h', size: 2 },
      ],
      size: 1,
      shrinkage: 0.1,
      overflow: 'temps',
      patience: { exponential: { mean: '1d' } },
    },
    temps: { size: 1, costPerHour: 20, skills: ['triage'] },
    experts: { size: 2, costPerHour: 70, skills: ['fix'], preemption: 'resume' },
    field: { size: 3, costPerHour: 50, preemption: 'resample' },
    lab: { size: 1, costPerHour: 40, preemption: 'restart' },
  },
  flow: [
    {
      stage: 'triage',
      pool: 'agents',
      skill: 'triage',
      duration: { lognormal: { mean: '12m', sd: '8m' } },
      durationByPriority: { P1: { fixed: '5m' } },
      pickup: '10m',
      escalate: { after: '25m', to: 'fix' },
      raise: { P3: { after: '2h', to: 'P2' }, P4: { after: '6h', to: 'P3' } },
      next: [
        { when: { category: ['hw'] }, to: { visit: 0.7, done: 0.3 } },
        { when: { priority: ['P1'] }, to: 'fix' },
        { to: { fix: 0.25, lab: 0.1, done: 0.65 } },
      ],
    },
    {
      stage: 'fix',
      pool: 'experts',
      skill: 'fix',
      duration: { triangular: { min: '10m', mode: '30m', max: '2h' } },
      workFromLog: true,
      raise: { P2: { after: '30m', to: 'P1' } },
      next: 'done',
    },
    {
      stage: 'visit',
      pool: 'field',
      duration: { gamma: { mean: '90m', sd: '45m' } },
      travel: { uniform: { min: '20m', max: '1h' } },
      onsite: true,
      next: [{ to: { done: 0.9, lab: 0.1 } }],
    },
    {
      stage: 'lab',
      pool: 'lab',
      duration: { empirical: { values: ['30m', '45m', '2h', '10m'] } },
      next: 'done',
    },
  ],
  backlog: [
    { priority: 'P2', age: '3h', count: 5 },
    { priority: 'P4', age: '2d', count: 3, stage: 'visit', category: 'hw' },
  ],
  peaks: [
    {
      name: 'surge',
      from: '7d',
      to: '9d',
      demand: 1.6,
      staff: { field: { add: 2 }, agents: { percent: 25 } },
    },
    { name: 'quiet', from: '14d', to: '15d', demand: 0.5, staff: { lab: { size: 0 } } },
  ],
});

describe('golden digests of fixed-seed runs (engine results unchanged by optimisation)', () => {
  it('gives the recorded statistics for the example scenarios', async () => {
    const got = {
      mmc: digest(await runFile('mmc', 2, '60d')),
      serviceDesk: digest(await runFile('service-desk', 2, '21d')),
      serviceCenter: digest(await runFile('service-center', 2, '21d')),
      businessHours: digest(await runFile('business-hours', 2, '21d')),
    };
    expect(got).toEqual({
      mmc: '412139b59f1151a6',
      serviceDesk: '809dc7af9cde3cea',
      serviceCenter: '6139157ff3fd1f41',
      businessHours: '45bb3073e6fe2c20',
    });
  });

  it('gives the recorded statistics for a scenario with every engine feature on', async () => {
    const r = await runExperiment(everything, { workers: 0 });
    const one = r.perReplication[0];
    // the scenario does exercise what it claims to
    expect(
      one.pools.experts.preemptions + one.pools.field.preemptions + one.pools.lab.preemptions,
    ).toBeGreaterThan(0);
    expect(one.pools.agents.abandoned).toBeGreaterThan(0);
    expect(one.stages.triage.escalated).toBeGreaterThan(0);
    expect(one.tiers.P3!.raised + one.tiers.P4!.raised).toBeGreaterThan(0);
    expect(one.windows).toBeDefined();
    expect(one.series).toBeDefined();
    expect(digest(r.perReplication)).toBe('043e8f3eaaf3b2bd');
  });
});
