/**
 * The HTML reports of `leadtime simulate --html` (one run, a sweep, a comparison) and `leadtime
 * optimize --html`: what was run in sentences, the warnings in a box at the top, result tables
 * beside the charts, goals from the scenario's `targets` (or optimize's `--target`) as target
 * lines and in a table with their verdict, costs in the scenario's currency per week and over the
 * measured window. Loaded only when a report is asked for (it brings in Vega).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlanDifference } from '../../simulation/experiments/compare.ts';
import type { ExploredPoint, OptimizeResult } from '../../simulation/experiments/optimizer.ts';
import type { ExperimentResult } from '../../simulation/experiments/results.ts';
import type { SweepPoint } from '../../simulation/experiments/sweep.ts';
import { checkTarget, scenarioTargets, type Target } from '../../simulation/experiments/targets.ts';
import type { Scenario } from '../../simulation/scenario/scenario.ts';
import { clockNote, costSentence, RANGE_SENTENCE, runSentence } from '../text/experiment-text.ts';
import { Report } from './html-report.ts';
import {
  costUnit,
  goalText,
  measuredMinutes,
  metricWords,
  money,
  periodWords,
  perWeek,
  planLabel,
  scenarioMeasuredMinutes,
} from './plan-words.ts';
import {
  differenceChart,
  frontierChart,
  slaChart,
  sweepChart,
  timeSeriesChart,
  waitChart,
  type Spec,
} from './simulation-charts.ts';
import { exploredTable, goalTable, poolTable, sweepTable, tierTable } from './simulation-tables.ts';

const spec = (s: Spec) => s as unknown as TopLevelSpec;

/** The scenario's own goals (already resolved when it was loaded). */
const goalsOf = (scenario: Scenario): Target[] => scenarioTargets(scenario);

/** One run's sections: sentences, warnings, tables, goals and charts. */
async function runSections(rep: Report, r: ExperimentResult, charts: 'all' | 'sla'): Promise<void> {
  const goals = goalsOf(r.config);
  rep.p(runSentence(r));
  rep.warnings(
    r.warnings,
    'No warnings: no pool overloaded, few tickets open at the horizon, the warm-up and the replications suffice.',
  );
  rep.p(RANGE_SENTENCE);
  const note = clockNote(r);
  if (note) rep.p(note);
  const tiers = tierTable(r);
  rep.table(tiers.columns, tiers.rows);
  if (goals.length > 0) {
    rep.p(
      `Goals (the scenario's \`targets\`): a goal is met when its whole 95% interval is on the right side of it.`,
    );
    const g = goalTable(
      goals.map((target) => ({ target, check: checkTarget(r, target) })),
      r,
    );
    rep.table(g.columns, g.rows);
  }
  await rep.chart(
    spec(slaChart(r, goals)),
    goals.length > 0
      ? 'Red lines: the goals the scenario sets on its SLA clocks (its targets).'
      : 'The scenario sets no goal for the share within target (add targets, e.g. P1.respond.sla>=0.95, to draw one).',
  );
  if (charts === 'sla') return;
  rep.p(costSentence(r));
  const pools = poolTable(r);
  rep.table(pools.columns, pools.rows);
  await rep.chart(spec(waitChart(r)));
  const series = timeSeriesChart(r);
  if (series) await rep.chart(spec(series), series.description as string | undefined);
}

/** `simulate --html`: one scenario's run. */
export async function simulationReport(r: ExperimentResult): Promise<Report> {
  const rep = new Report('simulation', `Simulation: ${r.scenario}`);
  await runSections(rep, r, 'all');
  return rep;
}

/** The sweep's plans as explored points: checked against the scenario's goals, else each tier's respond SLA. */
export function sweepAsExplored(points: SweepPoint[], goals: readonly Target[]): ExploredPoint[] {
  return points.map((p) => {
    const targets = goals.length
      ? goals.map((g) => checkTarget(p.result, g))
      : Object.entries(p.result.priorities).flatMap(([tier, t]) =>
          t.respond.sla
            ? [
                {
                  target: `${tier}.respond.sla`,
                  value: t.respond.sla.attainment,
                  met: true,
                  slack: 0,
                  meanSlack: 0,
                },
              ]
            : [],
        );
    return {
      values: p.values,
      cost: p.cost,
      feasible: goals.length > 0 && targets.every((t) => t.met),
      reason: 'sweep',
      targets,
    };
  });
}

/** `simulate --vary/--ratio --html`: the plans of a sweep. */
export async function sweepReport(
  scenario: Scenario,
  points: SweepPoint[],
  replications: number,
): Promise<Report> {
  const rep = new Report('simulation', `Sweep: ${scenario.name}`);
  const goals = goalsOf(scenario);
  const first = points[0]?.result;
  const minutes = first ? measuredMinutes(first) : scenarioMeasuredMinutes(scenario);
  rep.p(
    `${points.length} plans of ${scenario.name}, ${replications} replications each, measured over ${periodWords(minutes)}. ` +
      'Every plan runs with the same seed (common random numbers), so neighbouring plans differ by the plan, not by luck.',
  );
  const warned = points.flatMap((p) =>
    p.result.warnings.map((w) => ({ code: w.code, message: `${planLabel(p.values)}: ${w.message}` })),
  );
  rep.warnings(warned, 'No warnings at any plan.');
  rep.p(RANGE_SENTENCE);
  const t = sweepTable(points);
  rep.table(t.columns, t.rows);
  await rep.chart(spec(sweepChart(points, goals, scenario)));
  const feasible = sweepAsExplored(points, goals).filter((p) => p.feasible);
  const best = feasible.length ? feasible.reduce((a, b) => (b.cost < a.cost ? b : a)) : null;
  if (goals.length > 0)
    rep.p(
      best
        ? `The cheapest plan meeting every goal with confidence is ${planLabel(best.values)}, at ${money(perWeek(best.cost, minutes), scenario.currency)} per week.`
        : 'No plan of the sweep meets every goal with confidence.',
    );
  await rep.chart(
    spec(
      frontierChart(sweepAsExplored(points, goals), {
        goals,
        measuredMinutes: minutes,
        currency: scenario.currency,
        scenario,
        best: best?.values ?? null,
      }),
    ),
    goals.length
      ? "Each panel: one of the scenario's goals (red line) against the cost per week of every plan."
      : "Each panel: a tier's respond SLA against the cost per week of every plan (the scenario sets no goals).",
  );
  return rep;
}

/** `simulate --compare --html`: two plans on the same tickets. */
export async function comparisonReport(
  a: ExperimentResult,
  b: ExperimentResult,
  difference: PlanDifference,
  replications: number,
  seed: number,
): Promise<Report> {
  const rep = new Report('simulation', `${b.scenario} against ${a.scenario}`);
  rep.p(
    `Both plans ran ${replications} replications with seed ${seed}, on the same tickets where their arrivals agree.`,
  );
  const unit = costUnit(a.config.currency);
  const weekly = perWeek(difference.cost.mean ?? 0, measuredMinutes(a));
  rep.p(
    `${b.scenario} costs ${Math.round(weekly).toLocaleString('en')} ${unit} per week ${weekly >= 0 ? 'more' : 'less'} than ${a.scenario}` +
      ` (${b.scenario} minus ${a.scenario}, over the ${periodWords(measuredMinutes(a))} measured: ${money(difference.cost.mean ?? 0, a.config.currency)}).`,
  );
  await rep.chart(spec(differenceChart(difference, a.scenario, b.scenario)));
  for (const plan of [a, b]) {
    rep.h2(plan.scenario);
    await runSections(rep, plan, 'sla');
  }
  return rep;
}

/** `optimize --html`: the cheapest plan, the explored plans with cost and targets met, the frontier. */
export async function optimizeReport(
  result: OptimizeResult,
  scenario: Scenario,
  targets: readonly Target[],
): Promise<Report> {
  const rep = new Report('optimize', `Cheapest staffing: ${result.scenario}`);
  const minutes = scenarioMeasuredMinutes(scenario);
  const goals = targets.map((t) => `${metricWords(t.metric, scenario)} ${goalText(t)}`);
  rep.p(
    `Targets: ${goals.join('; ')}. A plan meets a target when the whole 95% interval of its value is on the right side of it.`,
  );
  rep.p(
    `${result.explored.length} plans explored, ${result.replications} replications each (seed ${result.seed}), in ${result.wallSeconds.toFixed(1)} s. ` +
      `The search started from Erlang C's estimate ${planLabel(result.start.values)}` +
      (Object.keys(result.start.offeredLoad).length
        ? ` (offered load ${Object.entries(result.start.offeredLoad)
            .map(([p, a]) => `${p} ${a.toFixed(2)} Erlangs`)
            .join(', ')}).`
        : '.'),
  );
  rep.p(
    result.best
      ? `The cheapest plan meeting every target is **${planLabel(result.best.values)}**, at ${money(perWeek(result.best.cost, minutes), scenario.currency)} per week (${money(result.best.cost, scenario.currency)} over the ${periodWords(minutes)} measured).`
      : 'No plan of the grid meets every target with confidence.',
  );
  rep.warnings(result.warnings);
  const t = exploredTable(result, targets, minutes, scenario);
  rep.p(
    'The explored plans, cheapest first (✓ met with confidence, ? undecided: the interval straddles the target, ✗ missed):',
  );
  rep.table(t.columns, t.rows);
  await rep.chart(
    spec(
      frontierChart(result.explored, {
        goals: targets,
        measuredMinutes: minutes,
        currency: scenario.currency,
        scenario,
        best: result.best?.values ?? null,
      }),
    ),
    'Each panel: one target (red line) against the cost per week of every explored plan, labelled with its plan.',
  );
  return rep;
}
