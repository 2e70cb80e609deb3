/**
 * Simulation results in a planner's words and units: plans ("agents=4 engineers=9"), swept fields
 * ("agents staff at peak (shifts scaled)"), target metrics ("P1 responded to within 15m"), costs
 * with their currency and period ("cost per week, EUR"). Shared by the charts, the HTML tables and
 * the text summaries. Only light imports (the CLI loads this without the simulator).
 */
import { formatDuration, parseDuration } from '../../core/duration.ts';
import type { Interval } from '../../core/statistics/confidence-interval.ts';
import type { ExperimentResult } from '../../simulation/experiments/results.ts';
import type { Scenario } from '../../simulation/scenario/scenario.ts';
import { STAFF_FIELD } from '../../simulation/scenario/pool-staff.ts';

export const WEEK_MINUTES = 7 * 24 * 60;

/** A staff count (a pool's size or staff level): whole numbers, drawn on integer axes. */
export const isStaffField = (path: string): boolean => STAFF_FIELD.test(path);

/** A plan's field by its short name: `pools.agents.size` and `pools.agents.staff` are "agents". */
export const shortField = (path: string): string => STAFF_FIELD.exec(path)?.[1] ?? path;

/** A plan as a planner writes it: "agents=4 engineers=9". */
export const planLabel = (values: Record<string, number | string>): string =>
  Object.entries(values)
    .map(([k, v]) => `${shortField(k)}=${v}`)
    .join(' ');

/** A swept field in words, for axis titles (the path itself when it has no name here). */
export function fieldTitle(
  path: string,
  scenario?: Pick<Scenario, 'pools' | 'arrivals' | 'currency'>,
): string {
  let m: RegExpExecArray | null;
  if ((m = /^pools\.([^.[\]]+)\.staff$/.exec(path))) return `${m[1]} staff at peak (shifts scaled)`;
  if ((m = /^pools\.([^.[\]]+)\.size$/.exec(path)))
    return scenario?.pools[m[1]]?.shifts ? `${m[1]} base size (hours no shift covers)` : `${m[1]} on duty`;
  if ((m = /^pools\.([^.[\]]+)\.costPerHour$/.exec(path)))
    return `${m[1]} cost per hour, ${costUnit(scenario?.currency)}`;
  if ((m = /^pools\.([^.[\]]+)\.shrinkage$/.exec(path))) return `${m[1]} shrinkage (share of paid time)`;
  if ((m = /^arrivals\[(\d+)\]\.(poisson|profile)\.perHour$/.exec(path)))
    return (scenario?.arrivals.length ?? 2) > 1
      ? `arrival source ${Number(m[1]) + 1}: tickets per hour`
      : 'arrivals: tickets per hour';
  if ((m = /^priorities\.(P[1-4])\.(respond|onsite|resolve)$/.exec(path)))
    return `${m[1]} ${CLOCK_NOUN[m[2] as Clock]} target`;
  return path;
}

export type Clock = 'respond' | 'onsite' | 'resolve';
export const CLOCKS: readonly Clock[] = ['respond', 'onsite', 'resolve'];
/** the clock as a noun: "time to respond" */
export const CLOCK_NOUN: Record<Clock, string> = {
  respond: 'time to respond',
  onsite: 'time to be on site',
  resolve: 'time to resolve',
};
/** the clock as a verb phrase before "within T": "responded to within 15m" */
const CLOCK_DONE: Record<Clock, string> = { respond: 'responded to', onsite: 'on site', resolve: 'resolved' };
const STAT_WORDS: Record<string, string> = {
  mean: 'mean',
  p50: 'median',
  p90: '90th percentile',
  p95: '95th percentile',
};

/** A tier as charts and tables name it: "P3 [business time]" when its clocks count a calendar. */
export const tierLabel = (p: string, t: { clock?: string }): string =>
  t.clock !== undefined && t.clock !== '24/7' ? `${p} [${t.clock} time]` : p;

/** A duration in minutes as people write it: 15m, 2h, 1d 4h. */
export const minutesText = (m: number): string => (m === 0 ? '0m' : formatDuration(m * 60_000));

/** The tier's time target of a clock in minutes (null: none). */
export function clockTarget(
  scenario: Pick<Scenario, 'priorities'>,
  tier: string,
  clock: Clock,
): number | null {
  const t = scenario.priorities[tier as 'P1']?.[clock];
  return t === undefined ? null : parseDuration(t, `priorities.${tier}.${clock}`, 'm') / 60_000;
}

/** What a target's metric measures: a share (0-1), minutes, tickets, or money. */
export type MetricKind = 'share' | 'minutes' | 'tickets' | 'money';

export function metricKind(metric: string): MetricKind {
  const parts = metric.split('.');
  const last = parts[parts.length - 1];
  if (parts[0] === 'pools') return last === 'utilisation' ? 'share' : last === 'cost' ? 'money' : 'tickets';
  if (last === 'sla' || last === 'pWait' || last === 'pAbandon') return 'share';
  return 'minutes';
}

/** A target's metric in words, e.g. "P1 responded to within 15m", "agents utilisation". */
export function metricWords(metric: string, scenario?: Pick<Scenario, 'priorities' | 'currency'>): string {
  const parts = metric.split('.');
  let where = '';
  if (parts[0] === 'peak' || parts[0] === 'offPeak') {
    where = parts[0] === 'peak' ? ' (opened inside peaks)' : ' (opened outside peaks)';
    parts.shift();
  }
  if (parts[0] === 'pools') {
    const stat = parts[2];
    const words =
      stat === 'utilisation'
        ? 'utilisation'
        : stat === 'meanQueue'
          ? 'mean queue (tickets)'
          : `cost, ${costUnit(scenario?.currency)}`;
    return `${parts[1]} ${words}`;
  }
  const [tier, a, b] = parts;
  if (a === 'pWait') return `${tier} share that waited${where}`;
  if (a === 'pAbandon') return `${tier} share abandoned${where}`;
  const clock = a as Clock;
  if (b === 'sla') {
    const T = scenario ? clockTarget(scenario, tier, clock) : null;
    const cal = scenario?.priorities[tier as 'P1']?.calendar;
    return `${tier} ${CLOCK_DONE[clock] ?? clock} within ${T === null ? 'target' : minutesText(T)}${cal ? ` (${cal} time)` : ''}${where}`;
  }
  return `${tier} ${CLOCK_NOUN[clock] ?? clock}, ${STAT_WORDS[b] ?? b} (minutes)${where}`;
}

/** A value of a metric in its unit: 95.0%, 12.5 min, 3.2 tickets, 1,200 EUR. */
export function valueText(kind: MetricKind, v: number | null | undefined, currency?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (kind === 'share') return `${(100 * v).toFixed(1)}%`;
  if (kind === 'minutes') return `${v.toFixed(1)} min`;
  if (kind === 'money') return money(v, currency);
  return v.toFixed(1);
}

/** A goal in words: "≥ 95%", "≤ 4h". */
export const goalText = (t: { op: '>=' | '<='; value: number; metric: string }): string => {
  const kind = metricKind(t.metric);
  const v =
    kind === 'share'
      ? `${+(100 * t.value).toFixed(1)}%`
      : kind === 'minutes'
        ? minutesText(t.value)
        : String(t.value);
  return `${t.op === '>=' ? '≥' : '≤'} ${v}`;
};

/** The unit costs are in: the scenario's currency, else "cost units". */
export const costUnit = (currency?: string): string => currency ?? 'cost units';

/** An amount with its unit, whole: "18,900 EUR". */
export const money = (x: number, currency?: string): string =>
  `${Math.round(x).toLocaleString('en')} ${costUnit(currency)}`;

/** Minutes a result's costs and utilisations cover: its measurement window (after the warm-up). */
export function measuredMinutes(
  r: Pick<ExperimentResult, 'horizon' | 'warmup'> & { perReplication?: { window: number }[] },
): number {
  const reps = r.perReplication ?? [];
  if (reps.length > 0) return reps.reduce((s, x) => s + x.window, 0) / reps.length;
  return r.horizon - r.warmup;
}

/** The measurement window of a scenario before it runs: horizon minus warm-up, in minutes. */
export const scenarioMeasuredMinutes = (s: Pick<Scenario, 'horizon' | 'warmup'>): number =>
  parseDuration(s.horizon, 'horizon', 'm') / 60_000 -
  (s.warmup === undefined ? 0 : parseDuration(s.warmup, 'warmup', 'm') / 60_000);

/** A cost over `minutes` as a cost per week. */
export const perWeek = (cost: number, minutes: number): number =>
  minutes > 0 ? (cost * WEEK_MINUTES) / minutes : NaN;

/** A measurement window in words: "35 days", "3.5 days", "1d 12h". */
export const periodWords = (minutes: number): string => {
  const days = minutes / 1440;
  return days >= 2 ? `${+days.toFixed(1)} days` : minutesText(minutes);
};

/** The interval's ends, each within [lo, hi]: what a chart may draw. */
export function within(
  i: Interval,
  lo: number,
  hi: number,
): { mean: number | null; lower: number | null; upper: number | null } {
  const clip = (v: number | null) => (v === null ? null : Math.min(hi, Math.max(lo, v)));
  return { mean: clip(i.mean), lower: clip(i.lower ?? i.mean), upper: clip(i.upper ?? i.mean) };
}

/** "91.4% [90.9, 91.9]": a share with its 95% interval in percent. */
export const shareCi = (i: Interval): string => {
  if (i.mean === null) return '–';
  const c = within(i, 0, 1);
  const ends = i.lower === null ? '' : ` [${(100 * c.lower!).toFixed(1)}, ${(100 * c.upper!).toFixed(1)}]`;
  return `${(100 * i.mean).toFixed(1)}%${ends}`;
};

/** "4.9 [4.8, 5.0]": a non-negative quantity with its 95% interval. */
export const amountCi = (i: Interval, digits = 1): string => {
  if (i.mean === null) return '–';
  const c = within(i, 0, Infinity);
  const ends = i.lower === null ? '' : ` [${c.lower!.toFixed(digits)}, ${c.upper!.toFixed(digits)}]`;
  return `${i.mean.toFixed(digits)}${ends}`;
};
