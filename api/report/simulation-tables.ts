/**
 * Result tables for the HTML reports, next to the charts: per tier (tickets, respond / on-site /
 * resolve mean and SLA attainment with 95% intervals, open at the horizon, the SLA clock), per pool
 * (utilisation, staff on duty, queue, cost per week and over the measured window), the scenario's
 * goals against the result, a sweep's plans, and an optimiser's explored plans with cost and
 * targets met. Each table is `{ columns, rows }` for `Report.table`.
 */
import type { Interval } from '../../core/statistics/confidence-interval.ts';
import type { ExploredPoint, OptimizeResult } from '../../simulation/experiments/optimizer.ts';
import type { ClockResult, ExperimentResult } from '../../simulation/experiments/results.ts';
import type { SweepPoint } from '../../simulation/experiments/sweep.ts';
import type { Target, TargetCheck } from '../../simulation/experiments/targets.ts';
import type { Cell } from './html-report.ts';
import {
  amountCi,
  costUnit,
  goalText,
  measuredMinutes,
  metricKind,
  metricWords,
  minutesText,
  periodWords,
  perWeek,
  planLabel,
  shareCi,
  valueText,
  within,
} from './plan-words.ts';

export interface Table {
  columns: string[];
  rows: Cell[][];
}

const slaCell = (c: ClockResult | null): string =>
  c?.sla ? `${shareCi(c.sla.attainment)} within ${minutesText(c.sla.target ?? 0)}` : '–';

/** Per tier: tickets, times and SLA attainment with their 95% intervals, open at the horizon. */
export function tierTable(r: ExperimentResult): Table {
  const onsite = Object.values(r.priorities).some((t) => t.onsite !== null);
  return {
    columns: [
      'tier',
      'SLA clock',
      'tickets',
      'respond mean, min',
      'respond SLA',
      ...(onsite ? ['on-site mean, min', 'on-site SLA'] : []),
      'resolve mean, min',
      'resolve SLA',
      'open at horizon',
    ],
    rows: Object.entries(r.priorities).map(([p, t]) => [
      p,
      t.clock === '24/7' ? '24/7' : `${t.clock} calendar`,
      amountCi(t.count, 0),
      amountCi(t.respond.mean),
      slaCell(t.respond),
      ...(onsite ? [t.onsite ? amountCi(t.onsite.mean) : '–', slaCell(t.onsite)] : []),
      amountCi(t.resolve.mean),
      slaCell(t.resolve),
      amountCi(t.openAtHorizon.count, 1),
    ]),
  };
}

/** An amount with its interval, times `factor`, whole and with thousands separators: "18,900 [18,700, 19,100]". */
const scaledCi = (i: Interval, factor: number): string => {
  if (i.mean === null) return '–';
  const c = within(i, 0, Infinity);
  const w = (x: number) => Math.round(x * factor).toLocaleString('en');
  return i.lower === null ? w(i.mean) : `${w(i.mean)} [${w(c.lower!)}, ${w(c.upper!)}]`;
};
const whole = (x: number) => Math.round(x).toLocaleString('en');

/** Per pool: utilisation, staff on duty, queue, cost per week and over the measured window. */
export function poolTable(r: ExperimentResult): Table {
  const minutes = measuredMinutes(r);
  const unit = costUnit(r.config.currency);
  const pools = Object.entries(r.pools);
  const total = pools.reduce((s, [, p]) => s + (p.cost.mean ?? 0), 0);
  return {
    columns: [
      'pool',
      'utilisation',
      'on duty, mean staff',
      'queue, mean tickets',
      `cost per week, ${unit}`,
      `cost over the ${periodWords(minutes)} measured, ${unit}`,
    ],
    rows: [
      ...pools.map(([name, p]): Cell[] => [
        name,
        shareCi(p.utilisation),
        amountCi(p.meanOnDuty),
        amountCi(p.meanQueue),
        scaledCi(p.cost, perWeek(1, minutes)),
        scaledCi(p.cost, 1),
      ]),
      ...(pools.length > 1 ? [['all pools', '', '', '', whole(perWeek(total, minutes)), whole(total)]] : []),
    ],
  };
}

/** Whether a checked target is met with confidence, missed, or undecided by its interval. */
export function verdict(c: TargetCheck): string {
  if (c.value === null || c.value.mean === null) return 'no value';
  if (c.met) return 'met (whole 95% interval)';
  return c.meanSlack >= 0 ? 'undecided: the interval straddles the goal' : 'missed';
}

/** The scenario's goals against a result: value with its interval, and the verdict. */
export function goalTable(
  checks: readonly { target: Target; check: TargetCheck }[],
  r: ExperimentResult,
): Table {
  return {
    columns: ['goal', 'value [95% CI]', 'verdict'],
    rows: checks.map(({ target, check }) => [
      `${metricWords(target.metric, r.config)} ${goalText(target)}`,
      valueCi(target.metric, check.value, r.config.currency),
      verdict(check),
    ]),
  };
}

/** A metric's value with its interval, in its unit and range. */
function valueCi(metric: string, i: Interval | null, currency?: string): string {
  if (!i || i.mean === null) return '–';
  const kind = metricKind(metric);
  if (kind === 'share') return shareCi(i);
  const c = within(i, 0, Infinity);
  const v = (x: number) => valueText(kind, x, currency);
  return i.lower === null ? v(i.mean) : `${v(i.mean)} [${v(c.lower!)}, ${v(c.upper!)}]`;
}

/** A sweep's plans: cost per week, each tier's respond and resolve SLA, each pool's utilisation, warnings. */
export function sweepTable(points: readonly SweepPoint[]): Table {
  const first = points[0]?.result;
  if (!first) return { columns: [], rows: [] };
  const minutes = measuredMinutes(first);
  const tiers = Object.keys(first.priorities) as (keyof typeof first.priorities)[];
  const pools = Object.keys(first.pools);
  return {
    columns: [
      'plan',
      `cost per week, ${costUnit(first.config.currency)}`,
      ...tiers.flatMap((p) => [`${p} respond SLA`, `${p} resolve SLA`]),
      ...pools.map((p) => `${p} utilisation`),
      'warnings',
    ],
    rows: points.map((pt) => [
      planLabel(pt.values),
      whole(perWeek(pt.cost, minutes)),
      ...tiers.flatMap((p) => {
        const t = pt.result.priorities[p];
        return [
          t?.respond.sla ? shareCi(t.respond.sla.attainment) : '–',
          t?.resolve.sla ? shareCi(t.resolve.sla.attainment) : '–',
        ];
      }),
      ...pools.map((p) => (pt.result.pools[p] ? shareCi(pt.result.pools[p].utilisation) : '–')),
      pt.result.warnings.map((w) => w.code).join(', ') || 'none',
    ]),
  };
}

/** An optimiser's explored plans, cheapest first: cost per week, each target's value and whether it is met. */
export function exploredTable(
  r: Pick<OptimizeResult, 'explored' | 'best'>,
  targets: readonly Target[],
  measured: number,
  scenario: { priorities: ExperimentResult['config']['priorities']; currency?: string },
): Table {
  const best = r.best ? planLabel(r.best.values) : null;
  const byText = new Map(targets.map((t) => [t.text, t]));
  const texts = [...new Set(r.explored.flatMap((p) => p.targets.map((t) => t.target)))];
  return {
    columns: [
      'plan',
      `cost per week, ${costUnit(scenario.currency)}`,
      `cost over the ${periodWords(measured)} measured, ${costUnit(scenario.currency)}`,
      ...texts.map((t) => {
        const target = byText.get(t);
        return target ? `${metricWords(target.metric, scenario)} ${goalText(target)}` : t;
      }),
      'meets every target',
      'evaluated as',
    ],
    rows: [...r.explored]
      .sort((a, b) => a.cost - b.cost)
      .map((p: ExploredPoint) => [
        planLabel(p.values),
        whole(perWeek(p.cost, measured)),
        whole(p.cost),
        ...texts.map((text) => {
          const c = p.targets.find((t) => t.target === text);
          if (!c) return '–';
          const metric = byText.get(text)?.metric ?? text.split(/[<>]=/)[0];
          return `${valueCi(metric, c.value, scenario.currency)} ${c.met ? '✓' : c.meanSlack >= 0 ? '?' : '✗'}`;
        }),
        planLabel(p.values) === best ? 'yes: the cheapest' : p.feasible ? 'yes' : 'no',
        p.reason,
      ]),
  };
}
