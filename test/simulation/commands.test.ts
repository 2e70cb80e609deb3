/**
 * The Simulator II commands end to end (in process): leadtime optimize --json (best.values,
 * best.cost, explored points), simulate --vary (a sweep) and --compare (paired differences, zero
 * against itself), and fit arrivals --into (a profile written into a scenario that then runs).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../simulation/index.ts';
import { cli } from './cli-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-sim2-'));
const mmc = join(dir, 'mmc.yaml');
writeFileSync(
  mmc,
  `name: calls
seed: 5
replications: 4
horizon: 6d
warmup: 12h
priorities: { P1: { respond: 2m } }
arrivals: [{ poisson: { perHour: 30, mix: { P1: 1 } } }]
pools: { agents: { size: 6, costPerHour: 30 } }
flow: [{ stage: call, pool: agents, duration: { exponential: { mean: 10m } } }]
`,
);

describe('leadtime optimize', () => {
  it('--json writes best.values, best.cost and the explored points', async () => {
    const out = join(dir, 'best.json');
    const r = await cli(
      'optimize',
      mmc,
      '--target',
      'P1.respond.sla>=0.8',
      '--vary',
      'pools.agents.size=5..12',
      '--workers',
      '2',
      '--json',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cheapest meeting every target: pools\.agents\.size=\d+/);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(j.best.values)).toEqual(['pools.agents.size']);
    expect(j.best.cost).toBe(j.best.values['pools.agents.size'] * 30 * 24 * 5.5);
    expect(j.explored.length).toBeGreaterThanOrEqual(3);
    for (const p of j.explored)
      expect(p).toMatchObject({
        values: expect.any(Object),
        cost: expect.any(Number),
        feasible: expect.any(Boolean),
      });
    // the best point is feasible and every cheaper explored point is not
    const cheaper = j.explored.filter((p: { cost: number }) => p.cost < j.best.cost);
    expect(cheaper.length).toBeGreaterThan(0);
    expect(cheaper.every((p: { feasible: boolean }) => !p.feasible)).toBe(true);
  });

  it('--ratio searches pools together and agrees with --vary on one pool', async () => {
    const byVary = await cli(
      'optimize',
      mmc,
      '--target',
      'P1.respond.sla>=0.8',
      '--vary',
      'pools.agents.size=5..12',
      '--workers',
      '1',
      '--json',
    );
    const byRatio = await cli(
      'optimize',
      mmc,
      '--target',
      'P1.respond.sla>=0.8',
      '--ratio',
      'agents=1',
      '--scale',
      '5..12',
      '--workers',
      '1',
      '--json',
    );
    expect(byRatio.code).toBe(0);
    const a = JSON.parse(byVary.out);
    const b = JSON.parse(byRatio.out);
    expect(b.best.values).toEqual(a.best.values);
    expect(b.start.values).toEqual(a.start.values);
    expect((await cli('optimize', mmc, '--target', 'P1.respond.sla>=0.8')).code).toBe(2); // nothing to search
  });

  it('exits 2 naming a bad target', async () => {
    const r = await cli(
      'optimize',
      mmc,
      '--target',
      'P1.respond.fast>=0.8',
      '--vary',
      'pools.agents.size=5..12',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown metric "P1.respond.fast"/);
  });
});

describe('leadtime simulate: sweeps and comparisons', () => {
  it('--vary runs a grid of points', async () => {
    const out = join(dir, 'sweep.json');
    const r = await cli(
      'simulate',
      mmc,
      '--vary',
      'pools.agents.size=6,8',
      '--vary',
      'arrivals[0].poisson.perHour=24,30',
      '--workers',
      '2',
      '--json',
      out,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.points.map((p: { values: object }) => p.values)).toEqual([
      { 'pools.agents.size': 6, 'arrivals[0].poisson.perHour': 24 },
      { 'pools.agents.size': 6, 'arrivals[0].poisson.perHour': 30 },
      { 'pools.agents.size': 8, 'arrivals[0].poisson.perHour': 24 },
      { 'pools.agents.size': 8, 'arrivals[0].poisson.perHour': 30 },
    ]);
    // more demand on the same staff waits longer; more staff on the same demand waits less
    const wait = (i: number) => j.points[i].priorities.P1.respond.mean.mean;
    expect(wait(1)).toBeGreaterThan(wait(0));
    expect(wait(3)).toBeLessThan(wait(1));
  });

  it('--compare against the same plan differs by exactly zero', async () => {
    const out = join(dir, 'compare.json');
    const html = join(dir, 'compare.html');
    const r = await cli('simulate', mmc, '--compare', mmc, '--workers', '1', '--json', out, '--html', html);
    expect(r.code).toBe(0);
    expect(readFileSync(html, 'utf8').match(/<figure class="chart"/g)).toHaveLength(3);
    const d = JSON.parse(readFileSync(out, 'utf8')).difference;
    expect(d.priorities.P1.respondMean).toMatchObject({ mean: 0, halfWidth: 0 });
    expect(d.cost).toMatchObject({ mean: 0, halfWidth: 0 });
  });
});

describe('HTML reports', () => {
  it('simulate --html: SLA, waits and the queue/utilisation time series, rendered to SVG', async () => {
    const html = join(dir, 'report.html');
    const json = join(dir, 'report.json');
    const r = await cli(
      'simulate',
      mmc,
      '--replications',
      '2',
      '--workers',
      '0',
      '--json',
      json,
      '--html',
      html,
    );
    expect(r.code).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text.match(/<figure class="chart"/g)).toHaveLength(3);
    expect(text).toMatch(/SLA attainment \(95% CI\)/);
    expect(text).toMatch(/Queue length and utilisation over time/);
    expect(text).not.toMatch(/<script/);
    // the series the chart plots came with the result: hourly bins over 6 days
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.series.pools.agents.queue).toHaveLength(144);
  });

  it('optimize --html and a sweep --html chart the explored plans', async () => {
    const sweep = join(dir, 'sweep.html');
    expect(
      (await cli('simulate', mmc, '--vary', 'pools.agents.size=6..8', '--workers', '0', '--html', sweep))
        .code,
    ).toBe(0);
    expect(readFileSync(sweep, 'utf8').match(/<figure class="chart"/g)).toHaveLength(2);
    const best = join(dir, 'best.html');
    const r = await cli(
      'optimize',
      mmc,
      '--target',
      'P1.respond.sla>=0.8',
      '--vary',
      'pools.agents.size=6..9',
      '--workers',
      '0',
      '--html',
      best,
    );
    expect(r.code).toBe(0);
    expect(readFileSync(best, 'utf8')).toMatch(/Cost against service for the explored plans/);
  });
});

describe('leadtime fit arrivals', () => {
  it('--into writes the fitted profile as the scenario arrivals, which then runs', async () => {
    const log = join(dir, 'log.csv');
    const rows = ['Ref;Created;Urgency'];
    for (let k = 0; k < 500; k++) {
      const t = new Date(Date.UTC(2025, 0, 6) + k * 41 * 60_000); // from Monday 6 January 2025
      const hh = String(t.getUTCHours()).padStart(2, '0');
      const mm = String(t.getUTCMinutes()).padStart(2, '0');
      rows.push(
        `R${k};${t.getUTCDate()}/${t.getUTCMonth() + 1}/${t.getUTCFullYear()} ${hh}:${mm};${k % 5 === 0 ? 'High' : 'Normal'}`,
      );
    }
    rows.push('R9;99/1/2025 10:00;High');
    writeFileSync(log, rows.join('\n') + '\n');
    const target = join(dir, 'fitted.yaml');
    const r = await cli(
      'fit',
      'arrivals',
      log,
      '--delimiter',
      ';',
      '--format',
      'D/M/YYYY HH:mm',
      '--column',
      'id=Ref',
      '--column',
      'openedAt=Created',
      '--column',
      'priority=Urgency',
      '--priority-map',
      'High=P1',
      '--priority-map',
      'Normal=P2',
      '--into',
      mmc,
      '--out',
      target,
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/log\.csv:502: Created: "99\/1\/2025 10:00"/);
    expect(r.out).toMatch(/fitted 500 tickets \(501 rows, 0 duplicate rows merged, 1 rejected\)/);
    expect(r.out).toMatch(/added P2 to priorities/);
    const { scenario } = loadScenario(target);
    const profile = scenario.arrivals[0].profile!;
    expect(profile.mix).toEqual({ P1: 0.2, P2: 0.8 });
    expect(profile.hourOfDay).toHaveLength(24);
    // about 60/41 per hour; the fit spans whole days (the last one partly empty), so a little less
    expect(profile.perHour).toBeGreaterThan(1.35);
    expect(profile.perHour).toBeLessThan(60 / 41);
    expect(readFileSync(target, 'utf8')).toMatch(/^name: calls/); // the rest of the scenario is kept
    const run = await cli('simulate', target, '--replications', '1', '--workers', '0');
    expect(run.code).toBe(0);
  });
});
