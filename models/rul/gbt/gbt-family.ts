/**
 * Gradient-boosted trees on trailing-window features (`gbt-window`) behind the RUL model interface.
 *
 * Fit: per-regime normalisation of the sensors (constant ones dropped), a linear fused health
 * indicator (ridge regression of the capped target on the normalised sensors, one more channel: the
 * trees split on one feature at a time, so a sum of many weak trends is easier for them as a
 * column), trailing means, standard deviations, slopes and drift of every channel plus the age
 * (trailing-features.ts) at every row of every run-to-failure engine, target the piecewise-linear
 * RUL min(cap, failureT - t) (Heimes 2008), then boosted trees (gradient-boosting.ts).
 *
 * Raw interval: the estimate +- 10% of (estimate + 0.08 cap). Out-of-fold errors grow about in
 * proportion to the estimate (FD001, 20 held-out engines x 10 cuts, mean absolute error by decile of
 * the estimate: 2 at 14 cycles, 6 at 60, 13 at 98, 17 at 112), with a floor near failure; the
 * trees' in-sample errors do not show that shape (they are 3-4x too small mid-life, right at the
 * cap). CalibratedModel scales this shape by split-conformal calibration on held-out engines, so
 * only the shape matters, not the 10%.
 */
import type { Trajectory } from '../../data/trajectory.ts';
import { RegimeNormalizer, type RegimeNormalizerState } from '../../regimes/regime-normalizer.ts';
import { fitLinear } from '../../hi/least-squares.ts';
import { type RulFamily, type RulModel, type RulModelOptions } from '../model.ts';
import {
  fitBoostedTrees,
  predictBoosted,
  type BoostedTrees,
  type BoostingOptions,
} from './gradient-boosting.ts';
import { trailingFeatureNames, trailingFeatures, type TrailingFeatureSpec } from './trailing-features.ts';

export interface GbtOptions extends RulModelOptions, BoostingOptions {
  features?: Partial<TrailingFeatureSpec>;
}

export interface GbtState {
  normalizer: RegimeNormalizerState;
  sensors: string[];
  /** fused HI = intercept + sum weights[j] * normalised sensor j */
  hi: { weights: number[]; intercept: number };
  spec: TrailingFeatureSpec;
  featureNames: string[];
  cap: number;
  boosted: BoostedTrees;
  training: { seconds: number; rows: number; engines: number };
}

export const DEFAULT_FEATURES: TrailingFeatureSpec = {
  means: [5, 15, 30],
  sds: [15],
  slopes: [15, 40],
  baseline: 20,
};

/** Normalised sensors plus the fused HI as columns, over a trajectory. */
function channelColumns(
  normalizer: RegimeNormalizer,
  sensors: string[],
  hi: GbtState['hi'],
  tr: Trajectory,
): Float64Array[] {
  const z = normalizer.transform(tr);
  const cols = sensors.map((s) => z.columns[s]);
  const fused = new Float64Array(tr.t.length).fill(hi.intercept);
  cols.forEach((c, j) => {
    for (let i = 0; i < c.length; i++) fused[i] += hi.weights[j] * c[i];
  });
  return [...cols, fused];
}

/** The raw interval's half-width (see the header: its shape, not its size, matters). */
export function rawHalfWidth(rul: number, cap: number): number {
  return 0.1 * (rul + 0.08 * cap);
}

class GbtModel implements RulModel {
  readonly family = 'gbt-window';
  private readonly normalizer: RegimeNormalizer;
  constructor(readonly state: GbtState) {
    this.normalizer = new RegimeNormalizer(state.normalizer);
  }

  /** The boosted estimate at the last row of a history, within [0, cap]. */
  estimate(history: Trajectory): number {
    const n = history.t.length;
    if (n === 0) throw new Error(`asset ${history.asset}: empty history`);
    const cols = channelColumns(this.normalizer, this.state.sensors, this.state.hi, history);
    const { x } = trailingFeatures(cols, history.t, this.state.spec, n - 1);
    return Math.min(this.state.cap, Math.max(0, predictBoosted(this.state.boosted, x)));
  }

  predictRaw(history: Trajectory) {
    const rul = this.estimate(history);
    const h = rawHalfWidth(rul, this.state.cap);
    return { rul, lower: Math.max(0, rul - h), upper: rul + h };
  }
}

export const gbtWindow: RulFamily<GbtState> = {
  family: 'gbt-window',
  description:
    'gradient-boosted regression trees (histogram-based, hand-written) on trailing-window sensor features',
  fit(train: Trajectory[], o: GbtOptions): RulModel {
    const t0 = performance.now();
    const cap = o.cap ?? 125;
    const spec: TrailingFeatureSpec = { ...DEFAULT_FEATURES, ...o.features };
    const normalizer = RegimeNormalizer.fit(train, o.settings, o.channels, undefined, o.seed ?? 1);
    const sensors = o.channels.filter((_, j) => normalizer.state.sd.every((r) => r[j] > 0));
    if (sensors.length === 0) throw new Error('gbt-window: every channel is constant in the training data');
    const zs = train.map((tr) => normalizer.transform(tr));
    const rows = train.reduce((s, tr) => s + tr.t.length, 0);
    // fused HI: ridge regression of the capped target on the normalised sensors
    const xs = new Float64Array(rows * sensors.length);
    const ys = new Float64Array(rows);
    let r = 0;
    zs.forEach((z, u) => {
      for (let i = 0; i < z.t.length; i++, r++) {
        sensors.forEach((s, j) => (xs[r * sensors.length + j] = z.columns[s][i]));
        ys[r] = Math.min(cap, train[u].failureT! - z.t[i]);
      }
    });
    const hi = fitLinear(xs, ys, sensors.length, 1e-4);
    const featureNames = trailingFeatureNames([...sensors, 'hi'], spec);
    const p = featureNames.length;
    const x = new Float64Array(rows * p);
    const target = new Float64Array(rows);
    r = 0;
    for (const tr of train) {
      if (tr.failureT === undefined)
        throw new Error(`asset ${tr.asset}: gbt-window trains on run-to-failure trajectories`);
      const f = trailingFeatures(channelColumns(normalizer, sensors, hi, tr), tr.t, spec);
      x.set(f.x, r * p);
      for (let i = 0; i < tr.t.length; i++) target[r + i] = Math.min(cap, tr.failureT - tr.t[i]);
      r += tr.t.length;
    }
    // leaves of at least 50 rows: 5-fold CV RMSE 12.47 vs 12.59 with 20 (FD001, 5 cuts per engine)
    const boosted = fitBoostedTrees(x, target, p, { minLeaf: 50, ...o, seed: o.seed ?? 1 });
    const state: GbtState = {
      normalizer: normalizer.state,
      sensors,
      hi,
      spec,
      featureNames,
      cap,
      boosted,
      training: { seconds: (performance.now() - t0) / 1000, rows, engines: train.length },
    };
    return new GbtModel(state);
  },
  load: (state) => new GbtModel(state),
};
