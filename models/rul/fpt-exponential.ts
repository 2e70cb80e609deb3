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
 *  - After the FPT: HI = d + exp(a + b tau) with additive and multiplicative noise and the asset's
 *    baseline offset d (rul/exponential-path.ts), fitted on every row after the baseline: the
 *    model of Gebraeel et al. 2005 and MATLAB's `exponentialDegradationModel` on the index's own
 *    scale, so faint rows weigh by their true precision. The prior on the growth rate b comes from
 *    the failed assets (their mean and spread, shrunk to a 50% spread worth 2 assets); the level a
 *    is left to the data. The failure threshold is each failed asset's fitted log level at its
 *    failure time (mean and unit-to-unit variance over the library, shrunk to a prior sd worth 2
 *    assets), and the RUL and its interval are quantiles of Gebraeel's residual-life distribution
 *    given survival until now (rul/residual-life.ts), from the Laplace posterior of (a, b).
 *  - Intervals are calibrated on assets that have already failed: each failed asset is left out in
 *    turn, the model refitted on the others predicts every row of it after its FPT, and the raw
 *    half-widths are scaled by the conformal quantile of the normalised scores (Lei et al. 2018, as
 *    in calibrated-model.ts). The asset being predicted is never in its own calibration.
 *  - Optionally a design prior (`prior`, `fitDesignPrior`): failure histories of the same asset
 *    type from elsewhere, as a reliability engineer has them. Its index, FPT level, noise and time
 *    scale are kept; its assets' growth rates, failure thresholds and lives are pooled with the
 *    failed assets trained on as `priorWeight` assets (weighted mean and spread); its held-out
 *    scores join the calibration counted apart, as `priorCalibrationAssets` held-out assets' rows
 *    (so the first intervals are not set by their largest score, and the weight on the population
 *    does not set the calibration's), by rows since the FPT (Mondrian strata: the first rows after an
 *    FPT err more than a whole life's scores show). The model then fits on no failed asset
 *    at all and predicts each asset from its own FPT on, before the fleet's first failure; as the
 *    fleet's own assets fail the population moves to theirs. The design assets must not include
 *    any asset the model will predict.
 *
 * Why the index-scale fit with the offset (measured on the synthetic fleet, models/README.md): the
 * earlier log-linear fit from the FPT on took logs of rows near the noise, picked at the FPT for
 * being high, and ignored the baseline offset; its slopes came out 20-50% off on rows whose index
 * was exactly proportional to the damage.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { BaselineFusedIndex, type FusedIndexState } from '../hi/baseline-fused-index.ts';
import type { Gaussian2 } from './bayesian-linear.ts';
import { InputError, quantile, weightedQuantile } from '../../core/index.ts';
import { fitExponentialPath, initialPath, type PathNoise } from './exponential-path.ts';
import { type IntervalStratum, type RulFamily, type RulModel, type RulModelOptions } from './model.ts';
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
  /**
   * a population prior learnt on failed assets of the same type elsewhere (`fitDesignPrior`): its
   * health index, FPT level, noise and time scale are used as they are, its growth rates,
   * thresholds and lives are pooled with the failed assets trained on as `priorWeight` assets, its
   * calibration scores as `priorCalibrationAssets`. With it the model fits on no failed asset at all.
   */
  prior?: FptDesignPrior;
  /** how many failed assets the prior is worth in the population: growth rate, threshold, lives (default DESIGN_PRIOR_WEIGHT) */
  priorWeight?: number;
  /**
   * how many held-out assets' rows the design's calibration scores count as, apart from
   * `priorWeight` (default DESIGN_CALIBRATION_ASSETS, at most the design's held-out assets)
   */
  priorCalibrationAssets?: number;
  /**
   * with a design prior: the calibration is stratified by rows since the FPT (Mondrian), each
   * stratum starting at one of these rows (0 is implied); [] pools all rows (default
   * DESIGN_CALIBRATION_STRATA)
   */
  calibrationStrata?: number[];
}

/** what one failed asset tells about the population, measured through a fitted index */
export interface FailedAssetSummary {
  /** growth rate of its fitted path per timeScale */
  slope: number;
  /** its fitted log HI at failure */
  end: number;
  /** degradation-start-to-failure time */
  span: number;
  ageAtFpt: number;
  fptToFailure: number;
}

/**
 * A population prior learnt on a design fleet (failed assets of the same type, none of them the
 * assets it will predict): the index and noise fitted there, each design asset's summary, and the
 * leave-one-design-asset-out conformal scores of the model fitted on the others.
 */
export interface FptDesignPrior {
  /** where the design assets came from (for manifests) */
  source: string;
  index: FusedIndexState;
  fptLevel: number;
  hysteresis: number;
  noise: PathNoise;
  timeScale: number;
  assets: FailedAssetSummary[];
  /** each side's held-out scores as evenly spaced quantiles, and the held-out rows per asset they stand for */
  below: number[];
  above: number[];
  scoresPerAsset: number;
  /** design assets held out to score (the scores' real count is scoresPerAsset times this) */
  heldOutAssets: number;
  /**
   * the same scores by rows since the FPT (SCORE_BINS: each bin from its row on), as evenly spaced
   * quantiles and their real count, for a calibration stratified by rows since the FPT
   */
  bins?: { from: number; below: number[]; above: number[]; cases: number }[];
  /**
   * the design assets' median time between rows: the strata count rows, so a fleet sampled at
   * another interval (or in another time unit) does not fit this prior (absent in older states)
   */
  rowInterval?: number;
}

/**
 * prior spreads, each worth PRIOR_WEIGHT failed assets: the growth rate's as a fraction of its
 * fleet mean, and the log HI at failure's (the failed assets' fitted levels at failure spread by
 * 0.03-0.06 on the design fleet, seeds 101-105; the growth rate by 24-30%)
 */
const PRIOR_SLOPE_CV = 0.5;
const PRIOR_THRESHOLD_SD = 0.1;
const PRIOR_WEIGHT = 2;
/**
 * the design prior's population is worth this many failed assets of the fleet's own, and its
 * calibration scores this many held-out assets' rows (chosen together on tuning fleets, seeds
 * 106-110: models/README.md, fourth round)
 */
export const DESIGN_PRIOR_WEIGHT = 6;
export const DESIGN_CALIBRATION_ASSETS = 12;
/**
 * with a design prior the calibration is stratified by rows since the FPT: rows 0-1, 2-7, 8 on
 * (chosen on the tuning fleets, seeds 106-110: models/README.md, fifth round)
 */
export const DESIGN_CALIBRATION_STRATA = [2, 8];
/** the design scores' bins by rows since the FPT, of which strata are unions */
const SCORE_BINS = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24];
/** quantiles kept of each side's design scores */
const PRIOR_SCORE_QUANTILES = 200;
/** the log level now is left to the data: a prior sd of e^3 either way */
const LEVEL_PRIOR_SD = 3;
/** held-out predictions needed to calibrate (each side's 95% quantile needs 19) */
const MIN_CALIBRATION = 20;
/** held-out assets in the leave-one-out calibration (each refits the model) */
const MAX_CALIBRATION_FOLDS = 12;
/** the least share of its raw width an interval side keeps after calibration */
const MIN_SIDE = 0.1;
/**
 * state layout; a model saved by an older layout is refused on load with a clear message. A model
 * fitted with a design prior (its library weighs the design's assets, its calibration may be
 * stratified) is saved as 3, so that a build reading only 2 refuses it; one without stays 2.
 */
const STATE_VERSION = 2;
const PRIOR_STATE_VERSION = 3;

interface Core {
  index: FusedIndexState;
  /** HI level of the FPT */
  fptLevel: number;
  hysteresis: number;
  /** noise of the index: additive row variance, multiplicative variance, baseline offset */
  noise: PathNoise;
  /** prior of the growth rate per timeScale after the FPT */
  slopeMean: number;
  slopeSd: number;
  /** log HI at failure: mean and unit-to-unit variance */
  threshold: number;
  thresholdVar: number;
  timeScale: number;
  maxRul: number;
  /** per failed asset: age at its FPT and FPT-to-failure time, for predictions before an FPT (weight: design assets') */
  library: { ageAtFpt: number; fptToFailure: number; weight?: number }[];
}

export interface FptExponentialState {
  version: number;
  core: Core;
  coverage: number;
  /** conformal scales of the raw lower and upper half-widths after the FPT (1 when uncalibrated) */
  lowerScale: number;
  upperScale: number;
  calibrationCases: number;
  /** scales by rows since the FPT (each stratum from its row on; absent: the scales above for every row) */
  strata?: IntervalStratum[];
  /** design assets of the population prior and what they were worth (absent: no prior) */
  priorAssets?: number;
  priorWeight?: number;
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

/** Rows `from`..`end - 1` of an index as (tau, HI), tau = (t - t[end - 1]) / timeScale (0 now, negative before). */
function pathRows(
  hi: Float64Array,
  t: ArrayLike<number>,
  from: number,
  end: number,
  timeScale: number,
): { tau: Float64Array; h: Float64Array } {
  const n = end - from;
  const tau = new Float64Array(n);
  for (let k = 0; k < n; k++) tau[k] = (t[from + k] - t[end - 1]) / timeScale;
  return { tau, h: hi.subarray(from, end) };
}

/** a prior that lets the rows decide (fitting the failed assets themselves) */
const VAGUE = { mean: [0, 0] as [number, number], sd: [100, 100] as [number, number] };

/** A prior's weights must be positive numbers of assets (0 would divide the pooled means by 0). */
function checkPriorWeights(o: FptExponentialOptions): void {
  for (const key of ['priorWeight', 'priorCalibrationAssets'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new InputError(`${key}: expected a number of assets above 0, got ${v}`);
  }
}

function fitCore(units: Trajectory[], o: FptExponentialOptions): Core {
  if (o.prior) checkPriorWeights(o);
  return o.prior ? fitOnPrior(units, o.prior, o.priorWeight ?? DESIGN_PRIOR_WEIGHT) : fitOwn(units, o).core;
}

function fitOwn(units: Trajectory[], o: FptExponentialOptions): { core: Core; assets: FailedAssetSummary[] } {
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
  // noiseSd is the index's healthy sd inflated by (1 + 1/B) for the asset's own baseline mean: the
  // rows share that mean's error, so it is the offset term, and each row keeps the rest
  const rowVar = noiseSd ** 2 / (1 + 1 / baselineRows);
  const noise: PathNoise = { rowVar, multVar: 0.01, offsetVar: rowVar / baselineRows };
  // every failed asset's own path, then the multiplicative variance from their residuals (moment
  // estimate on the rows well above the noise, 2 fitted parameters per asset), twice
  let fits: { a: number; b: number; end: number }[] = [];
  for (let pass = 0; pass < 2; pass++) {
    let ss = 0,
      level2 = 0,
      rows = 0,
      used = 0;
    fits = degrading.map((d) => {
      const r = pathRows(d.hi, d.u.t, baselineRows, d.u.t.length, timeScale);
      const f = fitExponentialPath(r.tau, r.h, noise, VAGUE, initialPath(r.tau, r.h, 2 * noiseSd, 3));
      let here = 0;
      for (let i = 0; i < r.tau.length; i++) {
        const mu = Math.exp(f.mean[0] + f.mean[1] * r.tau[i]);
        if (mu < 3 * noiseSd) continue;
        ss += (r.h[i] - f.offset - mu) ** 2 - rowVar;
        level2 += mu * mu;
        here++;
      }
      rows += here;
      if (here > 2) used++;
      const tauFail = (d.u.failureT! - d.u.t[d.u.t.length - 1]) / timeScale;
      return { a: f.mean[0], b: f.mean[1], end: f.mean[0] + f.mean[1] * tauFail };
    });
    const dof = Math.max(1, rows - 2 * used);
    noise.multVar = Math.max(1e-4, ((ss / Math.max(level2, 1e-12)) * rows) / dof);
  }
  // normal-inverse-gamma style shrinkage: the fleet's spread plus a prior spread worth 2 assets, so
  // one or two failed assets give a weak prior and the asset's own rows decide
  const m = fits.length;
  const slopeMean = fits.reduce((s, f) => s + f.b, 0) / m;
  const slopeVar =
    (PRIOR_WEIGHT * (PRIOR_SLOPE_CV * slopeMean) ** 2 +
      fits.reduce((s, f) => s + (f.b - slopeMean) ** 2, 0)) /
    (m + PRIOR_WEIGHT);
  const threshold = fits.reduce((s, f) => s + f.end, 0) / m;
  const thresholdVar =
    (PRIOR_WEIGHT * PRIOR_THRESHOLD_SD ** 2 + fits.reduce((s, f) => s + (f.end - threshold) ** 2, 0)) /
    (m + PRIOR_WEIGHT);
  const library = degrading.map((d) => ({
    ageAtFpt: d.u.t[d.fpt] - d.u.t[0],
    fptToFailure: d.u.failureT! - d.u.t[d.fpt],
  }));
  return {
    core: {
      index: index.state,
      fptLevel,
      hysteresis,
      noise,
      slopeMean,
      slopeSd: Math.sqrt(slopeVar),
      threshold,
      thresholdVar,
      timeScale,
      maxRul: 3 * Math.max(...spans),
      library,
    },
    assets: fits.map((f, k) => ({ slope: f.b, end: f.end, span: spans[k], ...library[k] })),
  };
}

/**
 * The model on a design prior: the prior's index, FPT level, noise and time scale; each failed asset
 * trained on is measured through them, and the population (growth rate, threshold, lives) is the
 * design assets, worth `weight` assets together, pooled with them (weighted mean and spread: the
 * fleet's own failures pull it their way as they accumulate).
 */
function fitOnPrior(units: Trajectory[], p: FptDesignPrior, weight: number): Core {
  const index = new BaselineFusedIndex(p.index);
  const baselineRows = p.index.baselineRows;
  const own = units.flatMap((u): FailedAssetSummary[] => {
    if (u.t.length <= baselineRows + 1) return [];
    const hi = index.transform(u);
    const fpt = firstPredictingIndex(hi, p.fptLevel, p.hysteresis, baselineRows);
    if (fpt < 0) return [];
    const start = fpt - p.hysteresis + 1;
    if (u.t.length - start < 3) return [];
    const r = pathRows(hi, u.t, baselineRows, u.t.length, p.timeScale);
    let f;
    try {
      f = fitExponentialPath(r.tau, r.h, p.noise, VAGUE, initialPath(r.tau, r.h, 2 * p.index.noiseSd, 3));
    } catch {
      return [];
    }
    const tauFail = (u.failureT! - u.t[u.t.length - 1]) / p.timeScale;
    return [
      {
        slope: f.mean[1],
        end: f.mean[0] + f.mean[1] * tauFail,
        span: u.failureT! - u.t[start],
        ageAtFpt: u.t[fpt] - u.t[0],
        fptToFailure: u.failureT! - u.t[fpt],
      },
    ];
  });
  const each = weight / p.assets.length;
  const pool = [...p.assets.map((a) => ({ a, w: each })), ...own.map((a) => ({ a, w: 1 }))];
  const total = pool.reduce((s, x) => s + x.w, 0);
  const mean = (g: (a: FailedAssetSummary) => number) => pool.reduce((s, x) => s + x.w * g(x.a), 0) / total;
  const spread = (g: (a: FailedAssetSummary) => number, m: number) =>
    pool.reduce((s, x) => s + x.w * (g(x.a) - m) ** 2, 0) / total;
  const slopeMean = mean((a) => a.slope);
  const threshold = mean((a) => a.end);
  return {
    index: p.index,
    fptLevel: p.fptLevel,
    hysteresis: p.hysteresis,
    noise: p.noise,
    slopeMean,
    slopeSd: Math.sqrt(spread((a) => a.slope, slopeMean)),
    threshold,
    thresholdVar: spread((a) => a.end, threshold),
    timeScale: p.timeScale,
    maxRul: 3 * Math.max(...pool.map((x) => x.a.span)),
    library: pool.map((x) => ({ ageAtFpt: x.a.ageAtFpt, fptToFailure: x.a.fptToFailure, weight: x.w })),
  };
}

interface RawPrediction {
  rul: number;
  lower: number;
  upper: number;
  healthIndex: number;
  firstPredictingT: number | null;
  /** rows since the FPT (0 at the FPT row) */
  sinceFpt?: number;
}

function predictCore(c: Core, history: Trajectory, coverage: number): RawPrediction {
  const index = new BaselineFusedIndex(c.index);
  const hi = index.transform(history);
  const n = history.t.length;
  const now = history.t[n - 1];
  const al = (1 - coverage) / 2;
  const baselineRows = c.index.baselineRows;
  const fpt = n > baselineRows ? firstPredictingIndex(hi, c.fptLevel, c.hysteresis, baselineRows) : -1;
  const fleet = (): RawPrediction => {
    // not observable (yet): the failed assets' remaining lives at this age
    const age = now - history.t[0];
    const lives = c.library.map((l) => l.fptToFailure + Math.max(0, l.ageAtFpt - age));
    // a library with a design prior weighs its design assets by what the prior is worth
    const weights = c.library.map((l) => l.weight ?? 1);
    const weighted = c.library.some((l) => l.weight !== undefined);
    const q = (p: number) => (weighted ? weightedQuantile(lives, weights, p) : quantile(lives, p));
    const mid = q(0.5);
    // fewer than 3 failed assets show no spread: the prior's lognormal spread stands in
    const z = standardNormalQuantile(1 - al) * PRIOR_SLOPE_CV;
    return {
      rul: mid,
      lower: lives.length >= 3 ? q(al) : mid * Math.exp(-z),
      upper: lives.length >= 3 ? q(1 - al) : mid * Math.exp(z),
      healthIndex: hi[n - 1],
      firstPredictingT: null,
    };
  };
  if (fpt < 0) return fleet();
  const r = pathRows(hi, history.t, baselineRows, n, c.timeScale);
  let post: Gaussian2;
  try {
    post = fitExponentialPath(
      r.tau,
      r.h,
      c.noise,
      { mean: [Math.log(c.fptLevel), c.slopeMean], sd: [LEVEL_PRIOR_SD, c.slopeSd] },
      initialPath(r.tau, r.h, 2 * c.index.noiseSd, c.slopeMean),
    );
  } catch {
    return fleet(); // no identifiable path yet
  }
  // the crossing of the fitted (noise-free) path: the threshold was measured on fitted paths too
  const horizon = c.maxRul / c.timeScale;
  const [lo, med, up] = residualLifeQuantiles(
    { params: post, noiseVar: 0, threshold: c.threshold, thresholdVar: c.thresholdVar },
    0,
    [al, 0.5, 1 - al],
    horizon,
  );
  // a path that does not rise (even its lower quantile is beyond the longest horizon) measures no
  // growth yet: the asset is treated as not yet predicting (compared on the quantiles' own scale:
  // lo * timeScale can round below maxRul and leave an interval of zero width at the horizon)
  if (lo >= horizon) return fleet();
  return {
    rul: med * c.timeScale,
    lower: lo * c.timeScale,
    upper: up * c.timeScale,
    healthIndex: hi[n - 1],
    firstPredictingT: history.t[fpt],
    sinceFpt: n - 1 - fpt,
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

/**
 * One-sided scores of every post-FPT row of each failed asset, predicted by a model fitted without
 * it: how many raw lower (upper) half-widths the truth lies below (above) the estimate, negative
 * when it lies on the other side.
 */
function leaveOneOutScores(
  units: Trajectory[],
  o: FptExponentialOptions,
  coverage: number,
  maxFolds = MAX_CALIBRATION_FOLDS,
  fitFold: (others: Trajectory[]) => Core = (others) => fitCore(others, o),
  groupOf?: (u: Trajectory) => string,
): { below: number[]; above: number[]; since: number[]; folds: number } {
  const below: number[] = [],
    above: number[] = [],
    since: number[] = [];
  // at most MAX_CALIBRATION_FOLDS held-out assets, spread evenly over the library: the scores of a
  // dozen assets pin the 95% quantiles, and every fold refits the model on the others; with
  // `groupOf`, each group is held out whole (every asset of it scored)
  const folds: number[][] = [];
  if (groupOf) {
    const groups = new Map<string, number[]>();
    units.forEach((u, k) => groups.set(groupOf(u), [...(groups.get(groupOf(u)) ?? []), k]));
    folds.push(...groups.values());
  } else {
    const step = Math.max(1, units.length / maxFolds);
    const picked = new Set<number>();
    for (let x = 0; x < units.length; x += step) picked.add(Math.floor(x));
    folds.push(...[...picked].map((k) => [k]));
  }
  for (const fold of folds) {
    let core: Core;
    try {
      core = fitFold(units.filter((_, j) => !fold.includes(j)));
    } catch {
      continue; // the others alone cannot make a prior: no scores from this fold
    }
    for (const held of fold.map((k) => units[k]))
      for (let end = core.index.baselineRows + 1; end <= held.t.length; end++) {
        const p = predictCore(core, head(held, end), coverage);
        if (p.firstPredictingT === null) continue;
        const truth = held.failureT! - held.t[end - 1];
        below.push((p.rul - truth) / Math.max(p.rul - p.lower, 1e-9 * p.rul));
        above.push((truth - p.rul) / Math.max(p.upper - p.rul, 1e-9 * p.rul));
        since.push(p.sinceFpt!);
      }
  }
  return { below, above, since, folds: folds.reduce((s, f) => s + f.length, 0) };
}

/** evenly spaced quantiles of a sample (all of it when it is smaller) */
function quantilesOf(v: number[], n: number): number[] {
  if (v.length <= n) return [...v].sort((x, y) => x - y);
  return Array.from({ length: n }, (_, i) => quantile(v, (i + 0.5) / n));
}

/**
 * The population prior of a design fleet: the model fitted on its failed assets, each one's
 * summary, and held-out scores: one design asset at a time (up to `maxFolds` of them), or with
 * `groupOf` each group (e.g. the fleet it came from) held out whole, as a fleet the prior has never
 * seen. None of these assets may be one the prior will predict.
 */
export function fitDesignPrior(
  units: Trajectory[],
  o: FptExponentialOptions,
  source: string,
  maxFolds = 30,
  groupOf?: (u: Trajectory) => string,
): FptDesignPrior {
  for (const tr of units)
    if (tr.failureT === undefined)
      throw new Error(`asset ${tr.asset}: a design prior is learnt on failed assets only`);
  const own = { ...o, prior: undefined };
  const { core, assets } = fitOwn(units, own);
  // each held-out design asset is predicted the way the prior will be used (the other design assets
  // as the prior, worth `priorWeight`, no failure of the fleet's own), so the raw intervals the
  // scores scale are the ones the prior gives
  const weight = o.priorWeight ?? DESIGN_PRIOR_WEIGHT;
  const s = leaveOneOutScores(
    units,
    own,
    o.coverage ?? 0.9,
    maxFolds,
    (others) =>
      fitOnPrior([], priorOf(fitOwn(others, own), '', { below: [], above: [], since: [], folds: 0 }), weight),
    groupOf,
  );
  return { ...priorOf({ core, assets }, source, s), rowInterval: medianRowInterval(units) };
}

/** The median over units of each unit's median time between rows. */
export function medianRowInterval(units: Pick<Trajectory, 't'>[]): number {
  const perUnit = units
    .filter((u) => u.t.length >= 2)
    .map((u) =>
      quantile(
        Array.from(u.t.subarray(1), (t, i) => t - u.t[i]),
        0.5,
      ),
    );
  return perUnit.length ? quantile(perUnit, 0.5) : NaN;
}

function priorOf(
  { core, assets }: { core: Core; assets: FailedAssetSummary[] },
  source: string,
  s: { below: number[]; above: number[]; since: number[]; folds: number },
): FptDesignPrior {
  const bins = SCORE_BINS.map((from, b) => {
    const to = SCORE_BINS[b + 1] ?? Infinity;
    const k = s.since.flatMap((r, i) => (r >= from && r < to ? [i] : []));
    return {
      from,
      below: quantilesOf(
        k.map((i) => s.below[i]),
        PRIOR_SCORE_QUANTILES,
      ),
      above: quantilesOf(
        k.map((i) => s.above[i]),
        PRIOR_SCORE_QUANTILES,
      ),
      cases: k.length,
    };
  });
  return {
    source,
    index: core.index,
    fptLevel: core.fptLevel,
    hysteresis: core.hysteresis,
    noise: core.noise,
    timeScale: core.timeScale,
    assets,
    below: quantilesOf(s.below, PRIOR_SCORE_QUANTILES),
    above: quantilesOf(s.above, PRIOR_SCORE_QUANTILES),
    scoresPerAsset: s.below.length / Math.max(1, s.folds),
    heldOutAssets: s.folds,
    bins,
  };
}

class FptExponentialModel implements RulModel {
  readonly family = 'fpt-exponential';
  constructor(readonly state: FptExponentialState) {}

  intervalCalibration(): Record<string, number> {
    const { lowerScale, upperScale, calibrationCases, priorAssets, priorWeight } = this.state;
    return {
      lowerScale,
      upperScale,
      calibrationCases,
      ...(priorAssets !== undefined && { priorAssets, priorWeight: priorWeight! }),
    };
  }

  intervalStrata(): IntervalStratum[] | undefined {
    return this.state.strata;
  }

  predictRaw(history: Trajectory): RawPrediction {
    const p = predictCore(this.state.core, history, this.state.coverage);
    if (p.firstPredictingT === null) return p;
    const stratum = this.state.strata?.findLast((s) => p.sinceFpt! >= s.from);
    const { lowerScale, upperScale } = stratum ?? this.state;
    return {
      ...p,
      lower: Math.max(0, p.rul - lowerScale * (p.rul - p.lower)),
      upper: p.rul + upperScale * (p.upper - p.rul),
    };
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
    const scores =
      o.calibrate === false ? { below: [], above: [], since: [] } : leaveOneOutScores(train, o, coverage);
    // a design prior's scores count as `priorCalibrationAssets` held-out assets' rows (at most
    // their real count), whatever the prior is worth in the population
    const p = o.calibrate === false ? undefined : o.prior;
    const weight = o.priorWeight ?? DESIGN_PRIOR_WEIGHT;
    const designAssets = Math.min(
      o.priorCalibrationAssets ?? DESIGN_CALIBRATION_ASSETS,
      p?.heldOutAssets ?? 0,
    );
    const designCases = p ? designAssets * p.scoresPerAsset : 0;
    // each side misses (1 - coverage) / 2 of the held-out truths: the finite-sample conformal level
    // ceil((n + 1)(1 - a/2)) / n of each one-sided score (Lei et al. 2018; Romano et al. 2019 for
    // the two sides apart). A side the truths never reach keeps MIN_SIDE of its raw width. Each
    // own score weighs 1, the design's quantiles the rows they stand for (`w`, on both sides).
    type Scores = { below: number[]; above: number[] };
    const scales = (own: Scores, design: Scores & { w: number[] }) => {
      const n = own.below.length + design.w.reduce((t, x) => t + x, 0);
      const level = Math.min(1, Math.ceil((n + 1) * (1 - (1 - coverage) / 2)) / Math.max(1, n));
      const side = (v: number[], d: number[]) =>
        Math.max(
          MIN_SIDE,
          p ? weightedQuantile([...v, ...d], [...v.map(() => 1), ...design.w], level) : quantile(v, level),
        );
      return n >= MIN_CALIBRATION
        ? { lowerScale: side(own.below, design.below), upperScale: side(own.above, design.above), cases: n }
        : { lowerScale: 1, upperScale: 1, cases: n };
    };
    const even = (v: number[], cases: number) => v.map(() => cases / v.length);
    const pooled = scales(scores, {
      below: p?.below ?? [],
      above: p?.above ?? [],
      w: p ? even(p.below, designCases) : [],
    });
    // with a design prior, a Mondrian calibration by rows since the FPT: the first rows after an
    // FPT err more than a held-out design asset's whole life shows. A stratum too small to
    // calibrate keeps the pooled scales.
    const starts = p?.bins
      ? [0, ...(o.calibrationStrata ?? DESIGN_CALIBRATION_STRATA).filter((r) => r > 0)]
      : [0];
    const strata =
      starts.length < 2
        ? undefined
        : starts.map((from, k) => {
            const inside = (r: number) => r >= from && r < (starts[k + 1] ?? Infinity);
            const mine = scores.since.flatMap((r, i) => (inside(r) ? [i] : []));
            const bins = p!.bins!.filter((b) => inside(b.from));
            const s = scales(
              { below: mine.map((i) => scores.below[i]), above: mine.map((i) => scores.above[i]) },
              {
                below: bins.flatMap((b) => b.below),
                above: bins.flatMap((b) => b.above),
                w: bins.flatMap((b) => even(b.below, (designAssets * b.cases) / p!.heldOutAssets)),
              },
            );
            return s.cases >= MIN_CALIBRATION ? { from, ...s } : { ...pooled, from, cases: s.cases };
          });
    return new FptExponentialModel({
      version: o.prior ? PRIOR_STATE_VERSION : STATE_VERSION,
      core,
      coverage,
      lowerScale: pooled.lowerScale,
      upperScale: pooled.upperScale,
      calibrationCases: Math.round(pooled.cases),
      ...(strata && { strata }),
      ...(o.prior && { priorAssets: o.prior.assets.length, priorWeight: weight }),
    });
  },
  load: (state) => {
    if (state.version !== STATE_VERSION && state.version !== PRIOR_STATE_VERSION)
      throw new Error(
        `fpt-exponential: the saved model has state layout ${state.version ?? 1}, this version reads ${STATE_VERSION} and ${PRIOR_STATE_VERSION}; train it again`,
      );
    return new FptExponentialModel(state);
  },
};
