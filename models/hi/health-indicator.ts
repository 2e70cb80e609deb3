/**
 * A fused health indicator (HI): 1 while healthy, falling to 0 at failure.
 *
 * Steps (after Wang, Yu, Siegel & Lee, "A similarity-based prognostics approach for remaining useful
 * life estimation of engineered systems", PHM 2008): normalise each channel within its operating
 * regime, drop channels that carry no signal, rank the rest by prognostic fitness (Coble & Hines)
 * and keep the good ones, fuse them by linear regression onto a 1 -> 0 target (the piecewise-linear
 * capped RUL divided by the cap: flat at 1 early in life, linear to 0 at failure), and smooth
 * causally.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { rulTarget } from '../data/trajectory.ts';
import { RegimeNormalizer, type RegimeNormalizerState } from '../regimes/regime-normalizer.ts';
import { fitLinear } from './least-squares.ts';
import { scoreIndicator, type PrognosticScore } from './prognostic-metrics.ts';
import { trailingMean } from './smoothing.ts';

export interface HealthIndicatorOptions {
  settings: string[];
  /** candidate channels; the fit keeps the informative ones unless `select` is given */
  channels: string[];
  /** use exactly these channels */
  select?: string[];
  /** keep channels whose fitness is at least this fraction of the best (default 0.6) */
  minFitnessRatio?: number;
  /** RUL cap that shapes the 1 -> 0 target (default 125) */
  cap?: number;
  /** trailing smoothing window, rows (default 5) */
  smoothWindow?: number;
  regimes?: number;
  seed?: number;
}

export interface HealthIndicatorState {
  normalizer: RegimeNormalizerState;
  selected: string[];
  weights: number[];
  intercept: number;
  cap: number;
  smoothWindow: number;
  scores: PrognosticScore[];
}

export class HealthIndicator {
  constructor(readonly state: HealthIndicatorState) {}

  static fit(trajs: Trajectory[], o: HealthIndicatorOptions): HealthIndicator {
    const cap = o.cap ?? 125;
    const smoothWindow = o.smoothWindow ?? 5;
    const normalizer = RegimeNormalizer.fit(trajs, o.settings, o.channels, o.regimes, o.seed);
    const normalized = trajs.map((t) => normalizer.transform(t));
    const scores = rankChannels(normalized, o.channels, smoothWindow);
    let selected = o.select;
    if (!selected) {
      const best = scores[0]?.fitness ?? 0;
      selected = scores
        .filter((s) => s.fitness >= (o.minFitnessRatio ?? 0.6) * best && s.fitness > 0)
        .map((s) => s.name);
    }
    if (selected.length === 0)
      throw new Error('health indicator: no informative channel among the candidates');
    const n = normalized.reduce((s, t) => s + t.t.length, 0);
    const p = selected.length;
    const x = new Float64Array(n * p);
    const y = new Float64Array(n);
    let row = 0;
    for (const tr of normalized) {
      const target = rulTarget(tr, cap);
      for (let i = 0; i < tr.t.length; i++, row++) {
        selected.forEach((c, j) => (x[row * p + j] = tr.columns[c][i]));
        y[row] = target[i] / cap;
      }
    }
    const fit = fitLinear(x, y, p);
    return new HealthIndicator({
      normalizer: normalizer.state,
      selected,
      weights: fit.weights,
      intercept: fit.intercept,
      cap,
      smoothWindow,
      scores,
    });
  }

  private get normalizer(): RegimeNormalizer {
    return new RegimeNormalizer(this.state.normalizer);
  }

  /** The unsmoothed fused HI at every row of a trajectory. */
  raw(tr: Trajectory): Float64Array {
    const norm = this.normalizer.transform(tr);
    const { selected, weights, intercept } = this.state;
    const out = new Float64Array(tr.t.length).fill(intercept);
    selected.forEach((c, j) => {
      const col = norm.columns[c];
      for (let i = 0; i < out.length; i++) out[i] += weights[j] * col[i];
    });
    return out;
  }

  /** The smoothed (causal) HI at every row. */
  transform(tr: Trajectory): Float64Array {
    return trailingMean(this.raw(tr), this.state.smoothWindow);
  }

  /** Per-channel contributions (weight x normalised value) at row i, largest magnitude first. */
  contributions(tr: Trajectory, i: number): { channel: string; contribution: number }[] {
    const norm = this.normalizer.transform(tr);
    return this.state.selected
      .map((c, j) => ({ channel: c, contribution: this.state.weights[j] * norm.columns[c][i] }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  }
}

/** Prognostic metrics of each (normalised, smoothed) channel over run-to-failure units, best first. */
export function rankChannels(
  normalized: Trajectory[],
  channels: string[],
  smoothWindow = 5,
): PrognosticScore[] {
  return channels
    .map((c) =>
      scoreIndicator(
        c,
        normalized.map((t) => trailingMean(t.columns[c], smoothWindow)),
      ),
    )
    .map((s) => (Number.isFinite(s.fitness) ? s : { ...s, fitness: 0 }))
    .sort((a, b) => b.fitness - a.fitness);
}
