/**
 * `leadtime roster` end to end (in process): the example week to JSON (every hour covered, cost the
 * sum of its shifts, at or above the LP bound), `--into` a scenario that then loads and simulates
 * with the roster's on-duty count, a requirement derived from a scenario with shrinkage (the
 * simulator's on-duty count then reaches Erlang C's agents every hour), and exit 2 for input errors
 * naming the line, field, or day and hour.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, loadScenario, runExperiment } from '../../simulation/index.ts';
import { requirementsFromScenario } from '../../simulation/experiments/roster-requirements.ts';
import { cli } from './cli-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-roster-'));
const REQ = 'data/roster/requirements.csv';
const SHIFTS = 'data/roster/shifts.yaml';

interface RosterJson {
  status: string;
  cost: number;
  lpBound: number;
  shifts: { name: string; staff: number; cost: number }[];
  coverage: { day: string; hour: number; required: number; covered: number }[];
  requirement: { onDuty?: number[] };
}

describe('leadtime roster', () => {
  it('--json: staff per template, weekly cost >= LP bound, every hour covered', async () => {
    const out = join(dir, 'roster.json');
    const r = await cli('roster', '--requirements', REQ, '--shifts', SHIFTS, '--json', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/weekly cost/);
    const j = JSON.parse(readFileSync(out, 'utf8')) as RosterJson;
    expect(j.status).toBe('optimal');
    expect(j.shifts.map((s) => s.name)).toContain('night');
    expect(j.cost).toBeCloseTo(
      j.shifts.reduce((s, x) => s + x.cost, 0),
      6,
    );
    expect(j.cost).toBeGreaterThanOrEqual(j.lpBound - 1e-6);
    expect(j.coverage).toHaveLength(168);
    const csv = readFileSync(REQ, 'utf8').trim().split('\n').slice(1);
    csv.forEach((line, i) => expect(j.coverage[i].required).toBe(Number(line.split(',')[2])));
    for (const c of j.coverage) expect(c.covered).toBeGreaterThanOrEqual(c.required);
  });

  it('--into writes the pool shifts; the scenario loads and simulates with that roster', async () => {
    const scenario = join(dir, 'desk.yaml');
    copyFileSync('data/scenarios/service-desk.yaml', scenario);
    const r = await cli(
      'roster',
      '--requirements',
      REQ,
      '--shifts',
      SHIFTS,
      '--into',
      scenario,
      '--pool',
      'agents',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as RosterJson;
    const loaded = loadScenario(scenario);
    expect(loaded.scenario.pools.agents.size).toBe(0);
    expect(readFileSync(scenario, 'utf8')).toMatch(/# A service desk with three lines/); // comments kept
    const model = buildModel(loaded.scenario, { seed: 1, replication: 0, baseDir: loaded.baseDir });
    const agents = model.pools.find((p) => p.name === 'agents')!;
    for (let s = 0; s < 168; s++) expect(agents.sizeAt(s * 60 + 30)).toBe(j.coverage[s].covered);
    const short = { ...loaded.scenario, replications: 1, horizon: '9d', warmup: '2d' };
    const result = await runExperiment(short, { workers: 1, baseDir: loaded.baseDir });
    const meanCovered = j.coverage.reduce((t, c) => t + c.covered, 0) / 168;
    // a week of on-duty time after warm-up: the roster's mean, plus staff finishing past a shift end
    expect(result.pools.agents.meanOnDuty.mean!).toBeGreaterThanOrEqual(meanCovered - 1e-9);
    expect(result.pools.agents.meanOnDuty.mean!).toBeLessThan(meanCovered + 0.2);
  });

  it('--scenario derives the requirement by Erlang C with shrinkage; the simulator then has the agents on duty', async () => {
    const file = join(dir, 'contact-center.yaml');
    copyFileSync('data/roster/contact-center.yaml', file);
    const r = await cli(
      'roster',
      '--scenario',
      file,
      '--shifts',
      SHIFTS,
      '--service-level',
      '0.85',
      '--max-occupancy',
      '0.9',
      '--into',
      file,
      '--json',
      join(dir, 'derived.json'),
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'derived.json'), 'utf8')) as RosterJson;
    const loaded = loadScenario(file);
    // the roster written in changes nothing the requirement depends on
    const req = requirementsFromScenario(loaded.scenario, { serviceLevel: 0.85, maxOccupancy: 0.9 });
    expect(j.requirement.onDuty).toEqual(Array.from(req.onDuty));
    const model = buildModel(loaded.scenario, { seed: 1, replication: 0, baseDir: loaded.baseDir });
    for (let s = 0; s < 168; s++) {
      // scheduled staff cover the requirement, and after shrinkage the agents Erlang C asked for remain
      expect(j.coverage[s].covered).toBeGreaterThanOrEqual(req.required[s]);
      expect(model.pools[0].sizeAt(s * 60 + 30)).toBeGreaterThanOrEqual(req.onDuty[s]);
    }
    const short = { ...loaded.scenario, replications: 1, horizon: '9d', warmup: '2d' };
    const result = await runExperiment(short, { workers: 1, baseDir: loaded.baseDir });
    expect(result.pools.agents.cost.mean!).toBeGreaterThan(0);
  });

  it('exit 2 for a requirement no template covers, naming the day and hour', async () => {
    const shifts = join(dir, 'day-only.yaml');
    writeFileSync(
      shifts,
      'shifts:\n  - { name: day, days: [mon, tue, wed, thu, fri], from: "08:00", to: "16:00", costPerHour: 20 }\n',
    );
    const r = await cli('roster', '--requirements', REQ, '--shifts', shifts);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no shift template covers mon 00:00 \(required 1\)/);
  });

  it('exit 2 for a bad CSV row (line and field) and a bad template field (field and line)', async () => {
    const req = join(dir, 'bad.csv');
    writeFileSync(req, 'day,hour,required\nmon,9,2\ntue,nine,2\n');
    const a = await cli('roster', '--requirements', req, '--shifts', SHIFTS);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/bad\.csv:3: hour: expected an integer 0-23, got "nine"/);
    const shifts = join(dir, 'bad.yaml');
    writeFileSync(
      shifts,
      'shifts:\n  - name: day\n    days: [mon]\n    from: "08:00"\n    to: "16:00"\n    costPerHour: cheap\n',
    );
    const b = await cli('roster', '--requirements', REQ, '--shifts', shifts);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/shifts\[0\]\.costPerHour \(line 6\)/);
  });
});
