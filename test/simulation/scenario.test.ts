/** Scenario files: the examples load and run, and every kind of mistake is reported by field. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../core/index.ts';
import { checkScenario, loadScenario, parseScenario } from '../../simulation/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-scenario-'));
const valid = {
  name: 'ok',
  horizon: '30d',
  priorities: { P1: { respond: '15m', resolve: '2h' }, P2: { respond: '30m', resolve: '4h' } },
  arrivals: [{ poisson: { perHour: 9, mix: { P1: 0.2, P2: 0.8 } } }],
  pools: { engineers: { size: 10, costPerHour: 60 } },
  flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
};
/** The message of the error that checking `change(copy of valid)` throws. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write shapes the type forbids
type Anything = any;
const problem = (change: (s: Anything) => void): string => {
  const s = structuredClone(valid) as Anything;
  change(s);
  try {
    checkScenario(parseScenario(s, 'test.yaml'));
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
};

describe('scenario files', () => {
  it('loads the examples, with defaults filled in', () => {
    const mmc = loadScenario('data/scenarios/mmc.yaml').scenario;
    expect(mmc).toMatchObject({ name: 'mmc', seed: 1, replications: 20, horizon: '365d', warmup: '10d' });
    expect(mmc.pools.engineers.preemption).toBe('none');
    expect(() => checkScenario(mmc)).not.toThrow();
    const desk = loadScenario('data/scenarios/service-desk.yaml');
    expect(() => checkScenario(desk.scenario, desk.baseDir)).not.toThrow();
    expect(desk.scenario.flow.map((s) => s.stage)).toEqual(['triage', 'remote-fix', 'onsite-repair']);
  });

  it('names the file, field and line of a structural error', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'horizon: 30d\npriorities: { P1: {} }\narrivals: []\npools:\n  engineers: { size: -1 }\nflow:\n  - { stage: w, pool: engineers }\n',
    );
    let message = '';
    try {
      loadScenario(f);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain(f);
    expect(message).toMatch(/pools\.engineers\.size \(line 5\): expected a number >= 0, got -1/);
    expect(message).toMatch(/flow\[0\]\.duration .*required/);
  });

  it('names the field of every broken cross-reference or value', () => {
    expect(problem((s) => delete s.horizon)).toMatch(/horizon.*required/);
    expect(problem((s) => (s.horizon = 'soon'))).toMatch(/horizon/);
    expect(problem((s) => (s.warmup = '40d'))).toMatch(/warmup: must be shorter than the horizon/);
    expect(problem((s) => (s.flow[0].pool = 'experts'))).toMatch(/flow\[0\]\.pool: no pool named "experts"/);
    expect(problem((s) => (s.arrivals[0].poisson.mix = { P1: 0.2, P2: 0.7 }))).toMatch(
      /arrivals\[0\]\.poisson\.mix: probabilities must sum to 1, got 0\.(9|899)/,
    );
    expect(problem((s) => (s.arrivals[0].poisson.mix = { P1: 0.2, P3: 0.8 }))).toMatch(
      /arrivals\[0\]\.poisson\.mix\.P3: priority P3 is not defined/,
    );
    expect(problem((s) => (s.arrivals[0].poisson.mix = { P9: 1 }))).toMatch(
      /arrivals\[0\]\.poisson\.mix\.P9/,
    );
    expect(problem((s) => (s.flow[0].duration = { exponential: { mean: 'soon' } }))).toMatch(
      /flow\[0\]\.duration\.exponential\.mean: expected /,
    );
    expect(problem((s) => (s.flow[0].duration = { poisson: { mean: 1 } }))).toMatch(/flow\[0\]\.duration/);
    expect(problem((s) => (s.flow[0].next = [{ to: { nowhere: 1 } }]))).toMatch(
      /flow\[0\]\.next\[0\]\.to\.nowhere: no stage named "nowhere"/,
    );
    expect(problem((s) => (s.flow[0].next = [{ to: { done: 0.5 } }]))).toMatch(
      /flow\[0\]\.next\[0\]\.to: probabilities must sum to 1/,
    );
    expect(problem((s) => (s.flow[0].raise = { P1: { after: '5m', to: 'P2' } }))).toMatch(
      /flow\[0\]\.raise\.P1\.to: must be a higher priority than P1/,
    );
    expect(problem((s) => (s.flow[0].escalate = { after: '30m', to: 'work' }))).toMatch(
      /flow\[0\]\.escalate\.to: must name another stage/,
    );
    expect(problem((s) => (s.flow[0].skill = 'welding'))).toMatch(
      /flow\[0\]\.skill: pool "engineers" does not have skill/,
    );
    expect(problem((s) => (s.pools.engineers = { costPerHour: 1 }))).toMatch(
      /pools\.engineers\.size: a pool needs a size or shifts/,
    );
    expect(problem((s) => (s.pools.engineers.shifts = [{ from: '25h', to: '3h', size: 1 }]))).toMatch(
      /pools\.engineers\.shifts\[0\]\.from: must be before 24h/,
    );
    expect(
      problem((s) => (s.pools.engineers.shifts = [{ days: ['someday'], from: '1h', to: '3h', size: 1 }])),
    ).toMatch(/pools\.engineers\.shifts\[0\]\.days\[0\]/);
    expect(problem((s) => (s.backlog = [{ priority: 'P2', age: '1h', stage: 'limbo' }]))).toMatch(
      /backlog\[0\]\.stage: no stage named "limbo"/,
    );
    expect(problem((s) => (s.pools.engineers.preemption = 'sometimes'))).toMatch(
      /pools\.engineers\.preemption/,
    );
    expect(problem((s) => (s.flow[0].next = [{ when: { category: ['hw'] }, to: 'done' }]))).toMatch(
      /flow\[0\]\.next\[0\]\.when\.category: unknown category "hw"/,
    );
  });
});
