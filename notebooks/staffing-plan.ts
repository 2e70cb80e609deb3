/**
 * Staffing plan for the example service desk (data/scenarios/service-desk.yaml): SLA attainment
 * and cost against expert staffing, a demand peak with and without extra staff, and reactive
 * against predictive maintenance: the demo fleet's failures replayed as breakdowns, against the
 * tickets the ticket policy opened for it, exported as a ticket log and replayed as planned work
 * (app/predictive-comparison.ts).
 *
 *   npx tsx notebooks/staffing-plan.ts [--replications 6] [--horizon 28d] [--experts 2,3,4,5]
 *                                      [--workers N] [--seed S] [--scenario FILE] [--home DIR]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { homeDir, validate } from '../core/index.ts';
import { FleetConfig } from '../ingest/index.ts';
import { loadScenario, runExperiment, type ExperimentResult, type Scenario } from '../simulation/index.ts';
import { designFleetPrior } from '../models/index.ts';
import { ticketPolicy } from '../tickets/index.ts';
import { DEMO_FLEET } from '../app/demo.ts';
import { generatedFleet, ticketBacktestFleet, truthOf } from '../app/fleet-backtest.ts';
import { comparisonScenarios, writeComparisonLogs } from '../app/predictive-comparison.ts';
import { ticketsByModeSpec } from '../api/report/tickets-by-mode-chart.ts';
import { isMain, notebookArgs, num, Report } from './report.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface StaffingPlanOptions {
  home: string;
  scenarioFile?: string;
  replications?: number;
  /** overrides the scenario horizon (and scales the warm-up to a quarter of it) */
  horizon?: string;
  /** expert pool sizes to compare (default 2..5) */
  experts?: number[];
  seed?: number;
  /** worker threads per experiment (default: one per core; 1 runs inline, quickest for small runs) */
  workers?: number;
}

type Run = { label: string; result: ExperimentResult };

type Interval = { mean: number | null; lower: number | null; upper: number | null };
const pct = (x: number | null) => (x === null ? '–' : `${num(100 * x, 1)}%`);
const ci = (i: Interval, f: (x: number | null) => string) =>
  i.lower === null || i.upper === null ? f(i.mean) : `${f(i.mean)} [${f(i.lower)}, ${f(i.upper)}]`;
const n = (v: number | null, digits = 1) => num(v, digits);
/** a share as a percentage for charts (null stays null: the chart leaves it out) */
const share = (v: number | null) => (v === null ? null : 100 * v);

export async function staffingPlan(o: StaffingPlanOptions) {
  const file = o.scenarioFile ?? join(repo, 'data/scenarios/service-desk.yaml');
  const { scenario: base, baseDir } = loadScenario(file);
  const scenario: Scenario = structuredClone(base);
  if (o.horizon) {
    scenario.horizon = o.horizon;
    scenario.warmup = undefined;
  }
  const replications = o.replications ?? 6;
  const seed = o.seed ?? scenario.seed;
  const run = async (label: string, s: Scenario): Promise<Run> => ({
    label,
    result: await runExperiment(s, { replications, seed, baseDir, workers: o.workers }),
  });
  const r = new Report('staffing-plan', `Staffing plan: ${scenario.name}`);
  r.p(
    `Scenario \`${file.replace(repo + '/', '')}\`, ${replications} replications per configuration (seed ${seed}, common random numbers across configurations), ` +
      `horizon ${scenario.horizon}${scenario.warmup ? ` after a ${scenario.warmup} warm-up` : ''}. Every figure is a mean over replications with its 95% confidence interval.`,
  );

  // ---- baseline
  const baseline = await run('baseline', scenario);
  r.h2('Baseline');
  const prioRows = (res: ExperimentResult) =>
    Object.entries(res.priorities).map(([p, x]) => [
      p,
      n(x!.count.mean, 0),
      ci(x!.respond.mean, (v) => n(v)),
      x!.respond.sla ? ci(x!.respond.sla.attainment, pct) : '–',
      x!.resolve.sla ? ci(x!.resolve.sla.attainment, pct) : '–',
    ]);
  r.table(
    ['priority', 'tickets', 'respond (min)', 'respond SLA met', 'resolve SLA met'],
    prioRows(baseline.result),
  );
  r.table(
    ['pool', 'utilisation', 'mean queue', 'cost'],
    Object.entries(baseline.result.pools).map(([p, x]) => [
      p,
      ci(x.utilisation, pct),
      n(x.meanQueue.mean, 2),
      n(x.cost.mean, 0),
    ]),
  );

  // ---- SLA vs staffing
  const sizes = o.experts ?? [2, 3, 4, 5];
  const pool = 'experts' in scenario.pools ? 'experts' : Object.keys(scenario.pools)[0];
  const sweep: Run[] = [];
  for (const size of sizes) {
    const s = structuredClone(scenario);
    s.pools[pool].size = size;
    sweep.push(await run(`${pool} ${size}`, s));
  }
  r.h2(`SLA attainment against ${pool} staffing`);
  const sweepRows = sweep.flatMap((x, k) =>
    Object.entries(x.result.priorities)
      .filter(([, v]) => v!.resolve.sla)
      .map(([p, v]) => ({
        size: sizes[k],
        priority: p,
        attainment: share(v!.resolve.sla!.attainment.mean),
        lower: share(v!.resolve.sla!.attainment.lower),
        upper: share(v!.resolve.sla!.attainment.upper),
      })),
  );
  const totalCost = (res: ExperimentResult) =>
    Object.values(res.pools).reduce((s, p) => s + (p.cost.mean ?? 0), 0);
  await r.chart(
    {
      width: 600,
      height: 260,
      data: { values: sweepRows },
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'size', type: 'ordinal', title: `${pool} on duty (base size)` },
            y: {
              field: 'attainment',
              type: 'quantitative',
              title: 'resolve SLA met (%)',
              scale: { domain: [0, 100] },
            },
            color: { field: 'priority', type: 'nominal' },
          },
        },
        {
          mark: 'errorbar',
          encoding: {
            x: { field: 'size', type: 'ordinal' },
            y: { field: 'lower', type: 'quantitative', title: 'resolve SLA met (%)' },
            y2: { field: 'upper' },
            color: { field: 'priority', type: 'nominal' },
          },
        },
      ],
    } as TopLevelSpec,
    'Share of tickets resolved within their SLA target, per priority, with 95% confidence intervals.',
  );
  r.table(
    [
      `${pool}`,
      'total staff cost',
      ...Object.keys(baseline.result.priorities).map((p) => `${p} resolve SLA`),
    ],
    sweep.map((x, k) => [
      sizes[k],
      num(totalCost(x.result), 0),
      ...Object.values(x.result.priorities).map((v) =>
        v!.resolve.sla ? pct(v!.resolve.sla.attainment.mean) : '–',
      ),
    ]),
  );

  // ---- peak plan
  const horizonDays = Math.max(2, Math.round(durationDays(scenario.horizon)));
  const from = `${Math.floor(horizonDays / 2)}d`;
  const to = `${Math.floor(horizonDays / 2) + Math.max(1, Math.floor(horizonDays / 4))}d`;
  const peak = structuredClone(scenario);
  peak.peaks = [{ name: 'peak', from, to, demand: 1.5 }];
  const staffed = structuredClone(peak);
  staffed.peaks = [
    {
      name: 'peak',
      from,
      to,
      demand: 1.5,
      staff: Object.fromEntries(Object.keys(scenario.pools).map((p) => [p, { percent: 50 }])),
    },
  ];
  const peakRuns = [baseline, await run('peak, same staff', peak), await run('peak, +50% staff', staffed)];
  r.h2('A demand peak');
  r.p(
    `Demand 1.5 times the usual from day ${from} to day ${to}: with the usual roster, and with every pool 50% larger during the peak.`,
  );
  const peakRows = peakRuns.flatMap((x) =>
    Object.entries(x.result.priorities)
      .filter(([, v]) => v!.respond.sla)
      .map(([p, v]) => ({ plan: x.label, priority: p, attainment: share(v!.respond.sla!.attainment.mean) })),
  );
  await r.chart(
    {
      width: 160,
      height: 220,
      data: { values: peakRows },
      mark: 'bar',
      encoding: {
        column: { field: 'priority', type: 'nominal', title: null },
        x: {
          field: 'plan',
          type: 'nominal',
          title: null,
          sort: peakRuns.map((x) => x.label),
          axis: { labelAngle: -30 },
        },
        y: {
          field: 'attainment',
          type: 'quantitative',
          title: 'respond SLA met (%)',
          scale: { domain: [0, 100] },
        },
        color: { field: 'plan', type: 'nominal', sort: peakRuns.map((x) => x.label), legend: null },
      },
    } as TopLevelSpec,
    'Respond-SLA attainment per priority: baseline, the peak with the usual roster, the peak with more staff.',
  );
  r.table(
    ['plan', 'total staff cost', ...Object.keys(baseline.result.priorities).map((p) => `${p} respond SLA`)],
    peakRuns.map((x) => [
      x.label,
      num(totalCost(x.result), 0),
      ...Object.values(x.result.priorities).map((v) =>
        v!.respond.sla ? pct(v!.respond.sla.attainment.mean) : '–',
      ),
    ]),
  );

  // ---- reactive vs predictive, through the ticket-log contract
  const fleetConfig = validate(FleetConfig, DEMO_FLEET, 'the demo fleet');
  const fleet = generatedFleet(fleetConfig);
  const walk = await ticketBacktestFleet(fleet, {
    policy: ticketPolicy({}, 'defaults'),
    seed: fleetConfig.seed,
    // the demo's walk: the RUL model starts from the design fleet
    prior: designFleetPrior(fleetConfig),
  });
  const logs = writeComparisonLogs(homeDir(o.home, 'staffing-plan'), {
    truth: truthOf(fleet),
    tickets: walk.ticketList,
    walk,
  });
  const both = comparisonScenarios(scenario, logs);
  const reactive = await run('reactive', both.reactive);
  const pr = await run('predictive', both.predictive);
  r.h2('Reactive against predictive maintenance');
  r.p(
    `The demo fleet (${fleet.length} bearings run to failure) on top of the desk's own demand, replayed from ticket logs. Reactive: each failure arrives as a P1 breakdown. ` +
      `Predictive: the ${logs.predictiveTickets} tickets the ticket policy opened (${walk.ticketedAhead} of ${walk.failures} failures announced at least 24 h ahead), exported as a ticket log, arrive as planned work on site; ` +
      `the ${logs.breakdownsPredictive} failures no ticket announced still break down.`,
  );
  const rows = [reactive, pr].flatMap((x) =>
    Object.entries(x.result.priorities).map(([p, v]) => ({
      mode: x.label as 'reactive' | 'predictive',
      priority: p,
      tickets: v!.count.mean,
    })),
  );
  await r.chart(ticketsByModeSpec(rows, 420), 'Tickets per priority, reactive against predictive.');
  r.table(
    [
      'mode',
      'total staff cost',
      ...Object.keys(reactive.result.priorities).map((p) => `${p} tickets / resolve SLA`),
    ],
    [reactive, pr].map((x) => [
      x.label,
      num(totalCost(x.result), 0),
      ...Object.keys(reactive.result.priorities).map((p) => {
        const v = x.result.priorities[p as keyof typeof x.result.priorities];
        return v
          ? `${n(v.count.mean, 0)} / ${v.resolve.sla ? pct(v.resolve.sla.attainment.mean) : '–'}`
          : '–';
      }),
    ]),
  );
  const out = r.write(o.home, { scenario: scenario.name, replications, seed });
  return {
    file: out,
    baseline: baseline.result,
    sweep,
    peakRuns,
    reactive: reactive.result,
    predictive: pr.result,
    logs,
    charts: r.chartCount,
  };
}

function durationDays(d: string | number): number {
  if (typeof d === 'number') return d / (24 * 60);
  const units: Record<string, number> = {
    ms: 1 / 86_400_000,
    s: 1 / 86_400,
    m: 1 / 1440,
    h: 1 / 24,
    d: 1,
    w: 7,
  };
  let days = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/g)) days += Number(m[1]) * units[m[2]];
  return days;
}

if (isMain(import.meta.url)) {
  const { home, values } = notebookArgs(process.argv.slice(2), {
    scenario: { type: 'string' },
    replications: { type: 'string' },
    horizon: { type: 'string' },
    seed: { type: 'string' },
    experts: { type: 'string' },
    workers: { type: 'string' },
  });
  const out = await staffingPlan({
    home,
    scenarioFile: values.scenario as string | undefined,
    replications: values.replications ? Number(values.replications) : undefined,
    horizon: values.horizon as string | undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    experts: values.experts ? String(values.experts).split(',').map(Number) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
  });
  process.stdout.write(`staffing-plan: ${out.file}\n`);
}
