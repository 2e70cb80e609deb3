/**
 * From one evaluation to a priority tier under a policy. RUL figures are converted to hours first
 * (ms assets directly, cycle assets with their cycles-to-hours factor); a tier matches when any of
 * its conditions holds and the most urgent matching tier wins.
 */
import { InputError, MS } from '../../core/index.ts';
import type { Evaluation } from '../evaluation.ts';
import { PRIORITIES, type Priority, type TicketPolicy } from './ticket-policy.ts';

export type AnomalyLevel = 'alarm' | 'watch' | 'normal';

export interface Assessment {
  priority: Priority | null;
  /** why, one line per matched condition of the winning tier */
  reasons: string[];
  anomalyLevel: AnomalyLevel | null;
  /**
   * RUL figures in milliseconds of wall time (null: no RUL in the evaluation, or an age-only one the
   * policy does not count: then the ticket carries no RUL and no predicted failure time either)
   */
  rulMs: { estimate: number; lower: number; upper: number } | null;
}

/** Milliseconds of wall time per unit of the evaluation's time axis. */
export function msPerUnit(e: Evaluation, policy: TicketPolicy, position = e.asset): number {
  if ((e.timeUnit ?? 'ms') === 'ms') return 1;
  const hours = e.cycleHours ?? policy.cycleHours;
  if (hours === undefined)
    throw new InputError(
      `${position}: cycleHours: a cycle-based asset needs a cycles-to-hours factor (in the evaluation or the policy's cycleHours)`,
    );
  return hours * MS.h;
}

export function anomalyLevel(e: Evaluation, policy: TicketPolicy): AnomalyLevel | null {
  if (!e.anomaly) return null;
  const { score, threshold } = e.anomaly;
  if (score > threshold) return 'alarm';
  if (score > policy.watchRatio * threshold) return 'watch';
  return 'normal';
}

const h = (ms: number) => `${+(ms / MS.h).toFixed(1)} h`;

export function assess(e: Evaluation, policy: TicketPolicy, position = e.asset): Assessment {
  const level = anomalyLevel(e, policy);
  let rulMs: Assessment['rulMs'] = null;
  // an estimate from before the model's first predicting time is the fleet's remaining life at the
  // asset's age, not a sign of its own degradation: it counts for nothing unless the policy says so
  const ageOnly = e.firstPredictingT === null && !policy.rulBeforeFpt;
  if (e.rul !== undefined && !ageOnly) {
    const k = msPerUnit(e, policy, position);
    rulMs = { estimate: e.rul * k, lower: (e.lower ?? e.rul) * k, upper: (e.upper ?? e.rul) * k };
  }
  const rulCounts = rulMs !== null && (!policy.rulRequiresAnomaly || level === 'alarm' || level === 'watch');
  for (const p of PRIORITIES) {
    const r = policy.rules[p];
    const reasons: string[] = [];
    if (rulCounts && r.rulLowerBelowMs !== undefined && rulMs!.lower < r.rulLowerBelowMs)
      reasons.push(`RUL lower bound ${h(rulMs!.lower)} < ${h(r.rulLowerBelowMs)}`);
    if (rulCounts && r.rulEstimateBelowMs !== undefined && rulMs!.estimate < r.rulEstimateBelowMs)
      reasons.push(`RUL estimate ${h(rulMs!.estimate)} < ${h(r.rulEstimateBelowMs)}`);
    if (r.anomaly === 'alarm' && level === 'alarm')
      reasons.push(`anomaly score ${fmt(e.anomaly!.score)} > alarm threshold ${fmt(e.anomaly!.threshold)}`);
    if (r.anomaly === 'watch' && (level === 'watch' || level === 'alarm'))
      reasons.push(
        `anomaly score ${fmt(e.anomaly!.score)} > watch level ${fmt(policy.watchRatio * e.anomaly!.threshold)}`,
      );
    if (reasons.length > 0) return { priority: p, reasons, anomalyLevel: level, rulMs };
  }
  return { priority: null, reasons: [], anomalyLevel: level, rulMs };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : +v.toPrecision(3) + '');
