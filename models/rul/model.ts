/**
 * The RUL model interface: fit on run-to-failure trajectories, predict from a history. Every
 * prediction carries an interval with a stated coverage (default 90%).
 */
import type { Trajectory } from '../data/trajectory.ts';

export interface Prediction {
  asset: string;
  /** time of the last row of the history the prediction was made from */
  t: number;
  model: string;
  /** remaining useful life estimate, in the asset's time unit */
  rul: number;
  lower: number;
  upper: number;
  /** the interval's nominal coverage, e.g. 0.9 */
  coverage: number;
  healthIndex?: number;
  /**
   * for models with a first predicting time (FPT): when this history's degradation was detected,
   * or null when it has not been (the RUL is then the fleet's, not this asset's)
   */
  firstPredictingT?: number | null;
}

export interface RulModelOptions {
  settings: string[];
  channels: string[];
  /** cap of the piecewise-linear RUL target (default 125) */
  cap?: number;
  /** nominal interval coverage (default 0.9) */
  coverage?: number;
  seed?: number;
}

/** A fitted RUL model: predicts raw (uncalibrated) intervals; `state` serialises it. */
export interface RulModel {
  readonly family: string;
  predictRaw(history: Trajectory): {
    rul: number;
    lower: number;
    upper: number;
    healthIndex?: number;
    firstPredictingT?: number | null;
  };
  readonly state: unknown;
  /** how a self-calibrating family scaled its raw intervals (for the manifest), when it does */
  intervalCalibration?(): Record<string, number>;
  /** the scales per stratum of rows since the first predicting time, when the calibration is stratified */
  intervalStrata?(): IntervalStratum[] | undefined;
}

/** Progress and stop signal for long fits (neural training). */
export interface FitControl {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface RulFamily<S = unknown> {
  readonly family: string;
  readonly description: string;
  /** the fit calibrates its own intervals, so CalibratedModel adds no folds of its own */
  readonly calibratesItself?: boolean;
  /** synchronous fit (classical families); intervals are calibrated by CalibratedModel's folds */
  fit?(train: Trajectory[], options: RulModelOptions): RulModel;
  /**
   * asynchronous fit (neural families), which calibrates its own intervals (on its validation
   * engines), so CalibratedModel does not refit it K more times
   */
  fitAsync?(train: Trajectory[], options: RulModelOptions, control?: FitControl): Promise<RulModel>;
  /** rebuilds a fitted model from its state (registry load) */
  load(state: S): RulModel;
  /**
   * for states with binary parts (network weights): writes them as files into the model's registry
   * folder and returns the rest, which goes into model.json; `readFiles` puts them back
   */
  writeFiles?(state: S, dir: string): unknown;
  readFiles?(json: unknown, dir: string): S;
}

/** One stratum of a calibration stratified by rows since the first predicting time: its scales and score count. */
export interface IntervalStratum {
  /** rows since the FPT where the stratum starts (it runs to the next one's start) */
  from: number;
  lowerScale: number;
  upperScale: number;
  cases: number;
}
