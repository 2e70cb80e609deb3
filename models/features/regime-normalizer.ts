/**
 * Per-operating-regime normalisation. C-MAPSS FD002/FD004 run at six operating conditions that
 * shift every sensor; clustering the operating settings (k-means) and z-scoring each sensor within
 * its regime removes that shift (the usual practice since Wang et al., PHM 2008). The number of
 * regimes is found as the smallest k whose clusters explain 99% of the settings' spread (k = 1 for
 * FD001's single condition).
 */
import type { Trajectory } from '../data/trajectory.ts';
import { kmeans, nearest } from './kmeans.ts';

export interface RegimeNormalizerState {
  settings: string[];
  channels: string[];
  /** settings scaling used for clustering */
  settingMean: number[];
  settingSd: number[];
  centroids: number[][];
  /** per regime, per channel */
  mean: number[][];
  sd: number[][];
}

export class RegimeNormalizer {
  constructor(readonly state: RegimeNormalizerState) {}

  static fit(
    trajs: Trajectory[],
    settings: string[],
    channels: string[],
    regimes?: number,
    seed = 1,
  ): RegimeNormalizer {
    const points: number[][] = [];
    for (const tr of trajs)
      for (let i = 0; i < tr.t.length; i++) points.push(settings.map((s) => tr.columns[s][i]));
    const dims = settings.length;
    const settingMean = Array.from(
      { length: dims },
      (_, j) => points.reduce((s, p) => s + p[j], 0) / points.length,
    );
    const settingSd = Array.from({ length: dims }, (_, j) => {
      const v = points.reduce((s, p) => s + (p[j] - settingMean[j]) ** 2, 0) / points.length;
      return Math.sqrt(v) || 1;
    });
    const scaled = points.map((p) => p.map((v, j) => (v - settingMean[j]) / settingSd[j]));
    let centroids: number[][];
    if (dims === 0) centroids = [[]];
    else if (regimes) centroids = kmeans(subsample(scaled, 20_000), regimes, seed).centroids;
    else {
      const sub = subsample(scaled, 20_000);
      const one = kmeans(sub, 1, seed);
      const total = one.wss || 1;
      centroids = one.centroids;
      for (let k = 2; k <= 8; k++) {
        const r = kmeans(sub, k, seed);
        if (r.wss / total < 0.01) {
          centroids = r.centroids;
          break;
        }
      }
    }
    const k = centroids.length;
    const sum = Array.from({ length: k }, () => new Float64Array(channels.length));
    const sum2 = Array.from({ length: k }, () => new Float64Array(channels.length));
    const count = new Float64Array(k);
    let p = 0;
    for (const tr of trajs) {
      for (let i = 0; i < tr.t.length; i++, p++) {
        const r = nearest(centroids, scaled[p]);
        count[r]++;
        channels.forEach((c, j) => {
          const v = tr.columns[c][i];
          sum[r][j] += v;
          sum2[r][j] += v * v;
        });
      }
    }
    const mean = sum.map((s, r) => Array.from(s, (v) => v / Math.max(1, count[r])));
    // a channel constant within a regime gets sd 0 (rounding leaves ~1e-8 from sum-of-squares)
    const sd = sum2.map((s, r) =>
      Array.from(s, (v, j) => {
        const sdv = Math.sqrt(Math.max(0, v / Math.max(1, count[r]) - mean[r][j] ** 2));
        return sdv > 1e-7 * Math.max(1, Math.abs(mean[r][j])) ? sdv : 0;
      }),
    );
    return new RegimeNormalizer({ settings, channels, settingMean, settingSd, centroids, mean, sd });
  }

  get regimes(): number {
    return this.state.centroids.length;
  }

  regimeOf(tr: Trajectory, i: number): number {
    const { settings, settingMean, settingSd, centroids } = this.state;
    return nearest(
      centroids,
      settings.map((s, j) => (tr.columns[s][i] - settingMean[j]) / settingSd[j]),
    );
  }

  /** z-scores each channel within its row's regime; constant channels (sd 0) become 0. */
  transform(tr: Trajectory): Trajectory {
    const { channels, mean, sd } = this.state;
    const columns: Record<string, Float64Array> = {};
    for (const c of channels) columns[c] = new Float64Array(tr.t.length);
    for (let i = 0; i < tr.t.length; i++) {
      const r = this.regimeOf(tr, i);
      channels.forEach(
        (c, j) => (columns[c][i] = sd[r][j] > 0 ? (tr.columns[c][i] - mean[r][j]) / sd[r][j] : 0),
      );
    }
    return { ...tr, columns };
  }
}

/** Every (n/max)-th point: clustering settings does not need all 10^5 rows. */
function subsample<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]);
}
