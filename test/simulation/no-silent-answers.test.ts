/**
 * A result that is not what the planner asked for fails loudly (exit 2, nothing run, the nearest
 * valid names listed), and a result that should not be read at face value says so in `warnings`.
 * The overload checks are against queueing theory: an M/M/1 queue with lambda > mu grows at
 * lambda - mu per unit time (the fluid limit), one with lambda < mu does not grow.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../core/index.ts';
import {
  parseScenario,
  parseTarget,
  parseVariation,
  axisOf,
  resolveScenarioPath,
  resolveTarget,
  runExperiment,
  runSweep,
  optimize,
  type Scenario,
} from '../../simulation/index.ts';
import { nearestNames, editDistance } from '../../core/index.ts';
import { cli } from './cli-helper.ts';

const desk = (over: Record<string, unknown> = {}): Scenario =>
  parseScenario({
    name: 'desk',
    horizon: '2d',
    replications: 3,
    priorities: { P1: { respond: '30m', resolve: '4h' }, P3: { respond: '4h' } },
    arrivals: [{ poisson: { perHour: 4, mix: { P1: 0.2, P3: 0.8 } } }],
    pools: {
      agents: { size: 3, costPerHour: 30 },
      field: { size: 2, costPerHour: 50, shifts: [{ from: '8h', to: '18h', size: 2 }] },
    },
    flow: [{ stage: 'triage', pool: 'agents', duration: { exponential: { mean: '20m' } } }],
    peaks: [{ name: 'monday', from: '0h', to: '4h', demand: 1.5 }],
    ...over,
  });

const thrown = (f: () => unknown): InputError => {
  try {
    f();
  } catch (err) {
    return err as InputError;
  }
  throw new Error('expected an error');
};

describe('nearest names', () => {
  it('edit distance: hand-computed cases', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('agent', 'agents')).toBe(1);
  });
  it('a bare segment finds the path that holds it; a typo finds its correction', () => {
    const paths = ['pools.agents.size', 'pools.agents.costPerHour', 'horizon', 'pools.field.size'];
    expect(nearestNames('agents', paths)[0]).toBe('pools.agents.size');
    expect(nearestNames('pools.agent.size', paths)[0]).toBe('pools.agents.size');
    expect(nearestNames('horizn', paths)[0]).toBe('horizon');
  });
});

describe('sweep paths are resolved against the scenario before anything runs', () => {
  const s = desk();
  it.each([
    'pools.agents.size',
    'pools.field.shifts[0].size',
    'arrivals[0].poisson.perHour',
    'priorities.P1.respond',
    'warmup',
    'peaks[0].demand',
    // a new field the schema allows on an existing peak, and a staff change for an existing pool
    'peaks[0].staff.field.add',
  ])('accepts %s', (path) => expect(() => resolveScenarioPath(s, path)).not.toThrow());

  it.each([
    ['agents', 'a scenario has no field "agents"', 'pools.agents.size'],
    ['pools.agent.size', 'the scenario has no pools.agent (there: agents, field)', 'pools.agents.size'],
    ['pools.agents.sizes', 'unknown field "sizes"', 'pools.agents.size'],
    ['arrivals[2].poisson.perHour', 'arrivals[2]: the list has 1 item', 'arrivals[0].poisson.perHour'],
    ['peaks[0].staff.night.add', 'no peaks[0].staff.night', ''],
    ['horizon.days', 'horizon is a value, not an object', 'horizon'],
  ])('rejects %s naming it and the nearest valid paths', (path, why, nearest) => {
    const err = thrown(() => resolveScenarioPath(s, path));
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`--vary ${path}: `);
    expect(err.message).toContain(why);
    expect(err.message).toContain('nothing was run');
    if (nearest)
      expect(err.message).toMatch(new RegExp(`Nearest valid paths: ${nearest.replace(/[[\].]/g, '\\$&')}`));
  });

  it('an object is not a value: the message lists its fields', () => {
    const err = thrown(() => resolveScenarioPath(s, 'pools.agents'));
    expect(err.message).toContain('is an object, not a value');
    expect(err.message).toContain('pools.agents.size');
  });

  it('runSweep and optimize refuse before the first replication', async () => {
    await expect(runSweep(s, [axisOf(parseVariation('agents=4..6'))], { workers: 0 })).rejects.toThrow(
      /no field "agents".*pools\.agents\.size/,
    );
    await expect(
      optimize(s, [parseVariation('agents=2..8')], [parseTarget('P1.respond.sla>=0.9')], { workers: 0 }),
    ).rejects.toThrow(/no field "agents"/);
  });

  it('a value of the wrong kind is named with its point', async () => {
    await expect(
      runSweep(s, [axisOf(parseVariation('pools.agents.size=2.5,3'))], { workers: 0 }),
    ).rejects.toThrow(/pools\.agents\.size=2\.5/);
  });
});

describe('targets are resolved against the scenario', () => {
  const s = desk();
  it.each([
    'P1.respond.sla>=0.9',
    'P3.respond.p90<=2h',
    'pools.field.utilisation<=0.9',
    'peak.P1.respond.sla>=0.8',
  ])('accepts %s', (t) => expect(() => resolveTarget(s, parseTarget(t))).not.toThrow());
  it.each([
    ['P2.respond.sla>=0.9', 'no tier P2 (tiers: P1, P3)'],
    ['P3.resolve.sla>=0.9', 'tier P3 has no resolve target'],
    ['pools.agent.utilisation<=0.9', 'no pool "agent"', 'pools.agents.utilisation'],
  ])('rejects %s', (t, why, nearest?: string) => {
    const err = thrown(() => resolveTarget(s, parseTarget(t)));
    expect(err.message).toContain(why);
    expect(err.message).toContain('Nearest valid metrics:');
    if (nearest) expect(err.message).toContain(`Nearest valid metrics: ${nearest}`);
  });
  it('peak targets need peaks', () => {
    const err = thrown(() => resolveTarget(desk({ peaks: [] }), parseTarget('peak.P1.respond.sla>=0.9')));
    expect(err.message).toContain('the scenario has no peaks');
  });
});

describe('the CLI: exit 2, nothing run, the nearest paths listed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadtime-paths-'));
  const file = join(dir, 'desk.json');
  writeFileSync(file, JSON.stringify(desk()));
  it('simulate --vary with an unknown top-level name', async () => {
    const r = await cli('simulate', file, '--vary', 'agents=4..6', '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--vary agents: .*nothing was run\. Nearest valid paths: pools\.agents\.size/);
    expect(r.out).toBe('');
  });
  it('optimize with a misspelt pool and an unknown target', async () => {
    const a = await cli(
      'optimize',
      file,
      '--target',
      'P1.respond.sla>=0.9',
      '--vary',
      'pools.agent.size=2..8',
    );
    expect(a.code).toBe(2);
    expect(a.err).toContain('pools.agents.size');
    const b = await cli(
      'optimize',
      file,
      '--target',
      'P2.respond.sla>=0.9',
      '--vary',
      'pools.agents.size=2..8',
    );
    expect(b.code).toBe(2);
    expect(b.err).toContain('no tier P2');
  });
  it('simulate --ratio with an unknown pool', async () => {
    const r = await cli('simulate', file, '--ratio', 'agent:field=2:1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('Nearest pools: agents');
  });
});

const mm1 = (perHour: number, hours: number, over: Record<string, unknown> = {}) =>
  parseScenario({
    name: 'mm1',
    horizon: `${hours}h`,
    warmup: '12h',
    replications: 10,
    priorities: { P3: { respond: '1h' } },
    arrivals: [{ poisson: { perHour, mix: { P3: 1 } } }],
    pools: { solo: { size: 1, costPerHour: 1 } },
    flow: [{ stage: 'work', pool: 'solo', duration: { exponential: { mean: '6m' } } }],
    ...over,
  });

describe('warnings', () => {
  it('overloaded M/M/1 (lambda 12/h, mu 10/h): the line grows at lambda - mu = 48 a day, and the result says so', async () => {
    const r = await runExperiment(mm1(12, 96), { workers: 0 });
    // the period is a day (the window holds 3.5 days); growth per replication over the last day
    const rises = r.perReplication.map((rep) => rep.growth!.waiting.solo[1] - rep.growth!.waiting.solo[0]);
    expect(r.perReplication[0].growth!.period).toBe(24 * 60);
    const mean = rises.reduce((s, x) => s + x, 0) / rises.length;
    expect(mean).toBeGreaterThan(48 - 20);
    expect(mean).toBeLessThan(48 + 20);
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('overloaded');
    expect(r.warnings.find((w) => w.code === 'overloaded')!.message).toMatch(
      /pool solo: its line grew from \d+ to \d+/,
    );
  });

  it('a stable M/M/1 (rho 0.5) with a warm-up of 12 h and 10 replications has no warning', async () => {
    const r = await runExperiment(mm1(5, 96), { workers: 0 });
    expect(r.warnings).toEqual([]);
  });

  it('the issue case: weekday 8-18 shifts of 5 against round-the-clock arrivals is overloaded and censored', async () => {
    const s = parseScenario({
      name: 'weekday-desk',
      horizon: '3w',
      warmup: '1w',
      replications: 3,
      priorities: { P3: { respond: '4h', resolve: '2d' } },
      arrivals: [{ poisson: { perHour: 5, mix: { P3: 1 } } }],
      pools: {
        agents: {
          size: 0,
          costPerHour: 30,
          shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '8h', to: '18h', size: 5 }],
        },
      },
      flow: [{ stage: 'triage', pool: 'agents', duration: { exponential: { mean: '40m' } } }],
    });
    const r = await runExperiment(s, { workers: 0 });
    const codes = r.warnings.map((w) => w.code);
    expect(codes).toContain('overloaded');
    expect(codes).toContain('censored');
    // demand is 5 x 168 x 40/60 = 560 staff-hours a week against 5 x 50 = 250 on duty
    expect(r.pools.agents.utilisation.mean).toBeGreaterThan(0.97);
  });

  it('short-warmup: an empty start with no warm-up (M/M/1 at rho 0.8: W = 1/(mu - lambda) = 30 min)', async () => {
    const r = await runExperiment(mm1(8, 48, { warmup: undefined }), { workers: 0 });
    const warning = r.warnings.find((w) => w.code === 'short-warmup');
    expect(warning?.message).toMatch(
      /the warm-up \(none\) is shorter than twice the mean time to resolve \((2\dm|3\dm)/,
    );
    // the same desk started from a backlog is a stated state, not an empty start
    const withBacklog = await runExperiment(
      mm1(8, 48, { warmup: undefined, backlog: [{ priority: 'P3', age: '1h', count: 3 }] }),
      { workers: 0 },
    );
    expect(withBacklog.warnings.map((w) => w.code)).not.toContain('short-warmup');
  });

  it('few-replications: one replication has no interval', async () => {
    const r = await runExperiment(mm1(5, 48), { workers: 0, replications: 1 });
    expect(r.warnings.map((w) => w.code)).toEqual(['few-replications']);
  });

  it('the CLI prints warnings on their own lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadtime-warn-'));
    const file = join(dir, 'mm1.json');
    writeFileSync(file, JSON.stringify(mm1(12, 96)));
    const r = await cli('simulate', file, '--workers', '0', '--replications', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n {2}WARNING overloaded: pool solo/);
  });
});
