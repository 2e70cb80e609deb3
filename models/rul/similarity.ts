/**
 * Trajectory-similarity RUL (Wang, Yu, Siegel & Lee, PHM 2008): the recent health-indicator
 * trajectory of the asset is slid along every run-to-failure HI trajectory in the library; each
 * library unit contributes its best-matching alignment and the remaining life it had there. The
 * estimate is the similarity-weighted median of the k nearest units' remaining lives; the raw
 * interval is their weighted spread.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { HealthIndicator, type HealthIndicatorState } from '../hi/health-indicator.ts';
import { weightedQuantile } from '../../core/index.ts';
import { type RulFamily, type RulModel, type RulModelOptions } from './model.ts';

export interface SimilarityState {
  hi: HealthIndicatorState;
  library: { asset: string; hi: number[]; rul: number[] }[];
  window: number;
  neighbours: number;
  coverage: number;
  cap: number;
}

class SimilarityModel implements RulModel {
  readonly family = 'similarity';
  private readonly hi: HealthIndicator;
  private readonly lib: { hi: Float64Array; rul: Float64Array }[];
  constructor(readonly state: SimilarityState) {
    this.hi = new HealthIndicator(state.hi);
    this.lib = state.library.map((u) => ({ hi: Float64Array.from(u.hi), rul: Float64Array.from(u.rul) }));
  }

  predictRaw(history: Trajectory) {
    const h = this.hi.transform(history);
    // a history longer than every library unit is matched on its most recent part that fits
    const longest = this.lib.reduce((m, u) => Math.max(m, u.hi.length), 0);
    const w = Math.min(h.length, this.state.window, longest);
    const q = h.subarray(h.length - w);
    const matches: { d: number; rul: number }[] = [];
    for (const u of this.lib) {
      if (u.hi.length < w) continue;
      let bestD = Infinity,
        bestE = -1;
      for (let e = w - 1; e < u.hi.length; e++) {
        let d = 0;
        const off = e - w + 1;
        for (let i = 0; i < w && d < bestD * w; i++) d += (q[i] - u.hi[off + i]) ** 2;
        d /= w;
        if (d < bestD) {
          bestD = d;
          bestE = e;
        }
      }
      if (bestE >= 0) matches.push({ d: bestD, rul: u.rul[bestE] });
    }
    if (matches.length === 0)
      throw new Error(`asset ${history.asset}: history longer than every library trajectory`);
    matches.sort((a, b) => a.d - b.d);
    const near = matches.slice(0, this.state.neighbours);
    // Gaussian kernel on distance, bandwidth = the k-th nearest distance (adaptive)
    const h2 = Math.max(near[near.length - 1].d, 1e-12);
    const weights = near.map((m) => Math.exp(-m.d / h2));
    // remaining lives beyond the cap are not identifiable from a healthy-looking history (the
    // piecewise-linear target's premise), so neighbours count at most the cap
    const ruls = near.map((m) => Math.min(m.rul, this.state.cap));
    const a = (1 - this.state.coverage) / 2;
    return {
      rul: weightedQuantile(ruls, weights, 0.5),
      lower: weightedQuantile(ruls, weights, a),
      upper: weightedQuantile(ruls, weights, 1 - a),
      healthIndex: h[h.length - 1],
    };
  }
}

export interface SimilarityOptions extends RulModelOptions {
  /** how many recent rows to match (default 80) */
  window?: number;
  /** how many nearest library units to combine (default 10) */
  neighbours?: number;
  /** largest RUL a neighbour may vote for (default: the target cap) */
  capEstimate?: number;
}

export const similarity: RulFamily<SimilarityState> = {
  family: 'similarity',
  description: 'HI trajectory matching against a run-to-failure library (Wang et al. 2008)',
  fit(train: Trajectory[], o: SimilarityOptions): RulModel {
    const hi = HealthIndicator.fit(train, {
      settings: o.settings,
      channels: o.channels,
      cap: o.cap,
      seed: o.seed,
    });
    const library = train.map((tr) => ({
      asset: tr.asset,
      hi: Array.from(hi.transform(tr)),
      rul: Array.from(tr.t, (t) => tr.failureT! - t),
    }));
    return new SimilarityModel({
      hi: hi.state,
      library,
      window: o.window ?? 80,
      neighbours: o.neighbours ?? 10,
      coverage: o.coverage ?? 0.9,
      cap: o.capEstimate ?? o.cap ?? 125,
    });
  },
  load: (state) => new SimilarityModel(state),
};
