/**
 * Two-sided tabular CUSUM on one standardised indicator (Page, "Continuous inspection schemes",
 * Biometrika 1954; Montgomery 9.1): s = (x - mu0)/sigma0, C+ = max(0, C+ + s - k),
 * C- = max(0, C- - s - k), score = max(C+, C-), with reference value k (default 0.5, tuned to a
 * one-sigma shift). The threshold h is the baseline's (1 - alpha) quantile of the score.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { baselineMoments, baselineThreshold, type BaselineOptions } from './baseline.ts';
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
    const { mean, sd } = baselineMoments(trajs, channel, o);
    const chart = new CusumChart({ channel, k: o.k ?? 0.5, mean, sd, threshold: Infinity });
    chart.state.threshold = baselineThreshold((tr) => chart.statistic(tr), trajs, o);
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
