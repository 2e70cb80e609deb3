/**
 * Vega-Lite specs (plain JSON, rendered by whoever writes the report) for experiment results, drawn
 * for a planner to read at a glance: SLA attainment per priority with 95% intervals and the goal
 * as a target line, time to respond and resolve with each tier's time target, queue and
 * utilisation over time with the peak windows shaded, SLA attainment against a swept field, and
 * cost per week against every target for explored or swept plans (each point labelled with its
 * plan). Titles are in words and carry their units; intervals are drawn within the quantity's
 * range (shares 0-100%, everything else >= 0); staff counts sit on whole-number axes.
 *
 * Goals come in as parsed targets (`Target`): the scenario's `targets`, or optimize's `--target`.
 * Target lines are rule marks named `goal` (SVG class `goal_marks`; `goal_<k>_marks` in the k-th
 * panel of the cost chart), time targets `time_target` (`time_target_marks`).
 */
import { parseDuration } from '../../core/duration.ts';
import type { PlanDifference } from '../../simulation/experiments/compare.ts';
import type { ExploredPoint } from '../../simulation/experiments/optimizer.ts';
import type { ExperimentResult } from '../../simulation/experiments/results.ts';
import type { SweepPoint } from '../../simulation/experiments/sweep.ts';
import type { Target } from '../../simulation/experiments/targets.ts';
import type { Scenario } from '../../simulation/scenario/scenario.ts';
import {
  CLOCK_NOUN,
  CLOCKS,
  costUnit,
  fieldTitle,
  goalText,
  isStaffField,
  metricKind,
  metricWords,
  minutesText,
  perWeek,
  planLabel,
  tierLabel,
  within,
  type Clock,
} from './plan-words.ts';

export type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const GOAL_COLOR = '#dc2626';
const SHARE_TITLE = 'share within the time target';

/** The goal a scenario sets on a tier's SLA clock (`P1.respond.sla>=0.95`), if any. */
const slaGoal = (goals: readonly Target[], tier: string, clock: string): Target | undefined =>
  goals.find((g) => g.metric === `${tier}.${clock}.sla`);

/** A whole-number axis for staff counts (no 4.2 staff), else a plain quantitative one. */
function fieldAxis(path: string, xs: readonly unknown[]): Record<string, unknown> {
  const whole = xs.every((x) => typeof x === 'number' && Number.isInteger(x));
  return isStaffField(path) || whole ? { axis: { tickMinStep: 1, format: 'd' } } : {};
}

/** SLA attainment per priority and clock, with the 95% interval and the scenario's goal as a red line. */
export function slaChart(r: ExperimentResult, goals: readonly Target[] = []): Spec {
  const values = Object.entries(r.priorities).flatMap(([p, t]) =>
    CLOCKS.flatMap((clock) => {
      const sla = t[clock]?.sla;
      if (!sla || sla.attainment.mean === null) return [];
      const a = within(sla.attainment, 0, 1);
      const goal = slaGoal(goals, p, clock);
      return [
        {
          // "P1 ≤ 15m", and a second line "office time" for a tier timed in a business calendar
          bar: `${p} ≤ ${minutesText(sla.target ?? 0)}${t.clock !== undefined && t.clock !== '24/7' ? `|${t.clock} time` : ''}`,
          clock: CLOCK_NOUN[clock],
          attainment: a.mean,
          lower: a.lower,
          upper: a.upper,
          goal: goal?.value ?? null,
          goalText: goal ? `goal ${goalText(goal)}` : null,
        },
      ];
    }),
  );
  const x = {
    field: 'bar',
    type: 'nominal',
    title: null,
    axis: { labelAngle: 0, labelLimit: 120, labelExpr: "split(datum.label, '|')" },
  };
  const hasGoals = values.some((v) => v.goal !== null);
  return {
    $schema: SCHEMA,
    title: {
      text: 'SLA attainment (95% CI)',
      subtitle: `share of each tier's tickets within its time target${hasGoals ? '; red line: the goal (the scenario\u2019s targets)' : ''}`,
    },
    data: { values },
    facet: {
      column: {
        field: 'clock',
        type: 'nominal',
        sort: CLOCKS.map((c) => CLOCK_NOUN[c]),
        title: null,
      },
    },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 200,
      height: 180,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x,
            y: {
              field: 'attainment',
              type: 'quantitative',
              scale: { domain: [0, 1] },
              axis: { format: '%' },
              title: SHARE_TITLE,
            },
            tooltip: [
              { field: 'bar', title: 'tier' },
              { field: 'attainment', format: '.1%' },
              { field: 'lower', format: '.1%' },
              { field: 'upper', format: '.1%' },
            ],
          },
        },
        {
          mark: { type: 'errorbar', ticks: true, color: '#111827' },
          encoding: {
            x,
            y: { field: 'lower', type: 'quantitative', title: SHARE_TITLE },
            y2: { field: 'upper' },
          },
        },
        {
          name: 'goal',
          transform: [{ filter: 'isValid(datum.goal)' }],
          mark: { type: 'rule', color: GOAL_COLOR, strokeWidth: 2 },
          encoding: {
            x: { ...x, bandPosition: 0 },
            x2: { field: 'bar', bandPosition: 1 },
            y: { field: 'goal', type: 'quantitative', title: SHARE_TITLE },
          },
        },
        {
          transform: [{ filter: 'isValid(datum.goal)' }],
          mark: { type: 'text', color: GOAL_COLOR, dy: -6, fontSize: 9 },
          encoding: {
            x,
            y: { field: 'goal', type: 'quantitative', title: SHARE_TITLE },
            text: { field: 'goalText' },
          },
        },
      ],
    },
  };
}

const STATS = [
  ['p50', 'median'],
  ['mean', 'mean'],
  ['p90', '90th percentile'],
  ['p95', '95th percentile'],
] as const;

/** Time to respond and to resolve per priority (mean and quantiles, 95% CI), each tier's time target dashed. */
export function waitChart(r: ExperimentResult): Spec {
  const clocks = ['respond', 'resolve'] as const;
  const points = Object.entries(r.priorities).flatMap(([p, t]) =>
    clocks.flatMap((clock) =>
      STATS.flatMap(([stat, words]) => {
        const i = t[clock][stat];
        if (i.mean === null) return [];
        const c = within(i, 0, Infinity);
        return [
          {
            priority: tierLabel(p, t),
            clock: CLOCK_NOUN[clock],
            stat: words,
            minutes: c.mean,
            lower: c.lower,
            upper: c.upper,
          },
        ];
      }),
    ),
  );
  const targets = Object.entries(r.priorities).flatMap(([p, t]) =>
    clocks.flatMap((clock) => {
      const T = t[clock].sla?.target;
      return T === undefined || T === null
        ? []
        : [
            {
              priority: tierLabel(p, t),
              clock: CLOCK_NOUN[clock],
              target: T,
              targetText: `${p} target ${minutesText(T)}`,
            },
          ];
    }),
  );
  const x = {
    field: 'stat',
    type: 'ordinal',
    sort: STATS.map(([, w]) => w),
    title: null,
    axis: { labelAngle: -20 },
  };
  const color = { field: 'priority', type: 'nominal', title: 'priority' };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Time to respond and to resolve per priority (minutes, 95% CI)',
      subtitle: "dashed: the tier's time target (its SLA clock's limit)",
    },
    data: { values: [...points, ...targets] },
    facet: {
      column: { field: 'clock', type: 'nominal', title: null, sort: clocks.map((c) => CLOCK_NOUN[c]) },
    },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 280,
      height: 220,
      layer: [
        {
          transform: [{ filter: 'isValid(datum.stat)' }],
          mark: { type: 'point', filled: true },
          encoding: {
            x,
            y: { field: 'minutes', type: 'quantitative', title: 'minutes' },
            color,
            xOffset: { field: 'priority' },
          },
        },
        {
          transform: [{ filter: 'isValid(datum.stat)' }],
          mark: 'rule',
          encoding: {
            x,
            xOffset: { field: 'priority' },
            y: { field: 'lower', type: 'quantitative', title: 'minutes' },
            y2: { field: 'upper' },
            color,
          },
        },
        {
          name: 'time_target',
          transform: [{ filter: 'isValid(datum.target)' }],
          mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: {
            y: { field: 'target', type: 'quantitative', title: 'minutes' },
            color,
            tooltip: [{ field: 'targetText', title: 'time target' }],
          },
        },
      ],
    },
  };
}

/** Queue length and utilisation per pool over time (needs `series`), peak windows shaded. */
export function timeSeriesChart(r: ExperimentResult): Spec | null {
  if (!r.series) return null;
  const bin = r.series.bin;
  const days = r.horizon > 14 * 1440;
  const unit = days ? 1440 : 60;
  const t = (k: number) => ((k + 0.5) * bin) / unit;
  const queue = Object.entries(r.series.pools).flatMap(([pool, s]) =>
    s.queue.map((q, k) => ({ pool, t: t(k), value: Math.max(0, q) })),
  );
  const utilisation = Object.entries(r.series.pools).flatMap(([pool, s]) =>
    s.utilisation.map((u, k) => ({ pool, t: t(k), value: Math.min(1, Math.max(0, u)) })),
  );
  const peaks = (r.config.peaks ?? []).map((p) => ({
    name: p.name,
    from: parseDuration(p.from, 'from', 'm') / 60_000 / unit,
    to: parseDuration(p.to, 'to', 'm') / 60_000 / unit,
  }));
  const xTitle = `${days ? 'days' : 'hours'} since start (Monday 00:00)`;
  const panel = (values: unknown[], y: Record<string, unknown>, last: boolean) => ({
    width: 760,
    height: 140,
    layer: [
      ...(peaks.length
        ? [
            {
              data: { values: peaks },
              mark: { type: 'rect', color: '#fde68a', opacity: 0.5 },
              encoding: {
                x: { field: 'from', type: 'quantitative', title: last ? xTitle : null },
                x2: { field: 'to' },
                tooltip: [{ field: 'name', title: 'peak' }],
              },
            },
          ]
        : []),
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1 },
        encoding: {
          x: {
            field: 't',
            type: 'quantitative',
            title: last ? xTitle : null,
            scale: { domain: [0, r.horizon / unit] },
          },
          y,
          color: { field: 'pool', type: 'nominal', title: 'pool' },
        },
      },
    ],
  });
  return {
    $schema: SCHEMA,
    title: {
      text: `Queue length and utilisation over time (mean of ${r.replications} replications, ${minutesText(bin)} bins)`,
      ...(peaks.length ? { subtitle: `shaded: peak windows (${peaks.map((p) => p.name).join(', ')})` } : {}),
    },
    vconcat: [
      panel(queue, { field: 'value', type: 'quantitative', title: 'tickets waiting' }, false),
      panel(
        utilisation,
        {
          field: 'value',
          type: 'quantitative',
          title: 'share of on-duty staff busy',
          scale: { domain: [0, 1] },
          axis: { format: '%' },
        },
        true,
      ),
    ],
    ...(peaks.length
      ? {
          description: `peak windows: ${(r.config.peaks ?? []).map((p) => `${p.name} ${p.from}-${p.to}`).join(', ')}`,
        }
      : {}),
  };
}

/**
 * SLA attainment against the swept field (the first varied path), one line per priority and
 * clock, each with its 95% band and its goal (dashed, same colour) when the scenario sets one.
 */
export function sweepChart(points: SweepPoint[], goals: readonly Target[] = [], scenario?: Scenario): Spec {
  const field = Object.keys(points[0]?.values ?? {})[0] ?? 'point';
  const clockWord: Record<Clock, string> = { respond: 'respond', onsite: 'on site', resolve: 'resolve' };
  const values = points.flatMap((pt, i) =>
    Object.entries(pt.result.priorities).flatMap(([p, t]) =>
      CLOCKS.flatMap((clock) => {
        const a = t[clock]?.sla?.attainment;
        if (!a || a.mean === null) return [];
        const others = planLabel(Object.fromEntries(Object.entries(pt.values).filter(([k]) => k !== field)));
        const c = within(a, 0, 1);
        return [
          {
            x: pt.values[field] ?? i,
            plan: planLabel(pt.values),
            tier: p,
            clock,
            series: `${tierLabel(p, t)} ${clockWord[clock]}${others ? ` (${others})` : ''}`,
            attainment: c.mean,
            lower: c.lower,
            upper: c.upper,
          },
        ];
      }),
    ),
  );
  const goalRows = [...new Map(values.map((v) => [v.series, v])).values()].flatMap((v) => {
    const goal = slaGoal(goals, v.tier, v.clock);
    return goal
      ? [{ series: v.series, goal: goal.value, goalText: `${v.series}: goal ${goalText(goal)}` }]
      : [];
  });
  const xs = values.map((v) => v.x);
  const color = { field: 'series', type: 'nominal', title: null };
  return {
    $schema: SCHEMA,
    title: {
      text: `SLA attainment against ${fieldTitle(field, scenario)} (95% CI)`,
      ...(goalRows.length
        ? { subtitle: 'dashed: the goal of the line of the same colour (the scenario\u2019s targets)' }
        : {}),
    },
    width: 600,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: 'errorband', opacity: 0.2 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: fieldTitle(field, scenario) },
          y: { field: 'lower', type: 'quantitative', title: SHARE_TITLE },
          y2: { field: 'upper' },
          color,
        },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: fieldTitle(field, scenario),
            scale: { zero: false },
            ...fieldAxis(field, xs),
          },
          y: {
            field: 'attainment',
            type: 'quantitative',
            axis: { format: '%' },
            scale: { domain: [0, 1] },
            title: SHARE_TITLE,
          },
          color,
          tooltip: [
            { field: 'plan' },
            { field: 'series', title: 'tier' },
            { field: 'attainment', format: '.1%' },
          ],
        },
      },
      ...(goalRows.length
        ? [
            {
              name: 'goal',
              data: { values: goalRows },
              mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 1.5 },
              encoding: {
                y: { field: 'goal', type: 'quantitative' },
                color,
                tooltip: [{ field: 'goalText', title: 'goal' }],
              },
            },
          ]
        : []),
    ],
  };
}

export interface FrontierOptions {
  /** the targets the plans were checked against, drawn as goal lines (matched by their text) */
  goals?: readonly Target[];
  /** minutes the plans' costs cover (the measurement window), for the cost per week */
  measuredMinutes: number;
  currency?: string;
  scenario?: Pick<Scenario, 'priorities' | 'currency'>;
  /** the cheapest plan meeting every target, marked as such */
  best?: Record<string, number | string> | null;
}

/**
 * Cost per week against each target's value for the plans an optimiser explored or a sweep ran:
 * one panel per target with its goal as a red line, each point labelled with its plan, its 95%
 * interval drawn within the metric's range.
 */
export function frontierChart(points: ExploredPoint[], options: FrontierOptions): Spec {
  const unit = costUnit(options.currency ?? options.scenario?.currency);
  const bestLabel = options.best ? planLabel(options.best) : null;
  const metrics = [...new Set(points.flatMap((p) => p.targets.map((t) => t.target)))];
  // layer names must be unique across panels (vega-lite names marks and data after them)
  const panels = metrics.map((text, k) => {
    const goal = options.goals?.find((g) => g.text === text);
    const metric = goal?.metric ?? text.split(/[<>]=/)[0];
    const kind = metricKind(metric);
    const [lo, hi] = kind === 'share' ? [0, 1] : [0, Infinity];
    const values = points.flatMap((p) => {
      const t = p.targets.find((x) => x.target === text);
      if (!t?.value || t.value.mean === null) return [];
      const c = within(t.value, lo, hi);
      const plan = planLabel(p.values);
      return [
        {
          plan,
          cost: perWeek(p.cost, options.measuredMinutes),
          value: c.mean,
          lower: c.lower,
          upper: c.upper,
          status:
            plan === bestLabel
              ? 'cheapest meeting every target'
              : p.reason === 'sweep' && !options.goals?.length
                ? 'swept plan'
                : p.feasible
                  ? 'meets every target'
                  : 'misses a target',
        },
      ];
    });
    const y = {
      type: 'quantitative',
      scale: kind === 'share' ? { domain: [0, 1] } : { zero: false },
      ...(kind === 'share' ? { axis: { format: '%' } } : {}),
    };
    const x = {
      field: 'cost',
      type: 'quantitative',
      scale: { zero: false },
      title: `cost per week, ${unit}`,
    };
    return {
      title: {
        text: metricWords(metric, options.scenario),
        ...(goal ? { subtitle: `goal ${goalText(goal)}` } : {}),
      },
      width: 340,
      height: 260,
      data: { values },
      layer: [
        {
          mark: 'rule',
          encoding: {
            x,
            y: { field: 'lower', ...y, title: metricWords(metric, options.scenario) },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x,
            y: { field: 'value', ...y },
            color: {
              field: 'status',
              type: 'nominal',
              title: null,
              legend: { labelLimit: 260 },
              scale: {
                domain: [
                  'cheapest meeting every target',
                  'meets every target',
                  'misses a target',
                  'swept plan',
                ],
                range: ['#15803d', '#4ade80', '#9ca3af', '#2563eb'],
              },
            },
            tooltip: [
              { field: 'plan' },
              { field: 'cost', format: ',.0f', title: `cost per week, ${unit}` },
              { field: 'value' },
            ],
          },
        },
        {
          name: `plan_labels_${k}`,
          mark: { type: 'text', dy: -9, fontSize: 9, color: '#374151' },
          encoding: { x, y: { field: 'value', ...y }, text: { field: 'plan' } },
        },
        ...(goal
          ? [
              {
                name: `goal_${k}`,
                data: { values: [{ goal: goal.value, goalText: `goal ${goalText(goal)}` }] },
                mark: { type: 'rule', color: GOAL_COLOR, strokeWidth: 2 },
                encoding: { y: { field: 'goal', type: 'quantitative' }, tooltip: [{ field: 'goalText' }] },
              },
            ]
          : []),
      ],
    };
  });
  return {
    $schema: SCHEMA,
    title: {
      text: 'Cost against service for the explored plans (95% CI)',
      subtitle: 'each point is a plan; red line: the goal',
    },
    hconcat: panels,
    resolve: { scale: { color: 'shared' } },
  };
}

/** Paired differences between two plans (other - base) per priority, with 95% intervals. */
export function differenceChart(d: PlanDifference, base: string, other: string): Spec {
  const stats = [
    ['respondAttainment', 'respond SLA (percentage points)', 100],
    ['resolveAttainment', 'resolve SLA (percentage points)', 100],
    ['respondMean', 'mean time to respond (minutes)', 1],
    ['resolveMean', 'mean time to resolve (minutes)', 1],
  ] as const;
  const values = Object.entries(d.priorities).flatMap(([p, t]) =>
    stats.flatMap(([key, label, scale]) => {
      const i = t[key];
      if (i.mean === null) return [];
      return [
        {
          priority: p,
          stat: label,
          difference: scale * i.mean,
          lower: scale * (i.lower ?? i.mean),
          upper: scale * (i.upper ?? i.mean),
        },
      ];
    }),
  );
  return {
    $schema: SCHEMA,
    title: `${other} minus ${base} (paired, common random numbers, 95% CI)`,
    data: { values },
    facet: { column: { field: 'stat', type: 'nominal', sort: stats.map(([, l]) => l), title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 150,
      height: 200,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'priority', type: 'nominal', title: null, axis: { labelAngle: 0 } },
            y: { field: 'difference', type: 'quantitative', title: `${other} minus ${base}` },
          },
        },
        {
          mark: { type: 'errorbar', ticks: true, color: '#111827' },
          encoding: {
            x: { field: 'priority', type: 'nominal' },
            y: { field: 'lower', type: 'quantitative', title: `${other} minus ${base}` },
            y2: { field: 'upper' },
          },
        },
      ],
    },
  };
}
