/**
 * The healthy baseline every anomaly detector is fitted on: each asset's early life (the first
 * `fraction` of its rows, at least `minRows`), or a named healthy period [from, to].
 */
import { inverseEcdfQuantile } from '../../core/index.ts';
import type { Trajectory } from '../data/trajectory.ts';
import { ANOMALY_DEFAULTS } from './defaults.ts';

export interface BaselineOptions {
  /** share of each asset's rows counted as healthy (default 0.2) */
  fraction?: number;
  minRows?: number;
  /** a named healthy period in the asset's time unit, overriding `fraction` */
  from?: number;
  to?: number;
}

/** The rows [0, end) of each trajectory that form its baseline. */
export function baselineRows(tr: Trajectory, o: BaselineOptions = {}): number[] {
  if (o.from !== undefined || o.to !== undefined) {
    const rows: number[] = [];
    for (let i = 0; i < tr.t.length; i++)
      if (tr.t[i] >= (o.from ?? -Infinity) && tr.t[i] <= (o.to ?? Infinity)) rows.push(i);
    return rows;
  }
  const n = Math.min(
    tr.t.length,
    Math.max(o.minRows ?? 5, Math.floor(tr.t.length * (o.fraction ?? ANOMALY_DEFAULTS.baselineFraction))),
  );
  return Array.from({ length: n }, (_, i) => i);
}

/** Upper (1 - alpha) empirical quantile: the alarm threshold for a target false-alarm rate alpha. */
export function thresholdForFalseAlarmRate(baselineScores: ArrayLike<number>, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`false-alarm rate must be in (0, 1), got ${alpha}`);
  // the smallest value exceeded by at most alpha of the baseline
  return inverseEcdfQuantile(baselineScores, 1 - alpha);
}

/** Mean and sample sd of one channel over every asset's baseline rows (sd 1 for a constant channel). */
export function baselineMoments(
  trajs: Trajectory[],
  channel: string,
  o: BaselineOptions = {},
): { mean: number; sd: number } {
  const values: number[] = [];
  for (const tr of trajs) for (const i of baselineRows(tr, o)) values.push(tr.columns[channel][i]);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1)) || 1;
  return { mean, sd };
}

/** The alarm threshold of a statistic: its (1 - alpha) quantile over every asset's baseline rows. */
export function baselineThreshold(
  statistic: (tr: Trajectory) => Float64Array,
  trajs: Trajectory[],
  o: BaselineOptions & { falseAlarmRate?: number },
): number {
  const base: number[] = [];
  for (const tr of trajs) {
    const s = statistic(tr);
    for (const i of baselineRows(tr, o)) base.push(s[i]);
  }
  return thresholdForFalseAlarmRate(base, o.falseAlarmRate ?? ANOMALY_DEFAULTS.falseAlarmRate);
}
