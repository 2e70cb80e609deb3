/**
 * Per-operating-regime normalisation. C-MAPSS FD002/FD004 run at six operating conditions that
 * shift every sensor; clustering the operating settings (k-means) and z-scoring each sensor within
 * its regime removes that shift (the usual practice since Wang et al., PHM 2008). The number of
 * regimes is the k at which the settings' within-cluster spread collapses (shrinks over 100-fold
 * from k - 1; k = 1 for FD001's single condition, whose settings are noise around one point).
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
      // discrete operating conditions show as one k where the within-cluster spread collapses
      // (FD002: from 1e-2 at k = 5 to 1e-9 at k = 6); noise around one condition never collapses
      let prev = kmeans(sub, 1, seed);
      centroids = prev.centroids;
      let bestDrop = 100; // a collapse must shrink the spread at least 100-fold
      for (let k = 2; k <= 8; k++) {
        const r = kmeans(sub, k, seed);
        const drop = prev.wss / Math.max(r.wss, 1e-300);
        if (drop > bestDrop) {
          bestDrop = drop;
          centroids = r.centroids;
        }
        prev = r;
      }
    }
    const k = centroids.length;
    const regimeOfRow: number[] = [];
    for (const row of scaled) regimeOfRow.push(nearest(centroids, row));
    // two passes (mean, then squared deviations): one-pass sums of squares cancel badly for
    // channels like s1 = 518.67 that never change, leaving a spurious sd of ~1e-4
    const count = new Float64Array(k);
    const mean = Array.from({ length: k }, () => new Array<number>(channels.length).fill(0));
    const ss = Array.from({ length: k }, () => new Array<number>(channels.length).fill(0));
    const eachRow = (f: (r: number, tr: Trajectory, i: number) => void) => {
      let p = 0;
      for (const tr of trajs) for (let i = 0; i < tr.t.length; i++, p++) f(regimeOfRow[p], tr, i);
    };
    eachRow((r, tr, i) => {
      count[r]++;
      channels.forEach((c, j) => (mean[r][j] += tr.columns[c][i]));
    });
    mean.forEach((m, r) => m.forEach((_, j) => (m[j] /= Math.max(1, count[r]))));
    eachRow((r, tr, i) => channels.forEach((c, j) => (ss[r][j] += (tr.columns[c][i] - mean[r][j]) ** 2)));
    // exactly constant within a regime -> sd 0 (the channel carries no information there)
    const sd = ss.map((s, r) =>
      s.map((v, j) => {
        const sdv = Math.sqrt(v / Math.max(1, count[r]));
        return sdv > 1e-12 * Math.max(1, Math.abs(mean[r][j])) ? sdv : 0;
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
