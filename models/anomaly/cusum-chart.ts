/**
 * Two-sided tabular CUSUM on one standardised indicator (Page, "Continuous inspection schemes",
 * Biometrika 1954; Montgomery 9.1): s = (x - mu0)/sigma0, C+ = max(0, C+ + s - k),
 * C- = max(0, C- - s - k), score = max(C+, C-), with reference value k (default 0.5, tuned to a
 * one-sigma shift). The threshold h is the baseline's (1 - alpha) quantile of the score.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { baselineRows, thresholdForFalseAlarmRate, type BaselineOptions } from './baseline.ts';
import type { AnomalyResult } from './detector.ts';

export interface CusumState {
  channel: string;
  k: number;
  mean: number;
  sd: number;
  threshold: number;
}

export class CusumChart {
  constructor(readonly state: CusumState) {}

  static fit(
    trajs: Trajectory[],
    channel: string,
    o: BaselineOptions & { k?: number; falseAlarmRate?: number } = {},
  ): CusumChart {
    const values: number[] = [];
    for (const tr of trajs) for (const i of baselineRows(tr, o)) values.push(tr.columns[channel][i]);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd =
      Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1)) || 1;
    const chart = new CusumChart({ channel, k: o.k ?? 0.5, mean, sd, threshold: Infinity });
    const base: number[] = [];
    for (const tr of trajs) {
      const s = chart.statistic(tr);
      for (const i of baselineRows(tr, o)) base.push(s[i]);
    }
    chart.state.threshold = thresholdForFalseAlarmRate(base, o.falseAlarmRate ?? 0.01);
    return chart;
  }

  statistic(tr: Trajectory): Float64Array {
    const { channel, k, mean, sd } = this.state;
    const x = tr.columns[channel];
    const out = new Float64Array(x.length);
    let hi = 0,
      lo = 0;
    for (let i = 0; i < x.length; i++) {
      const s = (x[i] - mean) / sd;
      hi = Math.max(0, hi + s - k);
      lo = Math.max(0, lo - s - k);
      out[i] = Math.max(hi, lo);
    }
    return out;
  }

  score(tr: Trajectory): AnomalyResult {
    const score = this.statistic(tr);
    return {
      detector: `cusum:${this.state.channel}`,
      score,
      threshold: this.state.threshold,
      alarm: Uint8Array.from(score, (s) => (s > this.state.threshold ? 1 : 0)),
    };
  }
}
