/**
 * EWMA control chart on one standardised indicator (Roberts, "Control chart tests based on
 * geometric moving averages", Technometrics 1959; Montgomery, Introduction to Statistical Quality
 * Control, 6th ed., 9.2): z_t = lambda x_t + (1 - lambda) z_{t-1}, z_0 = baseline mean. The score is
 * |z_t - mu0| / (sigma0 sqrt(lambda / (2 - lambda))); the alarm threshold is the baseline's
 * (1 - alpha) quantile of that score, so the false-alarm rate on healthy data is alpha by construction.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { baselineMoments, baselineThreshold, type BaselineOptions } from './baseline.ts';
import type { AnomalyResult } from './detector.ts';

export interface EwmaState {
  channel: string;
  lambda: number;
  mean: number;
  sd: number;
  threshold: number;
}

export class EwmaChart {
  constructor(readonly state: EwmaState) {}

  static fit(
    trajs: Trajectory[],
    channel: string,
    o: BaselineOptions & { lambda?: number; falseAlarmRate?: number } = {},
  ): EwmaChart {
    const lambda = o.lambda ?? 0.2;
    const { mean, sd } = baselineMoments(trajs, channel, o);
    const chart = new EwmaChart({ channel, lambda, mean, sd, threshold: Infinity });
    chart.state.threshold = baselineThreshold((tr) => chart.statistic(tr), trajs, o);
    return chart;
  }

  statistic(tr: Trajectory): Float64Array {
    const { channel, lambda, mean, sd } = this.state;
    const x = tr.columns[channel];
    const scale = sd * Math.sqrt(lambda / (2 - lambda));
    const out = new Float64Array(x.length);
    let z = mean;
    for (let i = 0; i < x.length; i++) {
      z = lambda * x[i] + (1 - lambda) * z;
      out[i] = Math.abs(z - mean) / scale;
    }
    return out;
  }

  score(tr: Trajectory): AnomalyResult {
    const score = this.statistic(tr);
    return {
      detector: `ewma:${this.state.channel}`,
      score,
      threshold: this.state.threshold,
      alarm: Uint8Array.from(score, (s) => (s > this.state.threshold ? 1 : 0)),
    };
  }
}
