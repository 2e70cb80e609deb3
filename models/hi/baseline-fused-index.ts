/**
 * A fused health index for assets that each have their own healthy level (bearings: every housing
 * runs at its own temperature, every resonance rings at its own amplitude): 0 while healthy, about
 * 1 at failure.
 *
 *  1. Each asset's indicators are taken relative to its own healthy baseline (its first
 *     `baselineRows` rows, the same early-life baseline the anomaly detectors use) and divided by the
 *     fleet's pooled within-baseline sd: z_c(t) = (x_c(t) - mean_c,asset) / s_c.
 *  2. The channels are fused by Fisher's linear discriminant between the healthy baseline and the
 *     failure state (Fisher, "The use of multiple measurements in taxonomic problems", Ann. Eugenics
 *     7, 1936): w ∝ (S_base + S_fail)^-1 m_fail, where S_base is the pooled baseline covariance,
 *     m_fail and S_fail the mean and covariance of z at the last row of every failed asset. Channels
 *     whose value at failure is consistent across assets (prognosability, Coble & Hines 2009) weigh
 *     most; w is scaled so the mean fused value at failure is 1.
 *
 * The fused value's healthy noise sd `noiseSd` (sqrt(w' S_base w), inflated by (1 + 1/B) for the
 * asset's own estimated baseline mean) sets the first-predicting-time threshold.
 */
import type * as MathJs from 'mathjs';
import { onDemand } from '../../core/on-demand.ts';

/** loaded on first use: most importers of models/ never invert a matrix */
const mathjs = onDemand<typeof MathJs>('mathjs');
import type { Trajectory } from '../data/trajectory.ts';

/**
 * Channels of which one carries the fault: the envelope at the outer-race, inner-race and ball
 * defect frequencies each rise only for their own defect. Such a group enters the fusion as one
 * input, the largest of its members' baseline z-scores (the defect frequency that lights up).
 */
export interface ChannelGroup {
  name: string;
  members: string[];
  /** pooled within-baseline sd per member */
  scales: number[];
}

/** prior relative sd of the fused index at failure, worth PRIOR_WEIGHT failed assets */
const FAILURE_PRIOR_CV = 0.1;
const PRIOR_WEIGHT = 2;

export interface FusedIndexState {
  /** the fused inputs: plain channels and group names */
  channels: string[];
  groups?: ChannelGroup[];
  baselineRows: number;
  /** pooled within-baseline sd per channel */
  scale: number[];
  /** fusion weights on the standardised deltas */
  weights: number[];
  /** sd of the fused index while healthy */
  noiseSd: number;
}

export class BaselineFusedIndex {
  constructor(readonly state: FusedIndexState) {}

  /**
   * Fits on run-to-failure trajectories (the failure state is each one's last row). Throws, naming
   * the asset, when a trajectory is too short for its baseline.
   */
  static fit(
    units: Trajectory[],
    channels: string[],
    baselineRows: number,
    o: { groups?: string[][]; ridge?: number } = {},
  ): BaselineFusedIndex {
    if (units.length === 0) throw new Error('fused health index: no failed asset to fit on');
    if (!(baselineRows >= 3))
      throw new RangeError(`fused health index: baselineRows must be >= 3, got ${baselineRows}`);
    const ridge = o.ridge ?? 1e-6;
    for (const u of units)
      for (const c of [...channels, ...(o.groups ?? []).flat()])
        if (!u.columns[c]) throw new Error(`asset ${u.asset}: channel "${c}" is missing`);
    const groups: ChannelGroup[] = (o.groups ?? []).map((members) => ({
      name: `max(${members.join('|')})`,
      members,
      scales: members.map((c) => pooledBaselineSd(units, c, baselineRows)),
    }));
    const grouped = new Set(groups.flatMap((g) => g.members));
    channels = [...channels.filter((c) => !grouped.has(c)), ...groups.map((g) => g.name)];
    units = units.map((u) => withGroups(u, groups, baselineRows));
    const p = channels.length;
    for (const u of units) {
      if (u.t.length <= baselineRows)
        throw new Error(
          `asset ${u.asset}: ${u.t.length} rows, fewer than the baseline's ${baselineRows} + 1`,
        );
      for (const c of channels)
        if (!u.columns[c]) throw new Error(`asset ${u.asset}: channel "${c}" is missing`);
    }
    // pooled within-baseline covariance of the raw deltas
    const covB = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    let dof = 0;
    const means = units.map((u) => baselineMeans(u, channels, baselineRows));
    units.forEach((u, k) => {
      for (let i = 0; i < baselineRows; i++) {
        const d = channels.map((c, j) => u.columns[c][i] - means[k][j]);
        for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) covB[a][b] += d[a] * d[b];
      }
      dof += baselineRows - 1;
    });
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) covB[a][b] /= dof;
    const scale = channels.map((_, j) => Math.sqrt(covB[j][j]) || 1);
    // everything below on the standardised scale
    const sB = covB.map((row, a) => row.map((v, b) => v / (scale[a] * scale[b])));
    const ends = units.map((u, k) =>
      channels.map((c, j) => (u.columns[c][u.t.length - 1] - means[k][j]) / scale[j]),
    );
    const mF = channels.map((_, j) => ends.reduce((s, e) => s + e[j], 0) / ends.length);
    // the failure-state scatter, shrunk towards a prior worth 2 pseudo-assets shaped like the healthy
    // scatter and sized so that the signal-to-noise-optimal index S_B^-1 m_fail varies by
    // FAILURE_PRIOR_CV at failure (conjugate inverse-Wishart mean, Gelman et al., Bayesian Data
    // Analysis 3.6). Until failed assets show which channels fail inconsistently, the weights are
    // the signal-to-noise-optimal ones; a prior proportional to each channel's own size (the
    // earlier choice) weighed every channel's fraction of its failure value alike, so a noisy
    // channel that moves little (speed) drowned a clean one (temperature).
    // (ridged, and a channel constant over every baseline counted as unit noise: singular otherwise)
    const sBinv = mathjs().inv(
      sB.map((row, a) => row.map((v, b) => v + (a === b ? ridge + (sB[a][a] > 0 ? 0 : 1) : 0))),
    ) as number[][];
    const snr2 = mF.reduce((s, ma, a) => s + ma * sBinv[a].reduce((q, v, b) => q + v * mF[b], 0), 0);
    const kappa = PRIOR_WEIGHT * FAILURE_PRIOR_CV ** 2 * snr2;
    const sF = sB.map((row) => row.map((v) => kappa * v));
    for (const e of ends)
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) sF[a][b] += (e[a] - mF[a]) * (e[b] - mF[b]);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) sF[a][b] /= ends.length + PRIOR_WEIGHT;
    const within = sB.map((row, a) =>
      row.map((v, b) => v + sF[a][b] + (a === b ? ridge * (1 + sF[a][a]) : 0)),
    );
    const wInv = mathjs().inv(within) as number[][];
    let w = wInv.map((row) => row.reduce((s, v, b) => s + v * mF[b], 0));
    const atFailure = w.reduce((s, v, j) => s + v * mF[j], 0);
    if (!(atFailure > 0))
      throw new Error('fused health index: the indicators do not move between healthy and failed');
    w = w.map((v) => v / atFailure);
    let healthyVar = 0;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) healthyVar += w[a] * sB[a][b] * w[b];
    return new BaselineFusedIndex({
      channels,
      ...(groups.length > 0 && { groups }),
      baselineRows,
      scale,
      weights: w,
      noiseSd: Math.sqrt(healthyVar * (1 + 1 / baselineRows)),
    });
  }

  /**
   * The fused index at every row of a history. The baseline is the first `baselineRows` rows, or,
   * for a younger history, every row it has (with fewer than 2 rows the index is 0: nothing to
   * compare with).
   */
  transform(tr: Trajectory): Float64Array {
    const { channels, scale, weights } = this.state;
    tr = withGroups(tr, this.state.groups ?? [], this.state.baselineRows);
    const n = tr.t.length;
    const out = new Float64Array(n);
    const b = Math.min(this.state.baselineRows, n);
    if (b < 2) return out;
    const m = baselineMeans(tr, channels, b);
    channels.forEach((c, j) => {
      const col = tr.columns[c];
      if (!col) throw new Error(`asset ${tr.asset}: channel "${c}" is missing`);
      const k = weights[j] / scale[j];
      for (let i = 0; i < n; i++) out[i] += k * (col[i] - m[j]);
    });
    return out;
  }
}

function baselineMeans(tr: Trajectory, channels: string[], rows: number): number[] {
  return channels.map((c) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += tr.columns[c][i];
    return s / rows;
  });
}

function pooledBaselineSd(units: Trajectory[], c: string, rows: number): number {
  let ss = 0,
    dof = 0;
  for (const u of units) {
    const col = u.columns[c];
    const m = col.subarray(0, rows).reduce((s, v) => s + v, 0) / rows;
    for (let i = 0; i < rows; i++) ss += (col[i] - m) ** 2;
    dof += rows - 1;
  }
  return Math.sqrt(ss / dof) || 1;
}

/** The trajectory with each group's column: the largest member z-score against the asset's baseline. */
function withGroups(tr: Trajectory, groups: ChannelGroup[], baselineRows: number): Trajectory {
  if (groups.length === 0) return tr;
  const n = tr.t.length;
  const b = Math.max(1, Math.min(baselineRows, n));
  const columns = { ...tr.columns };
  for (const g of groups) {
    const out = new Float64Array(n).fill(-Infinity);
    g.members.forEach((c, j) => {
      const col = tr.columns[c];
      if (!col) throw new Error(`asset ${tr.asset}: channel "${c}" is missing`);
      const m = col.subarray(0, b).reduce((s, v) => s + v, 0) / b;
      for (let i = 0; i < n; i++) out[i] = Math.max(out[i], (col[i] - m) / g.scales[j]);
    });
    columns[g.name] = out;
  }
  return { ...tr, columns };
}
