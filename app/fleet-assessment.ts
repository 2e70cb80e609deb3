/**
 * The one definition of "evaluate the fleet": from the assets' trajectories (condition indicators +
 * scalars) and the failure times known so far, every row of every asset gets
 *   - an anomaly score: a Mahalanobis detector fitted on every asset's early life (ANOMALY_DEFAULTS:
 *     first 20% of rows, threshold at a 1% false-alarm rate), an alert after two consecutive alarms,
 *     with the channels that drove it;
 *   - a health index, fused on the failed assets (when any has failed);
 *   - RUL with its interval: failed assets get walk-forward predictions (each from a model trained
 *     only on assets that had failed by then, the models' `backtest`), the others predictions from
 *     a model trained on every failed asset. The RUL setup is the fleet's (`fleetRulModel`), on
 *     its own indicators when every asset has them (bearing temperature), else the detector's.
 *     Given a design prior (`AssessOptions.prior`) the model starts from it, so every asset is
 *     predicted even before any has failed; a prior that does not fit the fleet (missing
 *     indicators, another sampling interval) gives no RUL and a reason, never a silent fallback.
 *     Each RUL keeps the model's first predicting time: before it the estimate is by age only.
 * The server's fleet health, its ticket opening, `tickets evaluate`, the demo and the ticket
 * backtest all read this, so they cannot disagree.
 */
import { median } from '../core/index.ts';
import {
  ANOMALY_DEFAULTS,
  backtest,
  CalibratedModel,
  finiteRows,
  FLEET_CHANNELS,
  fleetRulModel,
  HealthIndicator,
  MahalanobisDetector,
  medianRowInterval,
  type FptDesignPrior,
  type Prediction,
  type Trajectory,
} from '../models/index.ts';
import type { Evaluation } from '../tickets/index.ts';

export interface KnownFailure {
  failureT: number;
  onsetT?: number;
  faultMode?: string;
}

export interface RulPoint {
  t: number;
  rul: number;
  lower: number;
  upper: number;
  /**
   * the model's first predicting time as of this row: null while the asset shows no degradation (the
   * RUL is then the fleet's remaining life at its age), absent when the model has none
   */
  firstPredictingT?: number | null;
}

export interface AssetAssessment {
  asset: string;
  trajectory: Trajectory;
  timeUnit: 'ms' | 'cycle';
  score: Float64Array;
  alarm: Uint8Array;
  threshold: number;
  /** time of the first alert (consecutive alarms), if any */
  firstAlertT: number | null;
  healthIndex: Float64Array | null;
  /** RUL at the rows that have one, in time order */
  rul: RulPoint[];
  failure: KnownFailure | null;
}

export interface FleetAssessment {
  available: boolean;
  reason?: string;
  channels: string[];
  detector: MahalanobisDetector | null;
  /** the RUL model's reference written into evaluations and tickets */
  modelRef: string;
  /** why there is no RUL, when there is none */
  rulReason?: string;
  assets: AssetAssessment[];
}

export interface AssessOptions {
  /** seed of the RUL model (default 1) */
  seed?: number;
  /** most rows predicted per live (not yet failed) asset, the latest ones (default 120) */
  liveRows?: number;
  /** interval coverage of the RUL model (default 0.9) */
  coverage?: number;
  /**
   * the same bearing type's failures from elsewhere (`designFleetPrior`, a design-prior file): the RUL
   * model starts from them, so it predicts before any of this fleet's assets has failed
   */
  prior?: FptDesignPrior;
}

export function assessFleet(
  all: Trajectory[],
  timeUnits: Map<string, string>,
  failures: Map<string, KnownFailure>,
  o: AssessOptions = {},
): FleetAssessment {
  const none = (reason: string): FleetAssessment => ({
    available: false,
    reason,
    channels: [],
    detector: null,
    modelRef: '',
    assets: [],
  });
  if (all.length === 0) return none('the telemetry store is empty: POST /v1/telemetry or leadtime ingest');
  // the fleet channels every asset has; else every channel every asset has
  const common = Object.keys(all[0].columns).filter((c) => all.every((t) => c in t.columns));
  let channels = FLEET_CHANNELS.filter((c) => common.includes(c));
  if (channels.length < 2) channels = common;
  // the RUL model's own indicators (fleetRulModel) when every asset has them, else the detector's
  const setup = fleetRulModel([], o.seed ?? 1, o.prior);
  const priorMisfit = o.prior ? designPriorMisfit(o.prior, all, common) : undefined;
  const rulChannels = setup.options.channels.every((c) => common.includes(c))
    ? setup.options.channels
    : channels;
  const kept = [...new Set([...channels, ...rulChannels])];
  const trajs = all.map((t) => finiteRows(t, kept)).filter((t) => t.t.length >= 5);
  if (trajs.length === 0 || channels.length === 0)
    return none('no asset has five rows with every channel present');
  let detector: MahalanobisDetector;
  try {
    detector = MahalanobisDetector.fit(trajs, channels, {
      fraction: ANOMALY_DEFAULTS.baselineFraction,
      falseAlarmRate: ANOMALY_DEFAULTS.falseAlarmRate,
    });
  } catch (err) {
    return none(`anomaly baseline cannot be fitted: ${(err as Error).message}`);
  }

  const failed = trajs
    .filter((t) => failures.has(t.asset))
    .map((t) => ({ ...t, failureT: failures.get(t.asset)!.failureT, onsetT: failures.get(t.asset)!.onsetT }));
  let hi: HealthIndicator | null = null;
  let rulReason: string | undefined;
  let modelRef = 'none';
  const rulOf = new Map<string, RulPoint[]>();
  if (failed.length >= setup.minLibrary) {
    const options =
      rulChannels === setup.options.channels
        ? setup.options
        : { ...setup.options, channels: rulChannels, channelGroups: undefined };
    modelRef = `${setup.family.family}@fleet${o.prior ? '+design-prior' : ''}`;
    // the fused HI is fitted on the fleet's own failures (a design prior alone predicts RUL without one)
    if (failed.length > 0)
      try {
        // the fused HI's target: RUL capped at half the median life (earlier rows are not identifiable)
        hi = HealthIndicator.fit(failed, {
          settings: [],
          channels,
          cap: median(failed.map((a) => a.failureT - a.t[0])) / 2,
          smoothWindow: 5,
        });
      } catch (err) {
        rulReason = `health indicator: ${(err as Error).message}`;
      }
    // a prior that does not fit this fleet is not used in its place: no RUL, and the reason says why
    if (priorMisfit) rulReason = priorMisfit;
    else
      try {
        // the failed assets walk forward (a design prior alone: none may have failed yet)
        const report =
          failed.length === 0
            ? null
            : backtest(failed, {
                channels,
                leadTime: 0,
                rul: { family: setup.family, options, minLibrary: setup.minLibrary },
              });
        for (const p of report?.perAsset ?? [])
          rulOf.set(
            p.asset,
            p.predictions.map(({ t, rul, lower, upper, firstPredictingT }) => ({
              t,
              rul,
              lower,
              upper,
              ...(firstPredictingT !== undefined && { firstPredictingT }),
            })),
          );
        const live = trajs.filter((t) => !failures.has(t.asset));
        if (live.length) {
          const model = CalibratedModel.fit(setup.family, failed, options, {
            calibrationFolds: failed.length >= 6 ? 3 : 0,
            minHistory: 3,
            maxRul: Infinity,
          });
          for (const tr of live) rulOf.set(tr.asset, livePredictions(model, tr, kept, o.liveRows ?? 120));
        }
      } catch (err) {
        // anomaly and HI stay available; the assessment says why there is no RUL
        rulReason = `RUL model: ${(err as Error).message}`;
      }
  } else {
    rulReason = `RUL needs failure times of at least ${setup.minLibrary} asset(s) (known: ${failed.length}); give them as a failures CSV (asset,failureT), e.g. leadtime serve --failures FILE, or start the model from a design prior (leadtime serve --design-prior FILE)`;
  }

  const assets = trajs.map((tr): AssetAssessment => {
    const scored = detector.score(tr);
    let run = 0;
    let firstAlertT: number | null = null;
    for (let i = 0; i < tr.t.length; i++) {
      run = scored.alarm[i] ? run + 1 : 0;
      if (run >= ANOMALY_DEFAULTS.consecutiveAlarms && firstAlertT === null) firstAlertT = tr.t[i];
    }
    return {
      asset: tr.asset,
      trajectory: tr,
      timeUnit: timeUnits.get(tr.asset) === 'cycle' ? 'cycle' : 'ms',
      score: scored.score,
      alarm: scored.alarm,
      threshold: scored.threshold,
      firstAlertT,
      healthIndex: hi ? hi.transform(tr) : null,
      rul: rulOf.get(tr.asset) ?? [],
      failure: failures.get(tr.asset) ?? null,
    };
  });
  return { available: true, channels, detector, modelRef, ...(rulReason && { rulReason }), assets };
}

/**
 * Why a design prior does not fit this fleet, or undefined when it does: its index must find its
 * indicators in every asset, and the fleet must be sampled at its interval (its calibration counts
 * rows since the first predicting time; another interval or time unit makes those counts and its
 * growth rates mean something else).
 */
function designPriorMisfit(prior: FptDesignPrior, all: Trajectory[], common: string[]): string | undefined {
  const needed = [
    ...prior.index.channels.filter((c) => !prior.index.groups?.some((g) => g.name === c)),
    ...(prior.index.groups ?? []).flatMap((g) => g.members),
  ];
  const missing = needed.filter((c) => !common.includes(c));
  if (missing.length)
    return `design prior (${prior.source}): its indicator(s) ${missing.join(', ')} are not in every asset's data`;
  if (prior.rowInterval === undefined) return undefined;
  const interval = medianRowInterval(all);
  const ratio = interval / prior.rowInterval;
  if (!(ratio >= 0.8 && ratio <= 1.25))
    return `design prior (${prior.source}): learnt on rows ${prior.rowInterval} time units apart, this fleet's are ${interval} apart (another sampling interval or time unit): give a prior learnt at this fleet's interval`;
  return undefined;
}

/** Predictions from the rows' histories, at most `rows` of the latest ones (at least 3 rows of history each). */
function livePredictions(
  model: CalibratedModel,
  tr: Trajectory,
  channels: string[],
  rows: number,
): RulPoint[] {
  const n = tr.t.length;
  const out: RulPoint[] = [];
  for (let end = Math.max(3, n - rows + 1); end <= n; end++) {
    const history: Trajectory = {
      asset: tr.asset,
      t: tr.t.subarray(0, end),
      columns: Object.fromEntries(channels.map((c) => [c, tr.columns[c].subarray(0, end)])),
    };
    const p: Prediction = model.predict(history);
    out.push({
      t: p.t,
      rul: p.rul,
      lower: p.lower,
      upper: p.upper,
      ...(p.firstPredictingT !== undefined && { firstPredictingT: p.firstPredictingT }),
    });
  }
  return out;
}

/**
 * The assessment as ticket-policy evaluations, in time order (ties by asset): one per row after
 * `after` (per asset; default every row), with the anomaly score, the top three contributing
 * channels, and the RUL with its interval where the row has one. `coverage` is the interval's.
 */
export function evaluationsOf(
  a: FleetAssessment,
  o: { after?: Map<string, number>; coverage?: number; until?: number } = {},
): Evaluation[] {
  const out: Evaluation[] = [];
  if (!a.detector) return out;
  for (const x of a.assets) {
    const from = o.after?.get(x.asset) ?? -Infinity;
    const rul = new Map(x.rul.map((p) => [p.t, p]));
    const tr = x.trajectory;
    for (let i = 0; i < tr.t.length; i++) {
      const t = tr.t[i];
      if (t <= from || t > (o.until ?? Infinity)) continue;
      const r = rul.get(t);
      out.push({
        asset: x.asset,
        t,
        ...(x.timeUnit === 'ms' && { at: t }),
        timeUnit: x.timeUnit,
        ...(r && {
          model: a.modelRef,
          rul: r.rul,
          lower: r.lower,
          upper: r.upper,
          coverage: o.coverage ?? 0.9,
          ...(r.firstPredictingT !== undefined && { firstPredictingT: r.firstPredictingT }),
        }),
        anomaly: { score: x.score[i], threshold: x.threshold, detector: 'mahalanobis' },
        indicators: a.detector
          .contributions(tr, i)
          .slice(0, 3)
          .map((c) => ({ channel: c.channel, contribution: +c.contribution.toPrecision(4) })),
      });
    }
  }
  return out.sort((x, y) => x.t - y.t || (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
}
