/**
 * One replication: build the model with the replication's own random streams, run it, and
 * summarise it as plain numbers (no histograms or tickets leave a replication, so results stay
 * small and memory stays flat whatever the ticket count).
 */
import { buildModel } from '../scenario/build-model.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { ServiceModel } from './service-model.ts';
import type { SlaClock, TierClocks } from './sla-clocks.ts';

export interface ClockSummary {
  /** clocks that stopped within the run */
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  max: number;
  /** share of stopped clocks above zero, in the clock's time (for a 24/7 respond clock: the probability of waiting) */
  delayed: number;
  /** clocks still running at the horizon, and how many of those had already missed the target */
  censored: number;
  censoredBreached: number;
  /** SLA target (NaN: none) and attainment = met / (stopped + censored-and-breached) */
  target: number;
  attainment: number;
}

export interface TierSummary {
  /** what the SLA clocks count: "24/7", or the name of the tier's business calendar */
  clock: string;
  /** measured tickets opened, resolved, and still open at the horizon */
  count: number;
  resolved: number;
  open: number;
  openMeanAge: number;
  openMaxAge: number;
  raised: number;
  escalated: number;
  /** tickets that gave up waiting (all, and before a first response) */
  abandoned: number;
  abandonedUnanswered: number;
  /** P(wait) over answered and abandoned-unanswered tickets; P(abandon) over arrivals decided (elapsed time) */
  pWait: number;
  pAbandon: number;
  /** mean wait for a first response over answered and abandoned tickets (E[Lq]/lambda; elapsed time) */
  meanWaitAll: number;
  respond: ClockSummary;
  onsite: ClockSummary;
  resolve: ClockSummary;
}

export interface PoolSummary {
  /** busy staff-time / on-duty staff-time */
  utilisation: number;
  meanOnDuty: number;
  meanBusy: number;
  meanQueue: number;
  /** paid staff-hours: on duty plus the scheduled time lost to shrinkage */
  staffHours: number;
  cost: number;
  preemptions: number;
  abandoned: number;
}

export interface StageSummary {
  entered: number;
  started: number;
  meanWait: number;
  /** share picked up within the stage's pickup target (NaN: no target) */
  pickupAttainment: number;
  escalated: number;
  preempted: number;
  abandoned: number;
}

export interface ReplicationResult {
  replication: number;
  seed: number;
  /** tickets simulated (arrivals and backlog, warm-up included) and events processed */
  tickets: number;
  events: number;
  wallSeconds: number;
  /** length of the measurement window (end - warm-up) */
  window: number;
  tiers: Partial<Record<(typeof PRIORITIES)[number], TierSummary>>;
  pools: Record<string, PoolSummary>;
  stages: Record<string, StageSummary>;
  /** Little's law terms over the window: L (mean open), lambda (arrival rate), W (mean resolve) */
  system: { meanOpen: number; arrivalRate: number; meanResolve: number };
  /** tiers of tickets opened inside and outside the peak windows (only with a peak calendar) */
  windows?: { peak: ReplicationResult['tiers']; offPeak: ReplicationResult['tiers'] };
  /**
   * open tickets and each pool's line one `period` before the end and at the end (null: the run
   * ended before the horizon, or its window is too short to judge): a line longer at the same phase
   * of the next cycle is still growing
   */
  growth: {
    period: number;
    open: [number, number];
    waiting: Record<string, [number, number]>;
  } | null;
  /** arrivals per tier per bin (only when the scenario asks for series) */
  series?: {
    bin: number;
    arrivals: Partial<Record<(typeof PRIORITIES)[number], number[]>>;
    /** per pool, per bin: mean busy staff, mean staff on duty, mean queue length */
    pools: Record<string, { busy: number[]; onDuty: number[]; queue: number[] }>;
  };
}

export interface ReplicationOptions {
  replication: number;
  seed: number;
  baseDir?: string;
  onProgress?: (fraction: number) => void;
}

export function runReplication(scenario: Scenario, options: ReplicationOptions): ReplicationResult {
  const model = buildModel(scenario, options);
  const t0 = performance.now();
  model.run(options.onProgress);
  const wallSeconds = (performance.now() - t0) / 1000;
  return summarise(model, scenario, options, wallSeconds);
}

function clockSummary(c: SlaClock): ClockSummary {
  const h = c.histogram;
  return {
    n: h.n,
    mean: h.mean,
    p50: h.quantile(0.5),
    p90: h.quantile(0.9),
    p95: h.quantile(0.95),
    max: h.n > 0 ? h.max : NaN,
    delayed: h.positiveFraction,
    censored: c.censored,
    censoredBreached: c.censoredBreached,
    target: c.target,
    attainment: c.attainment(),
  };
}

export function summarise(
  model: ServiceModel,
  scenario: Scenario,
  options: ReplicationOptions,
  wallSeconds: number,
): ReplicationResult {
  const window = model.endedAt - Math.min(model.warmup, model.endedAt);
  const tiers = tierSummaries(model.clocks, scenario);
  let arrived = 0;
  let resolveSum = 0;
  let resolved = 0;
  for (const p of PRIORITIES) {
    if (!scenario.priorities[p]) continue;
    const c = model.clocks[PRIORITIES.indexOf(p)];
    arrived += c.arrived;
    resolveSum += c.resolve.wallSum; // Little's W: elapsed time, whatever the tier's SLA clock
    resolved += c.resolve.histogram.n;
  }
  const pools: Record<string, PoolSummary> = {};
  for (const pool of model.pools) {
    pools[pool.name] = {
      utilisation: pool.staffArea > 0 ? pool.busyArea / pool.staffArea : NaN,
      meanOnDuty: window > 0 ? pool.staffArea / window : NaN,
      meanBusy: window > 0 ? pool.busyArea / window : NaN,
      meanQueue: window > 0 ? pool.queueArea / window : NaN,
      // paid hours: shrinkage (breaks, absence) is paid but not on duty
      staffHours: pool.paidArea / 60,
      cost: (pool.paidArea / 60) * pool.costPerHour,
      preemptions: pool.preemptions,
      abandoned: pool.abandoned,
    };
  }
  const stages: Record<string, StageSummary> = {};
  for (const s of model.stages) {
    stages[s.name] = {
      entered: s.entered,
      started: s.started,
      meanWait: s.started > 0 ? s.waitSum / s.started : NaN,
      pickupAttainment: Number.isNaN(s.pickupTarget) || s.started === 0 ? NaN : s.pickupMet / s.started,
      escalated: s.escalated,
      preempted: s.preempted,
      abandoned: s.abandoned,
    };
  }
  return {
    replication: options.replication,
    seed: options.seed,
    tickets: model.ticketsCreated,
    events: model.events,
    wallSeconds,
    window,
    tiers,
    pools,
    stages,
    growth:
      model.endedAt >= model.horizon && !Number.isNaN(model.openBeforeGrowthPeriod)
        ? {
            period: model.growthPeriod,
            open: [model.openBeforeGrowthPeriod, model.tickets.open],
            waiting: Object.fromEntries(
              model.pools.map((pool, i) => [pool.name, [model.waitingBeforeGrowthPeriod[i], pool.waiting]]),
            ),
          }
        : null,
    system: {
      meanOpen: model.meanInSystem(),
      arrivalRate: window > 0 ? arrived / window : NaN,
      meanResolve: resolved > 0 ? resolveSum / resolved : NaN,
    },
    ...(model.peakClocks
      ? {
          windows: {
            peak: tierSummaries(model.peakClocks, scenario),
            offPeak: tierSummaries(model.offPeakClocks!, scenario),
          },
        }
      : {}),
    ...(model.arrivalSeries
      ? {
          series: {
            bin: model.seriesBin,
            arrivals: Object.fromEntries(
              PRIORITIES.filter((p) => scenario.priorities[p]).map((p) => [
                p,
                Array.from(model.arrivalSeries![PRIORITIES.indexOf(p)]),
              ]),
            ),
            pools: Object.fromEntries(
              model.pools.map((pool, i) => {
                const s = model.poolSeries![i];
                return [
                  pool.name,
                  { busy: Array.from(s.busy), onDuty: Array.from(s.onDuty), queue: Array.from(s.queue) },
                ];
              }),
            ),
          },
        }
      : {}),
  };
}

function tierSummaries(clocks: readonly TierClocks[], scenario: Scenario): ReplicationResult['tiers'] {
  const tiers: ReplicationResult['tiers'] = {};
  for (const p of PRIORITIES) {
    if (!scenario.priorities[p]) continue;
    const c = clocks[PRIORITIES.indexOf(p)];
    const answered = c.respond.histogram.n;
    const unanswered = c.abandonedUnanswered;
    tiers[p] = {
      clock: c.clock,
      count: c.arrived,
      resolved: c.resolved,
      open: c.openAtHorizon,
      openMeanAge: c.openAtHorizon > 0 ? c.openAgeSum / c.openAtHorizon : NaN,
      openMaxAge: c.openAtHorizon > 0 ? c.openAgeMax : NaN,
      raised: c.raised,
      escalated: c.escalated,
      abandoned: c.abandoned,
      abandonedUnanswered: unanswered,
      pWait:
        answered + unanswered > 0
          ? (answered * c.respond.wallPositiveFraction + unanswered) / (answered + unanswered)
          : NaN,
      pAbandon: answered + unanswered > 0 ? unanswered / (answered + unanswered) : NaN,
      meanWaitAll:
        answered + unanswered > 0 ? (c.respond.wallSum + c.abandonedWaitSum) / (answered + unanswered) : NaN,
      respond: clockSummary(c.respond),
      onsite: clockSummary(c.onsite),
      resolve: clockSummary(c.resolve),
    };
  }
  return tiers;
}
