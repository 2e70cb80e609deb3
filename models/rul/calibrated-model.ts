/**
 * A fitted RUL model with calibrated intervals. Raw intervals (neighbour spread, posterior draws,
 * lifetime quantiles) rarely have their nominal coverage, so the fit holds out engines in K folds,
 * truncates them at random, and scales the raw interval about the estimate by the factor that makes
 * it cover the held-out truths at the target rate: split-conformal calibration with a normalised
 * score (Lei et al., "Distribution-free predictive inference for regression", JASA 2018).
 */
import { quantile } from '../../core/index.ts';
import type { Trajectory } from '../data/trajectory.ts';
import {
  type FitControl,
  type Prediction,
  type RulFamily,
  type RulModel,
  type RulModelOptions,
} from './model.ts';
import { truncateAtRandom, type TruncationOptions } from './truncation.ts';

export interface CalibrationOptions extends TruncationOptions {
  /** folds for interval calibration (default 3; 0 keeps raw intervals) */
  calibrationFolds?: number;
}

export interface CalibratedState {
  family: string;
  options: RulModelOptions;
  model: unknown;
  /** raw half-widths are multiplied by this */
  intervalScale: number;
  calibrationCases: number;
}

/** The conformity score: how many raw half-widths away from the estimate the truth lies. */
export function normalisedScore(raw: { rul: number; lower: number; upper: number }, truth: number): number {
  // a degenerate raw side (all draws equal) still gets a unit-width floor, so its score stays finite
  const below = Math.max(raw.rul - raw.lower, 1);
  const above = Math.max(raw.upper - raw.rul, 1);
  return truth < raw.rul ? (raw.rul - truth) / below : (truth - raw.rul) / above;
}

export class CalibratedModel {
  constructor(
    readonly state: CalibratedState,
    private readonly raw: RulModel,
  ) {}

  get family(): string {
    return this.state.family;
  }

  /**
   * The interval calibration actually applied, for manifests: a self-calibrating family's own
   * (fpt-exponential: each side's conformal scale), else the factor of this wrapper's folds.
   */
  intervalCalibration(): Record<string, number> {
    return (
      this.raw.intervalCalibration?.() ?? {
        intervalScale: this.state.intervalScale,
        calibrationCases: this.state.calibrationCases,
      }
    );
  }

  /**
   * What the manifest records of the calibration: `intervalCalibration()` and, when the family
   * scales by stratum (fpt-exponential with a design prior), each stratum's scales (`intervalStrata`),
   * since those are the ones its predictions use.
   */
  calibrationManifest(): Record<string, unknown> {
    const strata = this.raw.intervalStrata?.();
    return { ...this.intervalCalibration(), ...(strata && { intervalStrata: strata }) };
  }

  predict(history: Trajectory): Prediction {
    const r = this.raw.predictRaw(history);
    const s = this.state.intervalScale;
    return {
      asset: history.asset,
      t: history.t[history.t.length - 1],
      model: this.state.family,
      rul: r.rul,
      lower: Math.max(0, r.rul - s * (r.rul - r.lower)),
      upper: r.rul + s * (r.upper - r.rul),
      coverage: this.state.options.coverage ?? 0.9,
      ...(r.healthIndex !== undefined && { healthIndex: r.healthIndex }),
      ...(r.firstPredictingT !== undefined && { firstPredictingT: r.firstPredictingT }),
    };
  }

  /** Fits any family: self-calibrating (async) families directly, the others with K calibration folds. */
  static async fitAny(
    family: RulFamily,
    train: Trajectory[],
    options: RulModelOptions,
    cal: CalibrationOptions = {},
    control: FitControl = {},
  ): Promise<CalibratedModel> {
    if (!family.fitAsync) return CalibratedModel.fit(family, train, options, cal);
    const model = await family.fitAsync(train, options, control);
    return new CalibratedModel(
      { family: family.family, options, model: model.state, intervalScale: 1, calibrationCases: 0 },
      model,
    );
  }

  static fit(
    family: RulFamily,
    train: Trajectory[],
    options: RulModelOptions,
    cal: CalibrationOptions = {},
  ): CalibratedModel {
    const folds = family.calibratesItself ? 0 : Math.min(cal.calibrationFolds ?? 3, train.length);
    const scores: number[] = [];
    if (folds >= 2) {
      for (let f = 0; f < folds; f++) {
        const held = train.filter((_, i) => i % folds === f);
        const rest = train.filter((_, i) => i % folds !== f);
        const m = fitSync(family, rest, options);
        for (const c of truncateAtRandom(held, { ...cal, seed: (cal.seed ?? 1) + 7919 * (f + 1) })) {
          scores.push(normalisedScore(m.predictRaw(c.history), c.truth));
        }
      }
    }
    const coverage = options.coverage ?? 0.9;
    // finite-sample conformal quantile: ceil((n+1) coverage)/n
    const level = Math.min(1, Math.ceil((scores.length + 1) * coverage) / Math.max(1, scores.length));
    const intervalScale = scores.length ? quantile(scores, level) : 1;
    const model = fitSync(family, train, options);
    return new CalibratedModel(
      { family: family.family, options, model: model.state, intervalScale, calibrationCases: scores.length },
      model,
    );
  }

  static load(family: RulFamily, state: CalibratedState): CalibratedModel {
    return new CalibratedModel(state, family.load(state.model));
  }
}

function fitSync(family: RulFamily, train: Trajectory[], options: RulModelOptions): RulModel {
  if (!family.fit) throw new Error(`${family.family} trains asynchronously: use CalibratedModel.fitAny`);
  return family.fit(train, options);
}
