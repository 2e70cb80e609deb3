/**
 * Multivariate anomaly score: the squared Mahalanobis distance of a row from the healthy baseline,
 * D^2 = (x - mu)' S^-1 (x - mu) (Hotelling's T^2 for one observation; Mason & Young, Multivariate
 * Statistical Process Control with Industrial Applications, 2002). Its per-channel contributions
 * c_j = (x - mu)_j (S^-1 (x - mu))_j sum to D^2, so an alarm names the channels that drove it.
 * The threshold is the baseline's (1 - alpha) quantile of D^2.
 */
import type * as MathJs from 'mathjs';
import { onDemand } from '../../core/on-demand.ts';

/** loaded on first use: most importers of models/ never invert a matrix */
const mathjs = onDemand<typeof MathJs>('mathjs');
import type { Trajectory } from '../data/trajectory.ts';
import { baselineRows, baselineThreshold, type BaselineOptions } from './baseline.ts';
import type { AnomalyResult, Contribution } from './detector.ts';

export interface MahalanobisState {
  channels: string[];
  mean: number[];
  /** inverse covariance of the baseline */
  precision: number[][];
  threshold: number;
}

export class MahalanobisDetector {
  constructor(readonly state: MahalanobisState) {}

  static fit(
    trajs: Trajectory[],
    channels: string[],
    o: BaselineOptions & { falseAlarmRate?: number; ridge?: number } = {},
  ): MahalanobisDetector {
    const p = channels.length;
    const rows: number[][] = [];
    for (const tr of trajs)
      for (const i of baselineRows(tr, o)) rows.push(channels.map((c) => tr.columns[c][i]));
    if (rows.length <= p)
      throw new Error(`Mahalanobis baseline needs more than ${p} healthy rows, got ${rows.length}`);
    const mean = channels.map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    const cov = channels.map(() => new Array<number>(p).fill(0));
    for (const r of rows)
      for (let a = 0; a < p; a++)
        for (let b = 0; b < p; b++) cov[a][b] += ((r[a] - mean[a]) * (r[b] - mean[b])) / (rows.length - 1);
    // a small ridge keeps a near-singular baseline (a constant channel) invertible
    const ridge = o.ridge ?? 1e-9;
    for (let a = 0; a < p; a++) cov[a][a] += ridge * (cov[a][a] || 1);
    const det = new MahalanobisDetector({
      channels,
      mean,
      precision: mathjs().inv(cov) as number[][],
      threshold: Infinity,
    });
    det.state.threshold = baselineThreshold((tr) => det.statistic(tr), trajs, o);
    return det;
  }

  /** Per-channel contributions at one row, largest first; they sum to D^2. */
  contributions(tr: Trajectory, i: number): Contribution[] {
    const { channels, mean, precision } = this.state;
    const d = channels.map((c, j) => tr.columns[c][i] - mean[j]);
    const pd = precision.map((row) => row.reduce((s, v, j) => s + v * d[j], 0));
    return channels
      .map((c, j) => ({ channel: c, contribution: d[j] * pd[j] }))
      .sort((a, b) => b.contribution - a.contribution);
  }

  statistic(tr: Trajectory): Float64Array {
    const { channels, mean, precision } = this.state;
    const p = channels.length;
    const cols = channels.map((c) => tr.columns[c]);
    const out = new Float64Array(tr.t.length);
    const d = new Float64Array(p);
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < p; j++) d[j] = cols[j][i] - mean[j];
      let s = 0;
      for (let a = 0; a < p; a++) {
        let row = 0;
        for (let b = 0; b < p; b++) row += precision[a][b] * d[b];
        s += d[a] * row;
      }
      out[i] = s;
    }
    return out;
  }

  score(tr: Trajectory): AnomalyResult {
    const score = this.statistic(tr);
    return {
      detector: 'mahalanobis',
      score,
      threshold: this.state.threshold,
      alarm: Uint8Array.from(score, (s) => (s > this.state.threshold ? 1 : 0)),
    };
  }
}
