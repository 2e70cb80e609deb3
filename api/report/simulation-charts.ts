/**
 * Vega-Lite specs (plain JSON, rendered by whoever writes the report) for experiment results:
 * SLA attainment per priority with 95% intervals, waiting-time quantiles per priority, queue length
 * and utilisation over time, SLA attainment against a swept field, and cost against SLA for
 * explored or swept plans. Times in minutes.
 */
import type { PlanDifference } from '../../simulation/experiments/compare.ts';
import type { ExploredPoint } from '../../simulation/experiments/optimizer.ts';
import type { ExperimentResult } from '../../simulation/experiments/results.ts';
import type { SweepPoint } from '../../simulation/experiments/sweep.ts';

export type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A tier as charts label it: "P3 [business time]" when its clocks count a business calendar. */
const tierLabel = (p: string, t: { clock?: string }) =>
  t.clock !== undefined && t.clock !== '24/7' ? `${p} [${t.clock} time]` : p;
const CLOCKS = ['respond', 'onsite', 'resolve'] as const;

/** SLA attainment per priority and clock, with the 95% interval as an error bar. */
export function slaChart(r: ExperimentResult): Spec {
  const values = Object.entries(r.priorities).flatMap(([p, t]) =>
    CLOCKS.flatMap((clock) => {
      const sla = t[clock]?.sla;
      if (!sla || sla.attainment.mean === null) return [];
      const a = sla.attainment;
      return [
        {
          priority: tierLabel(p, t),
          clock,
          attainment: a.mean,
          lower: a.lower ?? a.mean,
          upper: a.upper ?? a.mean,
        },
      ];
    }),
  );
  return {
    $schema: SCHEMA,
    title: 'SLA attainment (95% CI)',
    data: { values },
    facet: { column: { field: 'clock', type: 'nominal', sort: [...CLOCKS] } },
    spec: {
      width: 180,
      height: 180,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'priority', type: 'nominal' },
            y: {
              field: 'attainment',
              type: 'quantitative',
              scale: { domain: [0, 1] },
              axis: { format: '%' },
            },
          },
        },
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x: { field: 'priority', type: 'nominal' },
            y: { field: 'lower', type: 'quantitative' },
            y2: { field: 'upper' },
          },
        },
      ],
    },
  };
}

/** Waiting (respond) and resolve time quantiles per priority, with 95% intervals. */
export function waitChart(r: ExperimentResult): Spec {
  const values = Object.entries(r.priorities).flatMap(([p, t]) =>
    (['respond', 'resolve'] as const).flatMap((clock) =>
      (['mean', 'p50', 'p90', 'p95'] as const).flatMap((stat) => {
        const i = t[clock][stat];
        if (i.mean === null) return [];
        return [
          {
            priority: tierLabel(p, t),
            clock,
            stat,
            minutes: i.mean,
            lower: i.lower ?? i.mean,
            upper: i.upper ?? i.mean,
          },
        ];
      }),
    ),
  );
  return {
    $schema: SCHEMA,
    title: 'Time to respond and to resolve per priority: mean and quantiles (minutes, 95% CI)',
    data: { values },
    facet: { column: { field: 'clock', type: 'nominal' } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        {
          mark: { type: 'point', filled: true },
          encoding: {
            x: { field: 'stat', type: 'ordinal', sort: ['p50', 'mean', 'p90', 'p95'] },
            y: { field: 'minutes', type: 'quantitative' },
            color: { field: 'priority', type: 'nominal' },
            xOffset: { field: 'priority' },
          },
        },
        {
          mark: 'rule',
          encoding: {
            x: { field: 'stat', type: 'ordinal', sort: ['p50', 'mean', 'p90', 'p95'] },
            xOffset: { field: 'priority' },
            y: { field: 'lower', type: 'quantitative' },
            y2: { field: 'upper' },
            color: { field: 'priority', type: 'nominal' },
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
  const values = Object.entries(r.series.pools).flatMap(([pool, s]) =>
    s.busy.flatMap((_, k) => [
      { pool, hours: ((k + 0.5) * bin) / 60, measure: 'queue length', value: s.queue[k] },
      { pool, hours: ((k + 0.5) * bin) / 60, measure: 'utilisation', value: s.utilisation[k] },
    ]),
  );
  const peaks = (r.config.peaks ?? []).map((p) => ({ name: p.name, from: p.from, to: p.to }));
  return {
    $schema: SCHEMA,
    title: `Queue length and utilisation over time (mean of ${r.replications} replications, ${bin}-minute bins)`,
    data: { values },
    facet: { row: { field: 'measure', type: 'nominal' } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 760,
      height: 150,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1 },
      encoding: {
        x: { field: 'hours', type: 'quantitative', title: 'hours since start (Monday 00:00)' },
        y: { field: 'value', type: 'quantitative' },
        color: { field: 'pool', type: 'nominal' },
      },
    },
    ...(peaks.length
      ? { description: `peak windows: ${peaks.map((p) => `${p.name} ${p.from}-${p.to}`).join(', ')}` }
      : {}),
  };
}

/** SLA attainment against the swept field (first varied path), one line per priority and clock. */
export function sweepChart(points: SweepPoint[]): Spec {
  const field = Object.keys(points[0]?.values ?? {})[0] ?? 'point';
  const values = points.flatMap((pt, i) =>
    Object.entries(pt.result.priorities).flatMap(([p, t]) =>
      CLOCKS.flatMap((clock) => {
        const a = t[clock]?.sla?.attainment;
        if (!a || a.mean === null) return [];
        const others = Object.entries(pt.values)
          .filter(([k]) => k !== field)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        return [
          {
            x: pt.values[field] ?? i,
            series: `${p} ${clock}${others ? ` (${others})` : ''}`,
            attainment: a.mean,
            lower: a.lower ?? a.mean,
            upper: a.upper ?? a.mean,
          },
        ];
      }),
    ),
  );
  return {
    $schema: SCHEMA,
    title: `SLA attainment against ${field} (95% CI)`,
    data: { values },
    width: 600,
    height: 300,
    encoding: {
      x: { field: 'x', type: 'quantitative', title: field, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.2 },
        encoding: { y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'attainment', type: 'quantitative', axis: { format: '%' }, title: 'SLA attainment' },
        },
      },
    ],
  };
}

/** Cost against each target's value for the plans an optimiser explored (met: filled). */
export function frontierChart(points: ExploredPoint[]): Spec {
  const values = points.flatMap((p) =>
    p.targets.map((t) => ({
      plan: Object.entries(p.values)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      cost: p.cost,
      target: t.target,
      value: t.value?.mean ?? null,
      lower: t.value?.lower ?? t.value?.mean ?? null,
      upper: t.value?.upper ?? t.value?.mean ?? null,
      feasible: p.reason === 'sweep' ? 'swept plan' : p.feasible ? 'meets every target' : 'misses a target',
    })),
  );
  return {
    $schema: SCHEMA,
    title: 'Cost against service for the explored plans (95% CI)',
    data: { values },
    facet: { column: { field: 'target', type: 'nominal' } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 320,
      height: 260,
      layer: [
        {
          mark: 'rule',
          encoding: {
            x: { field: 'cost', type: 'quantitative', scale: { zero: false } },
            y: { field: 'lower', type: 'quantitative', scale: { zero: false }, title: 'value' },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            x: { field: 'cost', type: 'quantitative' },
            y: { field: 'value', type: 'quantitative' },
            color: { field: 'feasible', type: 'nominal', title: null },
            tooltip: [{ field: 'plan' }, { field: 'cost' }, { field: 'value' }],
          },
        },
      ],
    },
  };
}

/** Sweep points as explored points (cost against each tier's respond SLA), for the frontier chart. */
export function sweepAsExplored(points: SweepPoint[]): ExploredPoint[] {
  return points.map((p) => ({
    values: p.values,
    cost: p.cost,
    feasible: true,
    reason: 'sweep',
    targets: Object.entries(p.result.priorities).flatMap(([tier, t]) =>
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
    ),
  }));
}

/** Paired differences between two plans (other - base) per priority, with 95% intervals. */
export function differenceChart(d: PlanDifference, base: string, other: string): Spec {
  const stats = [
    ['respondAttainment', 'respond SLA'],
    ['resolveAttainment', 'resolve SLA'],
    ['respondMean', 'respond mean (min)'],
    ['resolveMean', 'resolve mean (min)'],
  ] as const;
  const values = Object.entries(d.priorities).flatMap(([p, t]) =>
    stats.flatMap(([key, label]) => {
      const i = t[key];
      if (i.mean === null) return [];
      return [
        { priority: p, stat: label, difference: i.mean, lower: i.lower ?? i.mean, upper: i.upper ?? i.mean },
      ];
    }),
  );
  return {
    $schema: SCHEMA,
    title: `${other} minus ${base} (paired, common random numbers, 95% CI)`,
    data: { values },
    facet: { column: { field: 'stat', type: 'nominal', sort: stats.map(([, l]) => l) } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 150,
      height: 200,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'priority', type: 'nominal' },
            y: { field: 'difference', type: 'quantitative' },
          },
        },
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x: { field: 'priority', type: 'nominal' },
            y: { field: 'lower', type: 'quantitative' },
            y2: { field: 'upper' },
          },
        },
      ],
    },
  };
}
