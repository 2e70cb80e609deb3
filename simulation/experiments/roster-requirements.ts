/**
 * The hourly staffing requirement of a scenario's pool, for `leadtime roster --scenario`: per hour of
 * the week, the arrival rate of the tickets entering a stage the pool serves (Poisson and renewal
 * sources at their mean rate, profile sources with their hour-of-day x day-of-week factors; peak
 * windows and replayed logs are not part of a weekly requirement), the handling time (the stage's
 * mean duration, per tier when `durationByPriority` is given, weighted by each tier's arrivals), and
 * Erlang C (M/M/c, stationary within each hour: the SIPP approach, Green, Kolesar & Soares 2001).
 *
 * On duty: the fewest agents c > a whose share of tickets answered within their tier's `respond`
 * target reaches `serviceLevel` (Erlang C's P(wait <= T_p) = 1 - C(c, a) e^{-(c - a) T_p / AHT},
 * weighted by each tier's arrivals: the overall SLA attainment of a first-come first-served line),
 * raised until occupancy a / c <= maxOccupancy. Required (scheduled): ceil(c / (1 - shrinkage))
 * with the pool's shrinkage, which the simulator turns back into c on duty (shrinkage.ts).
 *
 * A tier whose clocks count a business calendar's open time has no respond target in an hour its
 * calendar is closed all hour (its clock does not run: the ticket may wait for the opening); its
 * work still counts in the hour's load, so the hour is staffed for c > a only. Partly open hours
 * keep the target. Holidays are not part of a weekly requirement.
 */
import { distributionFromSpec, InputError } from '../../core/index.ts';
import { minutes } from '../scenario/build-model.ts';
import { businessCalendar } from '../scenario/builders/calendars.ts';
import { erlangC } from '../queueing/erlang.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';
import type { ArrivalSpec, Scenario } from '../scenario/scenario.ts';
import { scheduledStaff } from '../engine/shrinkage.ts';
import { HOURS_PER_WEEK } from './roster-input.ts';

export interface RequirementOptions {
  /** the pool to staff (default: the pool of the flow's first stage) */
  pool?: string;
  /** the share of tickets to answer within their tier's respond target (default 0.8) */
  serviceLevel?: number;
  /** the highest occupancy allowed (default: no cap) */
  maxOccupancy?: number;
  /** directory that relative empirical-distribution files resolve against */
  baseDir?: string;
}

export interface ScenarioRequirements {
  pool: string;
  shrinkage: number;
  /** staff to schedule per hour-slot of the week (Monday 00:00 first) */
  required: Int32Array;
  /** agents needed on duty per hour-slot */
  onDuty: Int32Array;
  /** tickets per hour reaching the pool, per hour-slot */
  perHour: Float64Array;
  /** mean handling time (minutes), per hour-slot */
  aht: Float64Array;
}

const MINUTE_MS = 60_000;

function normalise(values: readonly number[]): number[] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.map((v) => (mean > 0 ? v / mean : 0));
}

/** Fewest agents meeting the weighted service level and the occupancy cap at `a` Erlangs. */
export function agentsFor(
  a: number,
  aht: number,
  tiers: readonly { share: number; within: number }[],
  serviceLevel: number,
  maxOccupancy?: number,
): number {
  for (let c = Math.floor(a) + 1; c < 100_000; c++) {
    if (maxOccupancy !== undefined && a / c > maxOccupancy + 1e-12) continue;
    if (tiers.length === 0) return c;
    const pWait = erlangC(c, a);
    let sl = 0;
    for (const t of tiers) sl += t.share * (1 - pWait * Math.exp((-(c - a) * t.within) / aht));
    if (sl >= serviceLevel) return c;
  }
  throw new InputError(`no number of agents up to 100000 meets the service level at ${a} Erlangs`);
}

export function requirementsFromScenario(
  scenario: Scenario,
  options: RequirementOptions = {},
): ScenarioRequirements {
  const poolNames = Object.keys(scenario.pools);
  const pool = options.pool ?? scenario.flow[0].pool;
  if (!scenario.pools[pool])
    throw new InputError(`--pool: no pool named "${pool}" (pools are ${poolNames.join(', ')})`);
  const shrinkage = scenario.pools[pool].shrinkage ?? 0;
  const serviceLevel = options.serviceLevel ?? 0.8;
  const dist = (spec: Parameters<typeof distributionFromSpec>[0], field: string) =>
    distributionFromSpec(spec, { unitMs: MINUTE_MS, baseDir: options.baseDir, field });

  // tickets per hour per tier and hour-slot, entering a stage of this pool
  const rate = PRIORITIES.map(() => new Float64Array(HOURS_PER_WEEK));
  const ahtOf = new Map<string, number[]>();
  scenario.arrivals.forEach((a, i) => {
    const kind = Object.keys(a)[0] as keyof typeof a;
    const spec = a[kind] as NonNullable<ArrivalSpec['poisson']> | NonNullable<ArrivalSpec['replay']>;
    const entry = spec.stage ?? scenario.flow[0].stage;
    const stageIndex = scenario.flow.findIndex((s) => s.stage === entry);
    if (stageIndex < 0) throw new InputError(`arrivals[${i}].${kind}.stage: no stage named "${entry}"`);
    const stage = scenario.flow[stageIndex];
    if (stage.pool !== pool) return;
    if (kind === 'replay')
      throw new InputError(
        `arrivals[${i}].replay: a weekly requirement needs a rate; fit a profile to the log first (leadtime fit arrivals)`,
      );
    let perHour: (slot: number) => number;
    if (kind === 'poisson') perHour = () => a.poisson!.perHour;
    else if (kind === 'renewal') {
      const mean = dist(a.renewal!.interarrival, `arrivals[${i}].renewal.interarrival`).mean;
      perHour = () => 60 / mean;
    } else {
      const p = a.profile!;
      const h = normalise(p.hourOfDay ?? new Array(24).fill(1));
      const d = normalise(p.dayOfWeek ?? new Array(7).fill(1));
      perHour = (slot) => p.perHour * h[slot % 24] * d[Math.floor(slot / 24)];
    }
    const mix = (spec as NonNullable<ArrivalSpec['poisson']>).mix;
    const mixTotal = Object.values(mix).reduce((s: number, v) => s + (v ?? 0), 0);
    PRIORITIES.forEach((tier, k) => {
      const share = (mix[tier] ?? 0) / mixTotal;
      if (share === 0) return;
      for (let s = 0; s < HOURS_PER_WEEK; s++) rate[k][s] += perHour(s) * share;
    });
    // handling time per tier at this stage
    ahtOf.set(
      stage.stage,
      PRIORITIES.map((tier) => {
        const spec = stage.durationByPriority?.[tier] ?? stage.duration;
        return dist(
          spec,
          `flow[${stageIndex}].duration${stage.durationByPriority?.[tier] ? `ByPriority.${tier}` : ''}`,
        ).mean;
      }),
    );
  });
  if (ahtOf.size === 0) throw new InputError(`--pool ${pool}: no arrival source enters a stage of this pool`);
  if (ahtOf.size > 1)
    throw new InputError(
      `--pool ${pool}: arrivals enter several of its stages (${[...ahtOf.keys()].join(', ')}); give requirements as a CSV`,
    );
  const aht = [...ahtOf.values()][0];
  const targets = PRIORITIES.map((tier) => {
    const respond = scenario.priorities[tier]?.respond;
    return respond === undefined ? null : minutes(respond, `priorities.${tier}.respond`);
  });
  if (targets.every((t) => t === null) && options.maxOccupancy === undefined)
    throw new InputError(
      'priorities: no tier has a respond target to staff for; set one or give --max-occupancy',
    );
  // per tier on a business calendar: the open minutes of each hour-slot of the week
  const openMinutes = PRIORITIES.map((tier) => {
    const name = scenario.priorities[tier]?.calendar;
    const spec = name === undefined ? undefined : scenario.calendars?.[name];
    if (name === undefined) return null;
    if (!spec)
      throw new InputError(`priorities.${tier}.calendar: no calendar named "${name}" under calendars`);
    const calendar = businessCalendar({ ...spec, holidays: [] }, `calendars.${name}`);
    return Float64Array.from({ length: HOURS_PER_WEEK }, (_, h) => calendar.elapsed(60 * h, 60 * h + 60));
  });
  const targetIn = (k: number, slot: number): number | null =>
    targets[k] !== null && (openMinutes[k] === null || openMinutes[k]![slot] > 0) ? targets[k] : null;

  const out: ScenarioRequirements = {
    pool,
    shrinkage,
    required: new Int32Array(HOURS_PER_WEEK),
    onDuty: new Int32Array(HOURS_PER_WEEK),
    perHour: new Float64Array(HOURS_PER_WEEK),
    aht: new Float64Array(HOURS_PER_WEEK),
  };
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    let lambda = 0;
    let work = 0;
    let targeted = 0;
    PRIORITIES.forEach((_, k) => {
      lambda += rate[k][s];
      work += rate[k][s] * aht[k];
      if (targetIn(k, s) !== null) targeted += rate[k][s];
    });
    if (!(lambda > 0)) continue;
    const meanAht = work / lambda;
    const tiers = PRIORITIES.flatMap((_, k) =>
      targetIn(k, s) === null || rate[k][s] === 0
        ? []
        : [{ share: rate[k][s] / targeted, within: targetIn(k, s)! }],
    );
    const a = (lambda / 60) * meanAht;
    const c = agentsFor(a, meanAht, tiers, serviceLevel, options.maxOccupancy);
    out.perHour[s] = lambda;
    out.aht[s] = meanAht;
    out.onDuty[s] = c;
    out.required[s] = scheduledStaff(c, shrinkage);
  }
  return out;
}
