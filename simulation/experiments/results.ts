/**
 * The result of an experiment: every statistic of the replications as a mean with its 95%
 * confidence interval across replications, plus what is needed to reproduce and judge the run
 * (config, seed, code version, timing). Durations are in `timeUnit` (minutes).
 *
 * Intervals are clipped to the quantity's range: shares (SLA attainment, pWait, pAbandon,
 * utilisation, ...) to [0, 1], and every other statistic (counts, durations, queue lengths, hours,
 * costs) to >= 0. The Student t interval is symmetric and knows no range, so with few replications
 * it can reach past 100% or below zero, which no replication can; `halfWidth` stays the t
 * half-width (the interval's precision), `lower` and `upper` are the clipped ends.
 */
import { codeVersion } from '../../core/index.ts';
import { TIME_UNIT } from '../scenario/build-model.ts';
import { confidenceInterval, type Interval } from '../../core/statistics/confidence-interval.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';
import type { ClockSummary, ReplicationResult } from '../engine/replication.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { resultWarnings, type ResultWarning } from './result-warnings.ts';

export interface ClockResult {
  mean: Interval;
  p50: Interval;
  p90: Interval;
  p95: Interval;
  /** share of stopped clocks above zero; for respond, the probability that a ticket waited */
  delayed: Interval;
  /** clocks stopped within the run, and clocks still running at the horizon (per replication) */
  stopped: Interval;
  censored: Interval;
  sla: { target: number | null; attainment: Interval; censoredBreached: Interval } | null;
}

export interface PriorityResult {
  /**
   * what the SLA clocks count: "24/7", or the name of the tier's business calendar, in whose open
   * time respond / onsite / resolve (means, quantiles, delayed, attainment) are then given
   */
  clock: string;
  count: Interval;
  resolved: Interval;
  openAtHorizon: { count: Interval; meanAge: Interval; maxAge: Interval };
  raised: Interval;
  escalated: Interval;
  /** tickets that gave up waiting, and the shares of arrivals that waited and that abandoned */
  abandoned: Interval;
  pWait: Interval;
  pAbandon: Interval;
  /** mean wait for a first response over answered and abandoned tickets */
  meanWaitAll: Interval;
  respond: ClockResult;
  onsite: ClockResult | null;
  resolve: ClockResult;
}

export interface PoolResult {
  utilisation: Interval;
  meanOnDuty: Interval;
  meanBusy: Interval;
  meanQueue: Interval;
  staffHours: Interval;
  cost: Interval;
  preemptions: Interval;
  abandoned: Interval;
}

export interface StageResult {
  entered: Interval;
  meanWait: Interval;
  pickupAttainment: Interval | null;
  escalated: Interval;
  preempted: Interval;
  abandoned: Interval;
}

export interface ExperimentResult {
  scenario: string;
  /** the unit of every duration in this result (waits, ages, horizon); rates are per this unit */
  timeUnit: typeof TIME_UNIT;
  seed: number;
  replications: number;
  codeVersion: string;
  horizon: number;
  warmup: number;
  /** wall-clock seconds for the whole experiment (workers included) */
  wallSeconds: number;
  /** tickets simulated over all replications, per wall second of the experiment */
  tickets: number;
  ticketsPerSecond: number;
  /** tickets per second of one replication's event loop (the engine's own speed) */
  engineTicketsPerSecond: number;
  workers: number;
  priorities: Partial<Record<(typeof PRIORITIES)[number], PriorityResult>>;
  pools: Record<string, PoolResult>;
  stages: Record<string, StageResult>;
  /** Little's law terms over the measurement window: L, lambda, W (L = lambda W) */
  system: { meanOpen: Interval; arrivalRate: Interval; meanResolve: Interval };
  /** per-priority results for tickets opened inside and outside the peak windows (null: no peaks) */
  windows: {
    peak: Partial<Record<(typeof PRIORITIES)[number], PriorityResult>>;
    offPeak: Partial<Record<(typeof PRIORITIES)[number], PriorityResult>>;
  } | null;
  /** mean arrivals per tier per bin across replications (null: not asked for) */
  series: {
    bin: number;
    arrivals: Partial<Record<(typeof PRIORITIES)[number], number[]>>;
    /** per pool, per bin, means across replications: busy staff, staff on duty, queue, utilisation */
    pools: Record<string, { busy: number[]; onDuty: number[]; queue: number[]; utilisation: number[] }>;
  } | null;
  /** what the arrival sources read: per replayed log, rows, tickets, duplicates, rejected rows */
  inputs: ReplayReport[];
  config: Scenario;
  perReplication: ReplicationResult[];
  /** what should not be read at face value: overload, censoring, a short warm-up, too few replications */
  warnings: ResultWarning[];
}

/** The interval with its ends clipped to [lo, hi] (the range the quantity can take). */
export function clampInterval(interval: Interval, lo: number, hi: number): Interval {
  const { lower, upper } = interval;
  return {
    ...interval,
    lower: lower === null ? null : Math.min(hi, Math.max(lo, lower)),
    upper: upper === null ? null : Math.max(lo, Math.min(hi, upper)),
  };
}

/** Mean and 95% interval of a non-negative quantity (count, duration, hours, cost) across replications. */
const across = <T>(items: T[], pick: (x: T) => number): Interval =>
  clampInterval(confidenceInterval(items.map(pick)), 0, Infinity);
/** Mean and 95% interval of a share (0 to 1) across replications. */
const share = <T>(items: T[], pick: (x: T) => number): Interval =>
  clampInterval(confidenceInterval(items.map(pick)), 0, 1);

function clockResult(clocks: ClockSummary[]): ClockResult {
  const target = clocks[0].target;
  return {
    mean: across(clocks, (c) => c.mean),
    p50: across(clocks, (c) => c.p50),
    p90: across(clocks, (c) => c.p90),
    p95: across(clocks, (c) => c.p95),
    delayed: share(clocks, (c) => c.delayed),
    stopped: across(clocks, (c) => c.n),
    censored: across(clocks, (c) => c.censored),
    sla: Number.isNaN(target)
      ? null
      : {
          target,
          attainment: share(clocks, (c) => c.attainment),
          censoredBreached: across(clocks, (c) => c.censoredBreached),
        },
  };
}

export interface RunInfo {
  scenario: Scenario;
  horizon: number;
  warmup: number;
  wallSeconds: number;
  workers: number;
  inputs?: ReplayReport[];
}

function meanSeries(reps: ReplicationResult[]): NonNullable<ExperimentResult['series']> {
  const arrivals: NonNullable<ExperimentResult['series']>['arrivals'] = {};
  for (const p of PRIORITIES) {
    const first = reps[0].series!.arrivals[p];
    if (!first) continue;
    arrivals[p] = first.map(
      (_, k) => reps.reduce((sum, r) => sum + r.series!.arrivals[p]![k], 0) / reps.length,
    );
  }
  const mean = (pick: (r: ReplicationResult) => number[]) =>
    pick(reps[0]).map((_, k) => reps.reduce((sum, r) => sum + pick(r)[k], 0) / reps.length);
  const pools: NonNullable<ExperimentResult['series']>['pools'] = {};
  for (const name of Object.keys(reps[0].series!.pools)) {
    const busy = mean((r) => r.series!.pools[name].busy);
    const onDuty = mean((r) => r.series!.pools[name].onDuty);
    pools[name] = {
      busy,
      onDuty,
      queue: mean((r) => r.series!.pools[name].queue),
      utilisation: busy.map((b, k) => (onDuty[k] > 0 ? b / onDuty[k] : 0)),
    };
  }
  return { bin: reps[0].series!.bin, arrivals, pools };
}

export interface ReplayReport {
  arrival: number;
  file: string;
  origin: string;
  rows: number;
  tickets: number;
  duplicates: number;
  rejectedCount: number;
  /** the first rejected rows, with line and reason */
  rejected: { line: number; reason: string }[];
}

function priorityResults(perRep: ReplicationResult['tiers'][]): ExperimentResult['priorities'] {
  const priorities: ExperimentResult['priorities'] = {};
  for (const p of PRIORITIES) {
    const tiers = perRep.map((r) => r[p]).filter((t) => t !== undefined);
    if (tiers.length === 0) continue;
    const hasOnsite = tiers.some((t) => t.onsite.n > 0 || t.onsite.censored > 0);
    priorities[p] = {
      clock: tiers[0].clock,
      count: across(tiers, (t) => t.count),
      resolved: across(tiers, (t) => t.resolved),
      openAtHorizon: {
        count: across(tiers, (t) => t.open),
        meanAge: across(tiers, (t) => t.openMeanAge),
        maxAge: across(tiers, (t) => t.openMaxAge),
      },
      raised: across(tiers, (t) => t.raised),
      escalated: across(tiers, (t) => t.escalated),
      abandoned: across(tiers, (t) => t.abandoned),
      pWait: share(tiers, (t) => t.pWait),
      pAbandon: share(tiers, (t) => t.pAbandon),
      meanWaitAll: across(tiers, (t) => t.meanWaitAll),
      respond: clockResult(tiers.map((t) => t.respond)),
      onsite: hasOnsite ? clockResult(tiers.map((t) => t.onsite)) : null,
      resolve: clockResult(tiers.map((t) => t.resolve)),
    };
  }
  return priorities;
}

export function aggregate(reps: ReplicationResult[], info: RunInfo): ExperimentResult {
  const priorities = priorityResults(reps.map((r) => r.tiers));
  const pools: Record<string, PoolResult> = {};
  for (const name of Object.keys(reps[0].pools)) {
    const ps = reps.map((r) => r.pools[name]);
    pools[name] = {
      utilisation: share(ps, (p) => p.utilisation),
      meanOnDuty: across(ps, (p) => p.meanOnDuty),
      meanBusy: across(ps, (p) => p.meanBusy),
      meanQueue: across(ps, (p) => p.meanQueue),
      staffHours: across(ps, (p) => p.staffHours),
      cost: across(ps, (p) => p.cost),
      preemptions: across(ps, (p) => p.preemptions),
      abandoned: across(ps, (p) => p.abandoned),
    };
  }
  const stages: Record<string, StageResult> = {};
  for (const name of Object.keys(reps[0].stages)) {
    const ss = reps.map((r) => r.stages[name]);
    stages[name] = {
      entered: across(ss, (s) => s.entered),
      meanWait: across(ss, (s) => s.meanWait),
      pickupAttainment: ss.every((s) => Number.isNaN(s.pickupAttainment))
        ? null
        : share(ss, (s) => s.pickupAttainment),
      escalated: across(ss, (s) => s.escalated),
      preempted: across(ss, (s) => s.preempted),
      abandoned: across(ss, (s) => s.abandoned),
    };
  }
  const tickets = reps.reduce((sum, r) => sum + r.tickets, 0);
  const loopSeconds = reps.reduce((sum, r) => sum + r.wallSeconds, 0);
  const result: Omit<ExperimentResult, 'warnings'> = {
    scenario: info.scenario.name,
    timeUnit: TIME_UNIT,
    seed: info.scenario.seed,
    replications: reps.length,
    codeVersion: codeVersion(),
    horizon: info.horizon,
    warmup: info.warmup,
    wallSeconds: info.wallSeconds,
    tickets,
    ticketsPerSecond: tickets / info.wallSeconds,
    engineTicketsPerSecond: tickets / loopSeconds,
    workers: info.workers,
    priorities,
    pools,
    stages,
    system: {
      meanOpen: across(reps, (r) => r.system.meanOpen),
      arrivalRate: across(reps, (r) => r.system.arrivalRate),
      meanResolve: across(reps, (r) => r.system.meanResolve),
    },
    windows: reps[0].windows
      ? {
          peak: priorityResults(reps.map((r) => r.windows!.peak)),
          offPeak: priorityResults(reps.map((r) => r.windows!.offPeak)),
        }
      : null,
    series: reps[0].series ? meanSeries(reps) : null,
    inputs: info.inputs ?? [],
    config: info.scenario,
    perReplication: reps,
  };
  return { ...result, warnings: resultWarnings(result) };
}

/** A plan's cost: the sum over pools of the mean staffed hours x cost per hour. */
export const planCost = (r: ExperimentResult): number =>
  Object.values(r.pools).reduce((s, p) => s + (p.cost.mean ?? 0), 0);
