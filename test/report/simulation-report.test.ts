/**
 * `simulate --html` and `optimize --html` end to end (in process): the warnings in a box at the
 * top, the results tables beside the charts (per tier with the SLA clock, per pool with the cost
 * per week in the scenario's currency; for optimize the explored plans with cost and targets met),
 * the goals as target lines, and opening paragraphs that are sentences.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../simulation/cli-helper.ts';

const dir = mkdtempSync(join(tmpdir(), 'lt-report-'));
const scenario = join(dir, 'calls.yaml');
writeFileSync(
  scenario,
  `name: calls
seed: 5
replications: 2
horizon: 4d
warmup: 12h
currency: EUR
targets: ['P1.respond.sla>=0.8', 'P2.respond.sla>=0.7']
priorities: { P1: { respond: 2m }, P2: { respond: 10m, resolve: 1h } }
arrivals: [{ poisson: { perHour: 30, mix: { P1: 0.4, P2: 0.6 } } }]
pools:
  agents:
    costPerHour: 30
    size: 4
    shifts: [{ days: [mon, tue, wed, thu, fri], from: 8h, to: 18h, size: 7 }]
flow: [{ stage: call, pool: agents, duration: { exponential: { mean: 10m } } }]
`,
);

const tables = (html: string) =>
  [...html.matchAll(/<table><thead><tr>(.*?)<\/tr><\/thead><tbody>(.*?)<\/tbody><\/table>/gs)].map((m) => ({
    columns: [...m[1].matchAll(/<th>(.*?)<\/th>/g)].map((c) => c[1]),
    rows: [...m[2].matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]),
    ),
  }));
const paragraphs = (html: string) =>
  [...html.matchAll(/<p(?: class="[^"]*")?>(.*?)<\/p>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ''));

describe('simulate --html', () => {
  it('warnings first, tier and pool tables, goal table, goal lines, sentences', async () => {
    const html = join(dir, 'run.html');
    const r = await cli('simulate', scenario, '--workers', '0', '--html', html);
    expect(r.code).toBe(0);
    const text = readFileSync(html, 'utf8');
    // 2 replications: the few-replications warning, in the box, before any table or chart
    const box = text.indexOf('<section class="warnings" role="alert">');
    expect(box).toBeGreaterThan(0);
    expect(text.slice(box)).toMatch(
      /^<section[^>]*><h2>Warning: read the figures below with care<\/h2><ul><li><b>few-replications<\/b>: 2 replications/,
    );
    expect(box).toBeLessThan(text.indexOf('<table>'));
    expect(box).toBeLessThan(text.indexOf('<figure'));

    const [tiers, goals, pools] = tables(text);
    expect(tiers.columns).toEqual([
      'tier',
      'SLA clock',
      'tickets',
      'respond mean, min',
      'respond SLA',
      'resolve mean, min',
      'resolve SLA',
      'open at horizon',
    ]);
    expect(tiers.rows.map((row) => row.slice(0, 2))).toEqual([
      ['P1', '24/7'],
      ['P2', '24/7'],
    ]);
    expect(tiers.rows[0][4]).toMatch(/^\d+\.\d% \[\d+\.\d, \d+\.\d\] within 2m$/);
    expect(goals.columns).toEqual(['goal', 'value [95% CI]', 'verdict']);
    expect(goals.rows.map((g) => g[0])).toEqual([
      'P1 responded to within 2m ≥ 80%',
      'P2 responded to within 10m ≥ 70%',
    ]);
    expect(pools.columns).toEqual([
      'pool',
      'utilisation',
      'on duty, mean staff',
      'queue, mean tickets',
      'cost per week, EUR',
      'cost over the 3.5 days measured, EUR',
    ]);
    // the cost per week is the cost over the 3.5 days measured x 2
    const [week, total] = [pools.rows[0][4], pools.rows[0][5]].map((c) =>
      Number(c.split(' ')[0].replace(/,/g, '')),
    );
    expect(week).toBeCloseTo(2 * total, -1);
    // the goals as lines on the SLA chart, the time targets on the time chart
    // one group per clock panel (respond, resolve), the lines in the respond panel
    expect(text.match(/class="mark-rule role-mark goal_marks"/g)).toHaveLength(2);
    expect(text).toContain('time_target_marks');
    for (const p of paragraphs(text)) expect(p.trim(), p).toMatch(/[.:]$/);
    expect(paragraphs(text)[0]).toMatch(
      /^2 replications of calls \(seed 5\), each measured over 3\.5 days after a warm-up of 12h: [\d,]+ tickets simulated in [\d.]+ s\.$/,
    );
  });

  it('a sweep: the plans in a table, warnings named by plan, integer staff axis', async () => {
    const html = join(dir, 'sweep.html');
    const r = await cli(
      'simulate',
      scenario,
      '--vary',
      'pools.agents.staff=6..8',
      '--workers',
      '0',
      '--html',
      html,
    );
    expect(r.code).toBe(0);
    const text = readFileSync(html, 'utf8');
    const [plans] = tables(text);
    expect(plans.rows.map((row) => row[0])).toEqual(['agents=6', 'agents=7', 'agents=8']);
    expect(plans.columns[1]).toBe('cost per week, EUR');
    expect(text).toMatch(/<li><b>few-replications<\/b>: agents=6: 2 replications/);
    expect(text).toContain(
      "X-axis titled 'agents staff at peak (shifts scaled)' for a linear scale with values from 6 to 8",
    );
  });
});

describe('optimize --html', () => {
  it('the explored plans with cost and targets met, the goal lines, the answer in a sentence', async () => {
    const html = join(dir, 'best.html');
    const json = join(dir, 'best.json');
    const r = await cli(
      'optimize',
      scenario,
      '--vary',
      'pools.agents.staff=4..10',
      '--replications',
      '4',
      '--workers',
      '0',
      '--json',
      json,
      '--html',
      html,
    );
    expect(r.code).toBe(0);
    const best = JSON.parse(readFileSync(json, 'utf8'));
    const text = readFileSync(html, 'utf8');
    const [explored] = tables(text);
    expect(explored.columns).toEqual([
      'plan',
      'cost per week, EUR',
      'cost over the 3.5 days measured, EUR',
      'P1 responded to within 2m ≥ 80%',
      'P2 responded to within 10m ≥ 70%',
      'meets every target',
      'evaluated as',
    ]);
    // every explored plan, cheapest first, the best marked
    expect(explored.rows).toHaveLength(best.explored.length);
    const costs = explored.rows.map((row) => Number(row[1].replace(/,/g, '')));
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    const staff = best.best.values['pools.agents.staff'];
    expect(explored.rows.find((row) => row[0] === `agents=${staff}`)![5]).toBe('yes: the cheapest');
    for (const row of explored.rows) expect(row[3]).toMatch(/ [✓?✗]$/);
    expect(text).toContain(`The cheapest plan meeting every target is <b>agents=${staff}</b>`);
    // one panel per target, each with its goal line
    expect(text).toContain('goal_0_marks');
    expect(text).toContain('goal_1_marks');
    for (const p of paragraphs(text)) expect(p.trim(), p).toMatch(/[.:]$/);
  });
});
