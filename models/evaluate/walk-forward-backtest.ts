/**
 * Walk-forward backtest on run-to-failure assets with known failure (and onset) times. At every
 * time step only the past is used: the anomaly detector is fitted on each asset's early-life
 * baseline; the RUL model's library holds only assets that had already failed at that time (it is
 * refitted at each new failure). Reports, after Saxena et al., "Metrics for offline evaluation of
 * prognostic performance", IJPHM 1 (2010):
 *   - detection rate: share of assets alerted at least `leadTime` before failure;
 *   - lead times of the first alerts, and false alarms (alert episodes before defect onset) per
 *     asset-month of healthy operation;
 *   - alpha-lambda accuracy: at lambda = 0.25, 0.5, 0.75 of the way from the first prediction to
 *     failure, whether the prediction lies within +-alpha of the true RUL;
 *   - prognostic horizon: time before failure from which every prediction stays within
 *     +-alpha x (failure time - first prediction time) of the truth (0 when the last one does not);
 *   - coverage of the truth by the intervals, and RMSE, over the predictions.
 * "First prediction" is the first prediction after the first predicting time (FPT): the time the
 * model itself reports it detected degradation (`firstPredictingT`), or, for a model without one,
 * the asset's first alert. Earlier predictions are the fleet's prior, not this asset's prognosis.
 * A prediction whose interval has zero width is a defect and stops the backtest.
 */
import { median } from '../../core/index.ts';
import type { Trajectory } from '../data/trajectory.ts';
import { ANOMALY_DEFAULTS } from '../anomaly/defaults.ts';
import { MahalanobisDetector } from '../anomaly/mahalanobis.ts';
import { CalibratedModel } from '../rul/calibrated-model.ts';
import type { RulFamily, RulModelOptions } from '../rul/model.ts';
import { assertIntervalWidth } from '../rul/interval-guard.ts';

export interface BacktestAsset extends Trajectory {
  failureT: number;
  /** defect onset (ground truth); alarms before it are false alarms */
  onsetT?: number;
}

export interface BacktestOptions {
  channels: string[];
  /** required warning time, in the assets' time unit */
  leadTime: number;
  falseAlarmRate?: number;
  baselineFraction?: number;
  /** consecutive alarms before an alert (default 2) */
  hysteresis?: number;
  alpha?: number;
  /** a month in the time unit (default: 30 days of ms) */
  monthLength?: number;
  /** RUL model; omitted, only detection is backtested */
  rul?: { family: RulFamily; options: RulModelOptions; minLibrary?: number };
}

export interface AssetBacktest {
  asset: string;
  failureT: number;
  firstAlertT: number | null;
  leadTime: number | null;
  detected: boolean;
  falseAlarms: number;
  healthyMonths: number;
  alarmContributors: { channel: string; contribution: number }[];
  predictions: {
    t: number;
    rul: number;
    lower: number;
    upper: number;
    truth: number;
    /** the model's first predicting time as of this prediction (null: not yet; absent: the model has none) */
    firstPredictingT?: number | null;
  }[];
  /** time of the first prediction after the first predicting time (null: none) */
  firstPredictionT: number | null;
  /** predictions from firstPredictionT on */
  predictionsAfterFpt: number;
  alphaLambda: { lambda: number; within: boolean | null }[];
  prognosticHorizon: number | null;
  /** share of the predictions after the FPT whose interval holds the truth */
  coverage: number | null;
  /** RMSE of the predictions after the FPT, in the time unit */
  rmse: number | null;
}

export interface BacktestReport {
  assets: number;
  detectionRate: number;
  leadTimes: { min: number; median: number; max: number } | null;
  falseAlarmsPerAssetMonth: number;
  alphaLambdaAccuracy: { lambda: number; fraction: number | null; assets: number }[];
  meanPrognosticHorizon: number | null;
  /** assets with predictions after their FPT (the ones the RUL figures are over) */
  prognosedAssets: number;
  /** interval coverage of the truth, pooled over every prediction after the FPT */
  intervalCoverage: number | null;
  /** nominal coverage of the intervals (e.g. 0.9) */
  nominalCoverage: number | null;
  /** RMSE pooled over every prediction after the FPT, in the time unit */
  rmseAfterFpt: number | null;
  perAsset: AssetBacktest[];
}

export function backtest(assets: BacktestAsset[], o: BacktestOptions): BacktestReport {
  const hysteresis = o.hysteresis ?? ANOMALY_DEFAULTS.consecutiveAlarms;
  const alpha = o.alpha ?? 0.2;
  const month = o.monthLength ?? 30 * 86_400_000;
  const detector = MahalanobisDetector.fit(assets, o.channels, {
    fraction: o.baselineFraction ?? ANOMALY_DEFAULTS.baselineFraction,
    falseAlarmRate: o.falseAlarmRate ?? ANOMALY_DEFAULTS.falseAlarmRate,
  });
  const rulByAsset = o.rul ? walkForwardRul(assets, o.rul) : new Map<string, AssetBacktest['predictions']>();
  const perAsset = assets.map((a): AssetBacktest => {
    const { alarm } = detector.score(a);
    let run = 0,
      firstAlert = -1,
      falseAlarms = 0,
      inEpisode = false;
    for (let i = 0; i < alarm.length; i++) {
      run = alarm[i] ? run + 1 : 0;
      const alert = run >= hysteresis;
      const healthy = a.onsetT !== undefined && a.t[i] < a.onsetT;
      if (alert && !inEpisode && healthy) falseAlarms++;
      if (alert && firstAlert < 0 && !healthy) firstAlert = i;
      inEpisode = alert;
    }
    const healthyEnd = Math.min(a.onsetT ?? a.t[0], a.t[a.t.length - 1]);
    const predictions = rulByAsset.get(a.asset) ?? [];
    const firstAlertT = firstAlert >= 0 ? a.t[firstAlert] : null;
    const after = afterFpt(predictions, firstAlertT);
    const lead = firstAlertT === null ? null : a.failureT - firstAlertT;
    return {
      asset: a.asset,
      failureT: a.failureT,
      firstAlertT,
      leadTime: lead,
      detected: lead !== null && lead >= o.leadTime,
      falseAlarms,
      healthyMonths: Math.max(0, healthyEnd - a.t[0]) / month,
      alarmContributors: firstAlert >= 0 ? detector.contributions(a, firstAlert).slice(0, 3) : [],
      predictions,
      firstPredictionT: after[0]?.t ?? null,
      predictionsAfterFpt: after.length,
      alphaLambda: alphaLambda(after, a.failureT, alpha),
      prognosticHorizon: prognosticHorizon(after, a.failureT, alpha),
      coverage: after.length ? after.filter(covers).length / after.length : null,
      rmse: after.length
        ? Math.sqrt(after.reduce((s, p) => s + (p.rul - p.truth) ** 2, 0) / after.length)
        : null,
    };
  });
  const pooled = perAsset.flatMap((p) => afterFpt(p.predictions, p.firstAlertT));
  const leads = perAsset
    .map((p) => p.leadTime)
    .filter((v): v is number => v !== null)
    .sort((x, y) => x - y);
  const months = perAsset.reduce((s, p) => s + p.healthyMonths, 0);
  const horizons = perAsset.map((p) => p.prognosticHorizon).filter((v): v is number => v !== null);
  return {
    assets: assets.length,
    detectionRate: perAsset.filter((p) => p.detected).length / Math.max(1, assets.length),
    leadTimes: leads.length ? { min: leads[0], median: median(leads), max: leads[leads.length - 1] } : null,
    falseAlarmsPerAssetMonth: months > 0 ? perAsset.reduce((s, p) => s + p.falseAlarms, 0) / months : 0,
    alphaLambdaAccuracy: [0.25, 0.5, 0.75].map((lambda) => {
      const v = perAsset
        .map((p) => p.alphaLambda.find((x) => x.lambda === lambda)?.within)
        .filter((x): x is boolean => x !== null && x !== undefined);
      return { lambda, fraction: v.length ? v.filter(Boolean).length / v.length : null, assets: v.length };
    }),
    meanPrognosticHorizon: horizons.length ? horizons.reduce((s, v) => s + v, 0) / horizons.length : null,
    prognosedAssets: perAsset.filter((p) => p.predictionsAfterFpt > 0).length,
    intervalCoverage: pooled.length ? pooled.filter(covers).length / pooled.length : null,
    nominalCoverage: o.rul ? (o.rul.options.coverage ?? 0.9) : null,
    rmseAfterFpt: pooled.length
      ? Math.sqrt(pooled.reduce((s, p) => s + (p.rul - p.truth) ** 2, 0) / pooled.length)
      : null,
    perAsset,
  };
}

/** Predictions at every row, each from a model trained only on assets that had failed by then. */
function walkForwardRul(
  assets: BacktestAsset[],
  r: NonNullable<BacktestOptions['rul']>,
): Map<string, AssetBacktest['predictions']> {
  const out = new Map<string, AssetBacktest['predictions']>();
  const failures = [...new Set(assets.map((a) => a.failureT))].sort((x, y) => x - y);
  const models = new Map<number, CalibratedModel | null>();
  const modelAt = (t: number): CalibratedModel | null => {
    // the latest failure time <= t decides the library
    let key = -Infinity;
    for (const f of failures) if (f <= t) key = f;
    if (!models.has(key)) {
      const library = assets.filter((a) => a.failureT <= key);
      models.set(
        key,
        library.length >= (r.minLibrary ?? 3)
          ? CalibratedModel.fit(r.family, library, r.options, {
              calibrationFolds: library.length >= 6 ? 3 : 0,
              minHistory: 3,
              maxRul: Infinity,
            })
          : null,
      );
    }
    return models.get(key)!;
  };
  for (const a of assets) {
    const preds: AssetBacktest['predictions'] = [];
    for (let i = 2; i < a.t.length; i++) {
      const model = modelAt(a.t[i]);
      if (!model) continue;
      const history: Trajectory = {
        asset: a.asset,
        t: a.t.subarray(0, i + 1),
        columns: Object.fromEntries(Object.entries(a.columns).map(([k, v]) => [k, v.subarray(0, i + 1)])),
      };
      const p = assertIntervalWidth(model.predict(history));
      preds.push({
        t: a.t[i],
        rul: p.rul,
        lower: p.lower,
        upper: p.upper,
        truth: a.failureT - a.t[i],
        ...(p.firstPredictingT !== undefined && { firstPredictingT: p.firstPredictingT }),
      });
    }
    out.set(a.asset, preds);
  }
  return out;
}

const covers = (p: { lower: number; upper: number; truth: number }) =>
  p.truth >= p.lower && p.truth <= p.upper;

/**
 * The predictions from the first predicting time on: the model's own FPT when it reports one,
 * else the asset's first alert (no alert: none).
 */
function afterFpt(
  preds: AssetBacktest['predictions'],
  firstAlertT: number | null,
): AssetBacktest['predictions'] {
  if (preds.some((p) => p.firstPredictingT !== undefined)) {
    const k = preds.findIndex((p) => p.firstPredictingT !== null && p.firstPredictingT !== undefined);
    return k < 0 ? [] : preds.slice(k);
  }
  return firstAlertT === null ? [] : preds.filter((p) => p.t >= firstAlertT);
}

function alphaLambda(
  preds: AssetBacktest['predictions'],
  failureT: number,
  alpha: number,
): { lambda: number; within: boolean | null }[] {
  return [0.25, 0.5, 0.75].map((lambda) => {
    if (preds.length === 0) return { lambda, within: null };
    const tl = preds[0].t + lambda * (failureT - preds[0].t);
    const p = preds.find((x) => x.t >= tl);
    if (!p) return { lambda, within: null };
    return { lambda, within: Math.abs(p.rul - p.truth) <= alpha * p.truth };
  });
}

function prognosticHorizon(
  preds: AssetBacktest['predictions'],
  failureT: number,
  alpha: number,
): number | null {
  if (preds.length === 0) return null;
  const bound = alpha * (failureT - preds[0].t);
  let start: number | null = null;
  for (const p of preds) {
    if (Math.abs(p.rul - p.truth) <= bound) start ??= p.t;
    else start = null;
  }
  // the last prediction outside the bound: no horizon at all
  return start === null ? 0 : failureT - start;
}
