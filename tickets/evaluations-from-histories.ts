/**
 * Evaluations from asset histories: the RUL model's prediction at each history's last row, and,
 * when anomaly channels are given, the Mahalanobis score of that row against a healthy baseline
 * fitted on the early life of every history (the first `baselineFraction` of rows), with the
 * channels that contributed most. This is what `leadtime tickets evaluate` feeds to the policy.
 */
import { ANOMALY_DEFAULTS, MahalanobisDetector, type Trajectory } from '../models/index.ts';
import type { Evaluation } from './evaluation.ts';

export interface EvaluateOptions {
  /** "name@version" written into the evidence */
  modelRef: string;
  /** channels of the anomaly detector (empty or omitted: no anomaly score) */
  anomalyChannels?: string[];
  /** share of each history taken as healthy baseline (default 0.2) */
  baselineFraction?: number;
  /** the detector's target false-alarm rate on the baseline (default 0.01) */
  falseAlarmRate?: number;
  /** the histories' time unit (default ms) */
  timeUnit?: (asset: string) => 'ms' | 'cycle';
  cycleHours?: number;
  faultMode?: string;
  /** wall-clock time of the evaluation for cycle assets (ms assets use their own t) */
  at?: number;
}

export type Predictor = (history: Trajectory) => {
  rul: number;
  lower: number;
  upper: number;
  coverage?: number;
  healthIndex?: number;
  /** the model's first predicting time as of this history (null: none yet; the Prediction contract's) */
  firstPredictingT?: number | null;
};

/**
 * The anomaly channels that can enter a covariance model: those with at least 3 distinct values in
 * the healthy baseline (a constant or two-level channel, like C-MAPSS s1 or s6, makes the
 * covariance singular and the score meaningless).
 */
export function usableChannels(histories: Trajectory[], channels: string[], fraction: number): string[] {
  return channels.filter((c) => {
    const seen = new Set<number>();
    for (const h of histories) {
      const col = h.columns[c];
      if (!col) return false;
      const n = Math.max(1, Math.floor(h.t.length * fraction));
      for (let i = 0; i < Math.min(n, col.length) && seen.size < 3; i++) seen.add(col[i]);
      if (seen.size >= 3) return true;
    }
    return false;
  });
}

export function evaluationsFor(
  histories: Trajectory[],
  predict: Predictor,
  o: EvaluateOptions,
): Evaluation[] {
  const channels = usableChannels(
    histories,
    o.anomalyChannels ?? [],
    o.baselineFraction ?? ANOMALY_DEFAULTS.baselineFraction,
  );
  const detector =
    channels.length > 0
      ? MahalanobisDetector.fit(histories, channels, {
          fraction: o.baselineFraction ?? ANOMALY_DEFAULTS.baselineFraction,
          falseAlarmRate: o.falseAlarmRate ?? ANOMALY_DEFAULTS.falseAlarmRate,
        })
      : null;
  return histories
    .filter((h) => h.t.length > 0)
    .map((h): Evaluation => {
      const last = h.t.length - 1;
      const p = predict(h);
      const unit = o.timeUnit?.(h.asset) ?? 'ms';
      const e: Evaluation = {
        asset: h.asset,
        t: h.t[last],
        model: o.modelRef,
        rul: Math.max(0, p.rul),
        lower: Math.max(0, p.lower),
        upper: Math.max(0, p.upper),
        ...(p.coverage === undefined ? {} : { coverage: p.coverage }),
        ...(p.firstPredictingT === undefined ? {} : { firstPredictingT: p.firstPredictingT }),
        ...(p.healthIndex === undefined || !Number.isFinite(p.healthIndex)
          ? {}
          : { healthIndex: p.healthIndex }),
        ...(o.faultMode ? { faultMode: o.faultMode } : {}),
        ...(unit === 'cycle'
          ? {
              timeUnit: 'cycle' as const,
              ...(o.cycleHours === undefined ? {} : { cycleHours: o.cycleHours }),
              ...(o.at === undefined ? {} : { at: o.at }),
            }
          : {}),
      };
      if (detector) {
        const score = detector.statistic(h)[last];
        e.anomaly = { score, threshold: detector.state.threshold, detector: 'mahalanobis' };
        e.indicators = detector
          .contributions(h, last)
          .slice(0, 3)
          .map((c) => ({ channel: c.channel, contribution: +c.contribution.toPrecision(4) }));
      }
      return e;
    });
}
