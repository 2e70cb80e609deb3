/**
 * The C-MAPSS evaluation protocol. Test split: train on the run-to-failure training file, predict
 * RUL at the last cycle of every test engine, score against the true-RUL file. Cross-validation:
 * engines of the training file in K folds; held-out engines are truncated at random (as the test
 * set is) and scored the same way. Reports RMSE, PHM08 score, MAE, interval coverage and width,
 * timings and per-engine predictions.
 */
import type { Trajectory } from '../data/trajectory.ts';
import { CalibratedModel, type CalibrationOptions } from '../rul/calibrated-model.ts';
import type { FitControl, RulFamily, RulModelOptions } from '../rul/model.ts';
import { truncateAtRandom, type TruncatedCase } from '../rul/truncation.ts';
import { intervalCoverage, mae, meanWidth, phm08Score, rmse } from './metrics.ts';

export interface EngineResult {
  unit: string;
  rul: number;
  lower: number;
  upper: number;
  truth: number;
  fold?: number;
}

export interface EvaluationReport {
  model: string;
  n: number;
  /** RMSE against the raw (uncapped) truth */
  rmse: number;
  /**
   * RMSE against the truth capped as the training target is (min(cap, truth)): how well the model
   * learned what it was taught, apart from the remaining lives above the cap it cannot see
   */
  cappedRmse: number;
  cap: number;
  /** PHM08 score against the raw truth */
  score: number;
  /** PHM08 score against the truth capped at `cap` */
  cappedScore: number;
  mae: number;
  coverage: number;
  nominalCoverage: number;
  meanIntervalWidth: number;
  trainSeconds: number;
  predictSeconds: number;
  predictions: EngineResult[];
}

export function summarise(
  model: string,
  preds: EngineResult[],
  nominal: number,
  trainSeconds: number,
  predictSeconds: number,
  cap = 125,
): EvaluationReport {
  const p = preds.map((x) => x.rul),
    y = preds.map((x) => x.truth);
  const yCapped = y.map((v) => Math.min(cap, v));
  return {
    model,
    n: preds.length,
    rmse: rmse(p, y),
    cappedRmse: rmse(p, yCapped),
    cap,
    score: phm08Score(p, y),
    cappedScore: phm08Score(p, yCapped),
    mae: mae(p, y),
    coverage: intervalCoverage(
      preds.map((x) => x.lower),
      preds.map((x) => x.upper),
      y,
    ),
    nominalCoverage: nominal,
    meanIntervalWidth: meanWidth(
      preds.map((x) => x.lower),
      preds.map((x) => x.upper),
    ),
    trainSeconds,
    predictSeconds,
    predictions: preds,
  };
}

function predictCases(model: CalibratedModel, cases: TruncatedCase[], fold?: number): EngineResult[] {
  return cases.map((c) => {
    const p = model.predict(c.history);
    return {
      unit: c.history.asset,
      rul: p.rul,
      lower: p.lower,
      upper: p.upper,
      truth: c.truth,
      ...(fold !== undefined && { fold }),
    };
  });
}

/** Official-style split: test trajectories are truncated histories, truth their true RULs in unit order. */
export async function evaluateTestSplit(
  family: RulFamily,
  train: Trajectory[],
  test: Trajectory[],
  truth: number[],
  options: RulModelOptions,
  cal: CalibrationOptions = {},
  control: FitControl = {},
): Promise<EvaluationReport> {
  if (truth.length !== test.length)
    throw new Error(`truth has ${truth.length} values for ${test.length} test engines`);
  const t0 = performance.now();
  const model = await CalibratedModel.fitAny(family, train, options, cal, control);
  const t1 = performance.now();
  const preds = predictCases(
    model,
    test.map((h, i) => ({ history: h, truth: truth[i] })),
  );
  const t2 = performance.now();
  return summarise(
    family.family,
    preds,
    options.coverage ?? 0.9,
    (t1 - t0) / 1000,
    (t2 - t1) / 1000,
    options.cap ?? 125,
  );
}

/** Engine-wise K-fold cross-validation on run-to-failure trajectories. */
export async function crossValidate(
  family: RulFamily,
  train: Trajectory[],
  folds: number,
  options: RulModelOptions,
  cal: CalibrationOptions = {},
  onFold: (done: number, total: number) => void = () => {},
  control: FitControl = {},
): Promise<EvaluationReport & { folds: number }> {
  const preds: EngineResult[] = [];
  let trainSeconds = 0,
    predictSeconds = 0;
  for (let f = 0; f < folds; f++) {
    const held = train.filter((_, i) => i % folds === f);
    const rest = train.filter((_, i) => i % folds !== f);
    const t0 = performance.now();
    const model = await CalibratedModel.fitAny(family, rest, options, cal, control);
    const t1 = performance.now();
    preds.push(...predictCases(model, truncateAtRandom(held, { ...cal, seed: options.seed ?? 1 }), f));
    predictSeconds += (performance.now() - t1) / 1000;
    trainSeconds += (t1 - t0) / 1000;
    onFold(f + 1, folds);
  }
  return {
    ...summarise(
      family.family,
      preds,
      options.coverage ?? 0.9,
      trainSeconds,
      predictSeconds,
      options.cap ?? 125,
    ),
    folds,
  };
}
