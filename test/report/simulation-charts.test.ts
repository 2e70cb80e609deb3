/**
 * The simulation charts rendered to SVG (vega's headless renderer, as the HTML reports do) and
 * read back: the scenario's goals are rule marks at the goal's y on every SLA chart (y = plot
 * height x (1 - goal) on a 0-100% scale), the respond/resolve time targets are drawn on the time
 * chart, staff axes carry whole numbers only, no interval is drawn past its quantity's range, the
 * explored plans are labelled with their plan, costs are per week in the scenario's currency, and
 * no axis is titled with an internal field name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { toSvg } from '../../api/report/html-report.ts';
import {
  frontierChart,
  slaChart,
  sweepChart,
  timeSeriesChart,
  waitChart,
  type Spec,
} from '../../api/report/simulation-charts.ts';
import { sweepAsExplored } from '../../api/report/simulation-report.ts';
import { planLabel, scenarioMeasuredMinutes } from '../../api/report/plan-words.ts';
import {
  axisOf,
  optimize,
  parseScenario,
  parseVariation,
  runExperiment,
  runSweep,
  scenarioTargets,
  type ExperimentResult,
  type OptimizeResult,
  type SweepPoint,
} from '../../simulation/index.ts';

const scenario = parseScenario({
  name: 'calls',
  seed: 3,
  replications: 3,
  horizon: '3d',
  warmup: '6h',
  currency: 'EUR',
  targets: ['P1.respond.sla>=0.9', 'P2.respond.sla>=0.75'],
  priorities: { P1: { respond: '2m', resolve: '30m' }, P2: { respond: '10m', resolve: '1h' } },
  arrivals: [{ poisson: { perHour: 30, mix: { P1: 0.3, P2: 0.7 } } }],
  pools: { agents: { size: 6, costPerHour: 30 } },
  flow: [{ stage: 'call', pool: 'agents', duration: { exponential: { mean: '10m' } } }],
  series: { bin: '1h' },
});
const goals = scenarioTargets(scenario);

const svgOf = (spec: Spec) => toSvg(spec as unknown as TopLevelSpec);

/** The y (pixels from its plot's top) of every line of the named mark groups (one per panel). */
function ruleYs(svg: string, markName: string): number[] {
  const groups = svg.matchAll(
    new RegExp(`<g class="mark-rule role-mark ${markName}_marks"[^>]*>(.*?)</g>`, 'gs'),
  );
  return [...groups].flatMap((g) =>
    [...g[1].matchAll(/<line[^>]*transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)].map((m) => Number(m[2])),
  );
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The tick labels of the first X or Y axis titled `title` (any when no title is given). */
function axisLabels(svg: string, axis: 'X' | 'Y', title?: string): string[] {
  const at = svg.search(new RegExp(`aria-label="${axis}-axis titled '${escapeRe(title ?? '')}`));
  if (at < 0) throw new Error(`no ${axis} axis${title ? ` titled ${title}` : ''}`);
  const rest = svg.slice(at);
  const labels = /<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/s.exec(rest)!;
  return [...labels[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** Both ends (y pixels) of every error bar: translate y and translate y + y2. */
function errorBarEnds(svg: string): number[] {
  return [...svg.matchAll(/<line[^>]*aria-roledescription="errorbar"[^>]*>/g)].flatMap((m) => {
    const y = Number(/translate\([-\d.e]+,([-\d.e]+)\)/.exec(m[0])![1]);
    const y2 = Number(/ y2="([-\d.e]+)"/.exec(m[0])?.[1] ?? 0);
    return [y, y + y2];
  });
}

/** The lines' ys, sorted, equal the expected ones to a thousandth of a pixel. */
function expectYs(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  const a = [...actual].sort((x, y) => x - y);
  [...expected].sort((x, y) => x - y).forEach((y, i) => expect(a[i]).toBeCloseTo(y, 3));
}

const axisTitles = (svg: string) =>
  [...svg.matchAll(/aria-label="[XY]-axis titled '([^']*)'/g)].map((m) => m[1]);

let result: ExperimentResult;
let sweep: SweepPoint[];
let best: OptimizeResult;

beforeAll(async () => {
  result = await runExperiment(scenario, { workers: 0 });
  sweep = await runSweep(scenario, [axisOf(parseVariation('pools.agents.staff=5..8'))], { workers: 0 });
  best = await optimize(scenario, [parseVariation('pools.agents.size=4..10')], goals, { workers: 0 });
});

describe('SLA attainment chart', () => {
  it("draws each goal as a rule at the goal's y across its tier's bar", async () => {
    const svg = await svgOf(slaChart(result, goals));
    // two clock panels (respond, resolve), 180 px high, 0-100%: the goals sit on the respond panel
    const ys = ruleYs(svg, 'goal');
    expectYs(ys, [180 * (1 - 0.9), 180 * (1 - 0.75)]);
    expect(svg).toContain('goal ≥ 90%');
    expect(axisTitles(svg)).toContain('share within the time target');
  });

  it('without goals, draws none (and says so in its subtitle by omission)', async () => {
    const svg = await svgOf(slaChart(result, []));
    expect(ruleYs(svg, 'goal')).toEqual([]);
  });

  it('draws no interval past 0-100%, even from an unclipped result (an old JSON file)', async () => {
    const raw = structuredClone(result);
    raw.priorities.P1!.respond.sla!.attainment = {
      mean: 0.98,
      lower: 0.91,
      upper: 1.05,
      halfWidth: 0.07,
      n: 3,
    };
    raw.priorities.P2!.respond.sla!.attainment = {
      mean: 0.02,
      lower: -0.03,
      upper: 0.07,
      halfWidth: 0.05,
      n: 3,
    };
    const spec = slaChart(raw, goals);
    const values = (spec.data as { values: { lower: number; upper: number }[] }).values;
    for (const v of values) {
      expect(v.lower).toBeGreaterThanOrEqual(0);
      expect(v.upper).toBeLessThanOrEqual(1);
    }
    const ends = errorBarEnds(await svgOf(spec));
    expect(ends.length).toBeGreaterThanOrEqual(8); // 4 bars, 2 ends each
    for (const y of ends) {
      expect(y).toBeGreaterThanOrEqual(-1e-9);
      expect(y).toBeLessThanOrEqual(180 + 1e-9);
    }
  });
});

describe('time chart', () => {
  it("draws each tier's respond and resolve time target, in minutes", async () => {
    const spec = waitChart(result);
    const svg = await svgOf(spec);
    // P1 and P2 have a respond and a resolve target each: one dashed rule per tier and panel
    expect(ruleYs(svg, 'time_target')).toHaveLength(4);
    const targets = (spec.data as { values: { target?: number }[] }).values.flatMap((v) =>
      v.target === undefined ? [] : [v.target],
    );
    expect(targets.sort((a, b) => a - b)).toEqual([2, 10, 30, 60]);
    expect(axisTitles(svg).every((t) => t === 'minutes' || t === '')).toBe(true);
  });

  it('queue and utilisation: utilisation within 0-100%, titles in words', async () => {
    const svg = await svgOf(timeSeriesChart(result)!);
    expect(axisTitles(svg)).toEqual(
      expect.arrayContaining([
        'tickets waiting',
        'share of on-duty staff busy',
        'hours since start (Monday 00:00)',
      ]),
    );
    expect(axisLabels(svg, 'Y', 'share of on-duty staff busy').at(-1)).toBe('100%');
  });
});

describe('sweep chart', () => {
  it('a staff axis has whole-number ticks only, titled in words', async () => {
    const svg = await svgOf(sweepChart(sweep, goals, scenario));
    const labels = axisLabels(svg, 'X', 'agents staff at peak (shifts scaled)');
    expect(labels).toEqual(['5', '6', '7', '8']);
  });

  it("draws the goals as rules at the goals' y", async () => {
    const svg = await svgOf(sweepChart(sweep, goals, scenario));
    // 300 px high, 0-100%
    expectYs(ruleYs(svg, 'goal'), [300 * 0.1, 300 * 0.25]);
  });
});

describe('cost against service (optimize, sweeps)', () => {
  it('one panel per target with its goal line, points labelled with their plan, cost per week in EUR', async () => {
    const minutes = scenarioMeasuredMinutes(scenario);
    expect(minutes).toBe(3 * 1440 - 360);
    const svg = await svgOf(
      frontierChart(best.explored, {
        goals,
        measuredMinutes: minutes,
        scenario,
        best: best.best?.values ?? null,
      }),
    );
    // the panels are 260 px high on a 0-100% scale
    expectYs(ruleYs(svg, 'goal_0'), [260 * 0.1]);
    expectYs(ruleYs(svg, 'goal_1'), [260 * 0.25]);
    for (const p of best.explored) expect(svg).toContain(`>${planLabel(p.values)}</text>`);
    expect(planLabel(best.explored[0].values)).toMatch(/^agents=\d+$/);
    expect(axisTitles(svg)).toContain('cost per week, EUR');
    expect(axisTitles(svg)).toContain('P1 responded to within 2m');
    // a plan's cost per week: its cost over the 2.75 days measured x 7 / 2.75
    const costs = [...svg.matchAll(/cost per week, EUR: ([\d,.]+)/g)].map((m) =>
      Number(m[1].replace(/,/g, '')),
    );
    expect(costs.length).toBeGreaterThan(0);
    const expected = best.explored.map((p) => Math.round((p.cost * 7) / 2.75));
    for (const c of costs) expect(expected).toContain(Math.round(c));
  });

  it("a sweep's plans checked against the scenario's goals: the cheapest meeting both is marked", async () => {
    const explored = sweepAsExplored(sweep, goals);
    expect(explored.every((p) => p.targets.length === 2)).toBe(true);
    const feasible = explored.filter((p) => p.feasible);
    const svg = await svgOf(
      frontierChart(explored, {
        goals,
        measuredMinutes: scenarioMeasuredMinutes(scenario),
        scenario,
        best: feasible[0]?.values ?? null,
      }),
    );
    for (const p of sweep) expect(svg).toContain(`>${planLabel(p.values)}</text>`);
    expect(ruleYs(svg, 'goal_0')).toHaveLength(1);
  });

  it('no axis is titled with an internal field name', async () => {
    const svgs = await Promise.all([
      svgOf(slaChart(result, goals)),
      svgOf(waitChart(result)),
      svgOf(timeSeriesChart(result)!),
      svgOf(sweepChart(sweep, goals, scenario)),
      svgOf(frontierChart(best.explored, { goals, measuredMinutes: 4000, scenario })),
    ]);
    const titles = svgs.flatMap(axisTitles);
    expect(titles.length).toBeGreaterThan(8);
    // "lower, SLA attainment", "minutes, lower, upper", "value": what the charts said before
    for (const title of titles)
      expect(title).not.toMatch(/(^|, )(lower|upper|value|attainment|x|bar|stat|clock|cost|t|plan)(,|$)/);
  });
});
