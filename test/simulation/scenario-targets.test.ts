/**
 * A scenario's own goals (`targets: ['P1.respond.sla>=0.95', ...]`, optimize's target syntax):
 * resolved against the scenario when it is loaded (a goal on a tier, clock or pool it lacks is an
 * error naming the file and the entry), used by `optimize` when no --target is given (and said so),
 * overridden by --target; and `currency`, a short string shown with costs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.ts';
import { loadScenario, parseScenario, scenarioTargets } from '../../simulation/index.ts';
import { cli } from './cli-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-targets-'));
const base = {
  name: 'calls',
  seed: 5,
  replications: 4,
  horizon: '4d',
  warmup: '12h',
  priorities: { P1: { respond: '2m' }, P2: { respond: '10m', resolve: '1h' } },
  arrivals: [{ poisson: { perHour: 30, mix: { P1: 0.4, P2: 0.6 } } }],
  pools: { agents: { size: 6, costPerHour: 30 } },
  flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: '10m' } } }],
};
const yaml = (over: Record<string, unknown>) => {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, JSON.stringify({ ...base, ...over }));
  return file;
};
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

describe('scenario targets: resolved on load', () => {
  it('parses each goal into a target (durations in minutes)', () => {
    const s = parseScenario({
      ...base,
      targets: ['P1.respond.sla>=0.9', 'P2.resolve.p90<=1h', 'pools.agents.utilisation<=0.85'],
    });
    expect(scenarioTargets(s).map(({ metric, op, value }) => ({ metric, op, value }))).toEqual([
      { metric: 'P1.respond.sla', op: '>=', value: 0.9 },
      { metric: 'P2.resolve.p90', op: '<=', value: 60 },
      { metric: 'pools.agents.utilisation', op: '<=', value: 0.85 },
    ]);
  });

  it.each([
    ['P3.respond.sla>=0.9', 'the scenario has no tier P3 (tiers: P1, P2)'],
    ['P1.resolve.sla>=0.9', 'tier P1 has no resolve target (priorities.P1.resolve)'],
    ['pools.agnets.utilisation<=0.8', 'no pool "agnets" (pools: agents)'],
    ['P1.respond.sla=0.9', 'expected METRIC>=VALUE or METRIC<=VALUE'],
    ['P1.respond.fast>=0.9', 'unknown metric "P1.respond.fast"'],
  ])('%s: an error naming the body, the entry and why', (goal, why) => {
    const err = thrown(() =>
      parseScenario({ ...base, targets: ['P2.respond.sla>=0.8', goal] }, 'body.scenario'),
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`body.scenario: targets[1] (${goal}): `);
    expect(err.message).toContain(why);
  });

  it('a file: the error names the file; the CLI exits 2 before running anything', async () => {
    const file = yaml({ targets: ['P4.respond.sla>=0.9'] });
    expect(() => loadScenario(file)).toThrow(
      `${file}: targets[0] (P4.respond.sla>=0.9): the scenario has no tier P4`,
    );
    const r = await cli('simulate', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('targets[0] (P4.respond.sla>=0.9)');
    expect(r.out).toBe('');
  });

  it('currency: a short string, named when wrong', () => {
    expect(parseScenario({ ...base, currency: 'EUR' }).currency).toBe('EUR');
    expect(thrown(() => parseScenario({ ...base, currency: 5 }, 's.yaml')).message).toMatch(/currency/);
    expect(thrown(() => parseScenario({ ...base, currency: '' }, 's.yaml')).message).toMatch(/currency/);
  });
});

describe('optimize with the scenario targets', () => {
  const file = yaml({ targets: ['P1.respond.sla>=0.8', 'P2.respond.sla>=0.8'], currency: 'EUR' });

  it('without --target: the scenario targets are the targets, and the text says so', async () => {
    const out = join(dir, 'best.json');
    const r = await cli(
      'optimize',
      file,
      '--vary',
      'pools.agents.size=5..12',
      '--workers',
      '0',
      '--json',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /targets \(the scenario's, no --target given\): P1\.respond\.sla>=0\.8, P2\.respond\.sla>=0\.8/,
    );
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.targets).toEqual(['P1.respond.sla>=0.8', 'P2.respond.sla>=0.8']);
    expect(j.best.targets.map((t: { target: string }) => t.target)).toEqual(j.targets);
    // cost per week in the currency: best cost over 3.5 days measured x 2
    const week = Math.round((j.best.cost * 7) / 3.5).toLocaleString('en');
    expect(r.out).toContain(
      `cost ${week} EUR per week (${Math.round(j.best.cost).toLocaleString('en')} EUR over the 3.5 days measured)`,
    );
  });

  it('--target overrides them', async () => {
    const r = await cli(
      'optimize',
      file,
      '--target',
      'P2.respond.sla>=0.5',
      '--vary',
      'pools.agents.size=5..12',
      '--workers',
      '0',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).targets).toEqual(['P2.respond.sla>=0.5']);
  });

  it('neither --target nor targets: exit 2 saying what to give', async () => {
    const r = await cli('optimize', yaml({}), '--vary', 'pools.agents.size=5..12');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give --target .* or set `targets` in the scenario/);
  });

  it('--help says where the targets come from', async () => {
    const r = await cli('optimize', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Without --target, the targets are the scenario's own `targets`/);
  });
});
