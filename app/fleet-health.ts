/**
 * Fleet health for the API and the dashboard, computed from the telemetry store:
 *   - trajectories per asset: the condition indicators of its vibration snapshots joined with its
 *     scalar readings at the same times;
 *   - anomaly: a Mahalanobis detector fitted on every asset's early life (first 20% of its rows,
 *     threshold at a 1% false-alarm rate), an alert after two consecutive alarms;
 *   - health index and RUL, when failure times are known for at least three assets (a `failures`
 *     CSV such as the synthetic fleet's truth.csv): a fused HI fitted on the failed assets, and the
 *     similarity RUL model with conformal intervals. Failed assets get walk-forward predictions
 *     (each from a model trained only on assets that had failed by then, models' `backtest`); the
 *     others get predictions from a model trained on every failed asset.
 * The result is cached and recomputed after the store changes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../core/index.ts';
import type { TelemetryStore } from '../ingest/index.ts';
import {
  finiteRows,
  storeTrajectories,
  FLEET_CHANNELS,
  backtest,
  CalibratedModel,
  HealthIndicator,
  MahalanobisDetector,
  rulFamily,
  type Trajectory,
} from '../models/index.ts';
import type { HealthAnswer } from '../api/server/schemas.ts';

export interface KnownFailure {
  failureT: number;
  onsetT?: number;
  faultMode?: string;
}

export interface FleetHealthSnapshot {
  available: boolean;
  reason?: string;
  channels: string[];
  byAsset: Map<string, HealthAnswer>;
}

/** Most points kept per history series (evenly strided, the last row always kept). */
const MAX_POINTS = 1500;

/** Reads `asset,failureT[,onsetT,faultMode,...]` (a header row naming the columns), e.g. the fleet's truth.csv. */
export function readFailures(file: string): Map<string, KnownFailure> {
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new InputError(`${file}: cannot read failures CSV: ${(err as Error).message}`);
  }
  const out = new Map<string, KnownFailure>();
  rows.forEach((r, i) => {
    const failureT = Number(r.failureT);
    if (!r.asset || !Number.isFinite(failureT))
      throw new InputError(
        `${file}: row ${i + 2}: needs columns asset and failureT (a number), got ${JSON.stringify(r)}`,
      );
    const onsetT = Number(r.onsetT);
    out.set(r.asset, {
      failureT,
      ...(Number.isFinite(onsetT) && r.onsetT !== undefined && r.onsetT !== '' && { onsetT }),
      ...(r.faultMode && { faultMode: r.faultMode }),
    });
  });
  return out;
}

function stride<T>(items: T[]): T[] {
  if (items.length <= MAX_POINTS) return items;
  const step = items.length / MAX_POINTS;
  const out: T[] = [];
  for (let k = 0; k < MAX_POINTS - 1; k++) out.push(items[Math.floor(k * step)]);
  out.push(items[items.length - 1]);
  return out;
}

export async function computeFleetHealth(
  store: TelemetryStore,
  failures: Map<string, KnownFailure>,
): Promise<FleetHealthSnapshot> {
  const { trajs: all, timeUnit } = await storeTrajectories(store);
  const none = (reason: string): FleetHealthSnapshot => ({
    available: false,
    reason,
    channels: [],
    byAsset: new Map(),
  });
  if (all.length === 0) return none('the telemetry store is empty: POST /v1/telemetry or leadtime ingest');
  // the fleet channels every asset has; else every channel every asset has
  const common = Object.keys(all[0].columns).filter((c) => all.every((t) => c in t.columns));
  let channels = FLEET_CHANNELS.filter((c) => common.includes(c));
  if (channels.length < 2) channels = common;
  const trajs = all.map((t) => finiteRows(t, channels)).filter((t) => t.t.length >= 5);
  if (trajs.length === 0 || channels.length === 0)
    return none('no asset has five rows with every channel present');
  let detector: MahalanobisDetector;
  try {
    detector = MahalanobisDetector.fit(trajs, channels, { fraction: 0.2, falseAlarmRate: 0.01 });
  } catch (err) {
    return none(`anomaly baseline cannot be fitted: ${(err as Error).message}`);
  }

  const failed = trajs
    .filter((t) => failures.has(t.asset))
    .map((t) => ({ ...t, failureT: failures.get(t.asset)!.failureT, onsetT: failures.get(t.asset)!.onsetT }));
  let hi: HealthIndicator | null = null;
  let rulReason: string | undefined;
  const rulHistory = new Map<string, HealthAnswer['history']['rul']>();
  let liveModel: CalibratedModel | null = null;
  if (failed.length >= 3) {
    const lives = failed.map((a) => a.failureT - a.t[0]).sort((x, y) => x - y);
    const cap = lives[Math.floor(lives.length / 2)] / 2;
    const options = { settings: [], channels, cap, seed: 1 };
    try {
      hi = HealthIndicator.fit(failed, { settings: [], channels, cap, smoothWindow: 5 });
    } catch (err) {
      rulReason = `health indicator: ${(err as Error).message}`;
    }
    const family = rulFamily('similarity');
    try {
      const report = await backtest(failed, { channels, leadTime: 0, rul: { family, options } });
      for (const p of report.perAsset)
        rulHistory.set(
          p.asset,
          p.predictions.map(({ t, rul, lower, upper }) => ({ t, rul, lower, upper })),
        );
      if (trajs.length > failed.length)
        liveModel = CalibratedModel.fit(family, failed, options, {
          calibrationFolds: failed.length >= 6 ? 3 : 0,
          minHistory: 3,
          maxRul: Infinity,
        });
    } catch (err) {
      // anomaly and HI stay available; the health answers say why there is no RUL
      rulReason = `RUL model: ${(err as Error).message}`;
    }
  } else {
    rulReason = `RUL needs failure times of at least 3 assets (known: ${failed.length}); start the server with --failures FILE (asset,failureT)`;
  }

  const byAsset = new Map<string, HealthAnswer>();
  for (const tr of trajs) {
    const n = tr.t.length;
    const scored = detector.score(tr);
    let run = 0;
    let firstAlertT: number | null = null;
    for (let i = 0; i < n; i++) {
      run = scored.alarm[i] ? run + 1 : 0;
      if (run >= 2 && firstAlertT === null) firstAlertT = tr.t[i];
    }
    const hiSeries = hi ? hi.transform(tr) : null;
    let rulPoints = rulHistory.get(tr.asset);
    if (!rulPoints && liveModel) {
      const rows = stride(Array.from({ length: n - 2 }, (_, k) => k + 3)).slice(-120);
      rulPoints = rows.map((end) => {
        const history: Trajectory = {
          asset: tr.asset,
          t: tr.t.subarray(0, end),
          columns: Object.fromEntries(channels.map((c) => [c, tr.columns[c].subarray(0, end)])),
        };
        const p = liveModel!.predict(history);
        return { t: p.t, rul: p.rul, lower: p.lower, upper: p.upper };
      });
    }
    const lastRul = rulPoints?.at(-1);
    const known = failures.get(tr.asset);
    byAsset.set(tr.asset, {
      asset: tr.asset,
      t: tr.t[n - 1],
      timeUnit: timeUnit.get(tr.asset) ?? 'ms',
      healthIndex: hiSeries ? hiSeries[n - 1] : null,
      failureThreshold: 0,
      anomaly: {
        detector: scored.detector,
        score: scored.score[n - 1],
        threshold: scored.threshold,
        alarm: scored.alarm[n - 1] === 1,
        firstAlertT,
        contributors: detector.contributions(tr, n - 1).slice(0, 3),
      },
      rul: lastRul
        ? {
            estimate: lastRul.rul,
            lower: lastRul.lower,
            upper: lastRul.upper,
            coverage: 0.9,
            model: 'similarity (fleet library)',
          }
        : null,
      ...(!lastRul && { rulReason: rulReason ?? 'too little history for a prediction' }),
      failureT: known?.failureT ?? null,
      history: {
        healthIndex: hiSeries ? stride(Array.from(hiSeries, (value, i) => ({ t: tr.t[i], value }))) : [],
        anomalyScore: stride(Array.from(scored.score, (value, i) => ({ t: tr.t[i], value }))),
        rul: stride(rulPoints ?? []),
      },
    });
  }
  return { available: true, channels, byAsset };
}

/** Caches the fleet health; `invalidate()` after the store changed, the next `get()` recomputes. */
export class FleetHealth {
  private cached: Promise<FleetHealthSnapshot> | null = null;
  private generation = 0;

  constructor(
    private readonly store: TelemetryStore,
    readonly failures: Map<string, KnownFailure>,
  ) {}

  invalidate(): void {
    this.generation++;
    this.cached = null;
  }

  get(): Promise<FleetHealthSnapshot> {
    if (!this.cached) {
      const gen = this.generation;
      const p = computeFleetHealth(this.store, this.failures);
      this.cached = p;
      p.catch(() => {
        if (this.generation === gen) this.cached = null;
      });
    }
    return this.cached;
  }
}
