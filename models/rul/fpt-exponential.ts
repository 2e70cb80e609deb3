/**
 * Bearing prognostics as the field does it: a fused health index, a first predicting time (FPT) at
 * the onset of the anomaly, then an exponential degradation model with Bayesian updating.
 *
 *  - Health index: each asset's indicators relative to its own healthy baseline, fused by Fisher's
 *    discriminant between healthy and failed (hi/baseline-fused-index.ts): 0 healthy, ~1 at failure.
 *  - FPT: the first time the index stays above its healthy (1 - falseAlarmRate) quantile for
 *    `hysteresis` rows in a row, the same rule as the anomaly alerts (Li, Lei et al., "An improved
 *    exponential model for predicting remaining useful life of rolling element bearings", IEEE TIE
 *    62 (2015), use the same 3-sigma FPT). Before it the defect is not observable; the prediction is
 *    the library's remaining life at the same age (each failed asset's FPT-to-failure time plus the
 *    healthy time it still had at that age), as a reliability engineer would read it off the fleet.
 *    So is an asset past its FPT whose fitted path does not rise (no crossing within 3x the longest
 *    FPT-to-failure time): it has no prognosis of its own yet.
 *  - After FPT: log HI = a + b tau + e, tau the time since the FPT run began (Gebraeel et al. 2005,
 *    the model of MATLAB's `exponentialDegradationModel`). The prior on (a, b) is fitted on the
 *    failed assets; one asset's rows update it (rul/bayesian-linear.ts) with a variance per row,
 *    s2_i = s2_m + s_h^2 / HI_i^2 (multiplicative noise plus the healthy additive noise seen through
 *    the log, by the delta method), so the faint early rows count less. The failure threshold is
 *    each failed asset's fitted log HI at its failure time (mean and variance over the library), and
 *    the RUL and its interval are quantiles of Gebraeel's residual-life distribution
 *    (rul/residual-life.ts).
 *  - Intervals are calibrated on assets that have already failed: each failed asset is left out in
 *    turn, the model refitted on the others predicts every row of it after its FPT, and the raw
 *    half-widths are scaled by the conformal quantile of the normalised scores (Lei et al. 2018, as
 *    in calibrated-model.ts). The asset being predicted is never in its own calibration.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { BaselineFusedIndex, type FusedIndexState } from '../hi/baseline-fused-index.ts';
import { posterior, type Gaussian2 } from './bayesian-linear.ts';
import { normalisedScore } from './calibrated-model.ts';
import { quantile } from '../../core/index.ts';
import { type RulFamily, type RulModel, type RulModelOptions } from './model.ts';
import { residualLifeQuantiles, standardNormalQuantile } from './residual-life.ts';

export interface FptExponentialOptions extends RulModelOptions {
  /** healthy baseline rows per asset (default: 20% of the shortest training life, at least 5) */
  baselineRows?: number;
  /** per-row false-alarm rate that sets the FPT level (default 0.01) */
  falseAlarmRate?: number;
  /** rows in a row above the level for the FPT (default 2) */
  hysteresis?: number;
  /** channels of which one carries the fault (e.g. the envelopes at the defect frequencies) */
  channelGroups?: string[][];
  /** leave-one-failed-asset-out interval calibration (default true; needs 20 held-out predictions) */
  calibrate?: boolean;
}

/** weakly informative prior scales (log units; the slope's as a fraction of its fleet mean) */
const PRIOR_LEVEL_SD = 0.5;
const PRIOR_SLOPE_CV = 0.5;
const PRIOR_THRESHOLD_SD = 0.2;

interface Core {
  index: FusedIndexState;
  /** HI level of the FPT */
  fptLevel: number;
  hysteresis: number;
  /** prior of (log-intercept, slope per timeScale) after the FPT */
  prior: Gaussian2;
  /** multiplicative (log-scale) noise variance */
  logNoiseVar: number;
  threshold: number;
  thresholdVar: number;
  timeScale: number;
  maxRul: number;
  /** per failed asset: age at its FPT and FPT-to-failure time, for predictions before an FPT */
  library: { ageAtFpt: number; fptToFailure: number }[];
}

export interface FptExponentialState {
  core: Core;
  coverage: number;
  /** conformal scale of the raw half-widths after the FPT (1 when uncalibrated) */
  intervalScale: number;
  calibrationCases: number;
}

/**
 * The first row i at which the last `hysteresis` rows (i - h + 1 .. i) all exceed `level`, searching
 * from `from`; -1 when there is none. The FPT is known at row i; the degradation run began at i - h + 1.
 */
export function firstPredictingIndex(
  hi: ArrayLike<number>,
  level: number,
  hysteresis: number,
  from = 0,
): number {
  let run = 0;
  for (let i = from; i < hi.length; i++) {
    run = hi[i] > level ? run + 1 : 0;
    if (run >= hysteresis) return i;
  }
  return -1;
}

/** Weighted least squares a + b x with weights 1/v_i. */
function wls(x: ArrayLike<number>, y: ArrayLike<number>, v: ArrayLike<number>): { a: number; b: number } {
  let sw = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++) {
    sw += 1 / v[i];
    sx += x[i] / v[i];
    sy += y[i] / v[i];
  }
  const mx = sx / sw,
    my = sy / sw;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    sxx += (x[i] - mx) ** 2 / v[i];
    sxy += ((x[i] - mx) * (y[i] - my)) / v[i];
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

/** The post-FPT rows of a history on the model's scales: tau, log HI and each row's variance. */
function degradationRows(
  hi: Float64Array,
  t: ArrayLike<number>,
  start: number,
  end: number,
  noiseSd: number,
  logNoiseVar: number,
  timeScale: number,
): { tau: Float64Array; y: Float64Array; v: Float64Array } {
  const n = end - start;
  const tau = new Float64Array(n),
    y = new Float64Array(n),
    v = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // an index under its noise level says "about the noise level", not a log of noise
    const h = Math.max(hi[start + k], noiseSd);
    tau[k] = (t[start + k] - t[start]) / timeScale;
    y[k] = Math.log(h);
    v[k] = logNoiseVar + (noiseSd / h) ** 2;
  }
  return { tau, y, v };
}

function fitCore(units: Trajectory[], o: FptExponentialOptions): Core {
  const shortest = Math.min(...units.map((u) => u.t.length));
  const baselineRows = o.baselineRows ?? Math.max(5, Math.floor(0.2 * shortest));
  const hysteresis = o.hysteresis ?? 2;
  const index = BaselineFusedIndex.fit(units, o.channels, baselineRows, { groups: o.channelGroups });
  const noiseSd = index.state.noiseSd;
  const fptLevel = noiseSd * standardNormalQuantile(1 - (o.falseAlarmRate ?? 0.01));
  const degrading = units.flatMap((u) => {
    const hi = index.transform(u);
    const fpt = firstPredictingIndex(hi, fptLevel, hysteresis, baselineRows);
    if (fpt < 0) return [];
    const start = fpt - hysteresis + 1;
    if (u.t.length - start < 3) return [];
    return [{ u, hi, start, fpt }];
  });
  if (degrading.length < 1)
    throw new Error(
      `fpt-exponential: none of the ${units.length} failed assets crosses its first-predicting-time level`,
    );
  const spans = degrading.map((d) => d.u.failureT! - d.u.t[d.start]);
  const timeScale = quantile(spans, 0.5);
  // multiplicative noise: iterate the per-unit fits and the residual variance net of the additive part
  let logNoiseVar = 0.01;
  let fits: { a: number; b: number; tauFail: number }[] = [];
  for (let iter = 0; iter < 4; iter++) {
    let ss = 0,
      n = 0;
    fits = degrading.map((d) => {
      const r = degradationRows(d.hi, d.u.t, d.start, d.u.t.length, noiseSd, logNoiseVar, timeScale);
      const f = wls(r.tau, r.y, r.v);
      for (let k = 0; k < r.tau.length; k++) {
        ss += (r.y[k] - f.a - f.b * r.tau[k]) ** 2 - (r.v[k] - logNoiseVar);
        n++;
      }
      return { ...f, tauFail: (d.u.failureT! - d.u.t[d.start]) / timeScale };
    });
    logNoiseVar = Math.max(1e-4, ss / Math.max(1, n - 2 * fits.length));
  }
  // conjugate normal-inverse-Wishart estimate of the unit-to-unit covariance (Gelman et al., Bayesian
  // Data Analysis, 3rd ed., 3.6) with a weakly informative scale Psi worth 2 pseudo-assets: a 50%
  // spread of the slope and a factor e^0.5 of the level at FPT. With one or two failed assets the
  // prior is Psi-dominated (the asset's own rows decide); with many, the fleet's spread.
  const m = fits.length;
  const ma = fits.reduce((s, f) => s + f.a, 0) / m;
  const mb = fits.reduce((s, f) => s + f.b, 0) / m;
  let saa = 2 * PRIOR_LEVEL_SD ** 2,
    sab = 0,
    sbb = 2 * (PRIOR_SLOPE_CV * mb) ** 2;
  for (const f of fits) {
    saa += (f.a - ma) ** 2;
    sab += (f.a - ma) * (f.b - mb);
    sbb += (f.b - mb) ** 2;
  }
  const ends = fits.map((f) => f.a + f.b * f.tauFail);
  const threshold = ends.reduce((s, v) => s + v, 0) / m;
  const thresholdVar =
    (2 * PRIOR_THRESHOLD_SD ** 2 + ends.reduce((s, v) => s + (v - threshold) ** 2, 0)) / (m + 2);
  return {
    index: index.state,
    fptLevel,
    hysteresis,
    prior: {
      mean: [ma, mb],
      cov: [
        [saa / (m + 2), sab / (m + 2)],
        [sab / (m + 2), sbb / (m + 2)],
      ],
    },
    logNoiseVar,
    threshold,
    thresholdVar,
    timeScale,
    maxRul: 3 * Math.max(...spans),
    library: degrading.map((d) => ({
      ageAtFpt: d.u.t[d.fpt] - d.u.t[0],
      fptToFailure: d.u.failureT! - d.u.t[d.fpt],
    })),
  };
}

interface RawPrediction {
  rul: number;
  lower: number;
  upper: number;
  healthIndex: number;
  firstPredictingT: number | null;
}

function predictCore(c: Core, history: Trajectory, coverage: number): RawPrediction {
  const index = new BaselineFusedIndex(c.index);
  const hi = index.transform(history);
  const n = history.t.length;
  const now = history.t[n - 1];
  const al = (1 - coverage) / 2;
  const fpt =
    n > c.index.baselineRows ? firstPredictingIndex(hi, c.fptLevel, c.hysteresis, c.index.baselineRows) : -1;
  const fleet = (): RawPrediction => {
    // not observable (yet): the failed assets' remaining lives at this age
    const age = now - history.t[0];
    const lives = c.library.map((l) => l.fptToFailure + Math.max(0, l.ageAtFpt - age));
    const mid = quantile(lives, 0.5);
    // fewer than 3 failed assets show no spread: the prior's lognormal spread stands in
    const z = standardNormalQuantile(1 - al) * PRIOR_SLOPE_CV;
    return {
      rul: mid,
      lower: lives.length >= 3 ? quantile(lives, al) : mid * Math.exp(-z),
      upper: lives.length >= 3 ? quantile(lives, 1 - al) : mid * Math.exp(z),
      healthIndex: hi[n - 1],
      firstPredictingT: null,
    };
  };
  if (fpt < 0) return fleet();
  const start = fpt - c.hysteresis + 1;
  const r = degradationRows(hi, history.t, start, n, c.index.noiseSd, c.logNoiseVar, c.timeScale);
  const post = posterior(c.prior, r.tau, r.y, r.v);
  const [lo, med, up] = residualLifeQuantiles(
    { params: post, noiseVar: c.logNoiseVar, threshold: c.threshold, thresholdVar: c.thresholdVar },
    r.tau[r.tau.length - 1],
    [al, 0.5, 1 - al],
    c.maxRul / c.timeScale,
  );
  // a path that does not rise (even its lower quantile is beyond the longest horizon) measures no
  // growth yet: the asset is treated as not yet predicting
  if (lo * c.timeScale >= c.maxRul) return fleet();
  return {
    rul: med * c.timeScale,
    lower: lo * c.timeScale,
    upper: up * c.timeScale,
    healthIndex: hi[n - 1],
    firstPredictingT: history.t[fpt],
  };
}

/** Rows [0, end) of a trajectory as a history, without copying. */
function head(tr: Trajectory, end: number): Trajectory {
  return {
    asset: tr.asset,
    t: tr.t.subarray(0, end),
    columns: Object.fromEntries(Object.entries(tr.columns).map(([k, v]) => [k, v.subarray(0, end)])),
  };
}

/** Normalised scores of every post-FPT row of each failed asset, predicted by a model fitted without it. */
function leaveOneOutScores(units: Trajectory[], o: FptExponentialOptions, coverage: number): number[] {
  const scores: number[] = [];
  units.forEach((held, k) => {
    let core: Core;
    try {
      core = fitCore(
        units.filter((_, j) => j !== k),
        o,
      );
    } catch {
      return; // the others alone cannot make a prior: no scores from this fold
    }
    for (let end = core.index.baselineRows + 1; end <= held.t.length; end++) {
      const p = predictCore(core, head(held, end), coverage);
      if (p.firstPredictingT === null) continue;
      scores.push(normalisedScore(p, held.failureT! - held.t[end - 1]));
    }
  });
  return scores;
}

class FptExponentialModel implements RulModel {
  readonly family = 'fpt-exponential';
  constructor(readonly state: FptExponentialState) {}

  predictRaw(history: Trajectory): RawPrediction {
    const p = predictCore(this.state.core, history, this.state.coverage);
    if (p.firstPredictingT === null) return p;
    const s = this.state.intervalScale;
    return { ...p, lower: Math.max(0, p.rul - s * (p.rul - p.lower)), upper: p.rul + s * (p.upper - p.rul) };
  }
}

export const fptExponential: RulFamily<FptExponentialState> = {
  family: 'fpt-exponential',
  description:
    'fused baseline health index, first predicting time at the anomaly onset, exponential degradation with Bayesian updating (Gebraeel et al. 2005), leave-one-failed-asset-out conformal intervals',
  calibratesItself: true,
  fit(train: Trajectory[], o: FptExponentialOptions): RulModel {
    for (const tr of train)
      if (tr.failureT === undefined)
        throw new Error(`asset ${tr.asset}: fpt-exponential trains on failed assets only`);
    const coverage = o.coverage ?? 0.9;
    const core = fitCore(train, o);
    const scores = o.calibrate === false ? [] : leaveOneOutScores(train, o, coverage);
    // finite-sample conformal level ceil((n+1) coverage)/n, as calibrated-model.ts
    const level = Math.min(1, Math.ceil((scores.length + 1) * coverage) / Math.max(1, scores.length));
    return new FptExponentialModel({
      core,
      coverage,
      intervalScale: scores.length >= 20 ? quantile(scores, level) : 1,
      calibrationCases: scores.length,
    });
  },
  load: (state) => new FptExponentialModel(state),
};
