/**
 * Fleet health for the API and the dashboard: the fleet assessment (app/fleet-assessment.ts) of the
 * telemetry store, as one answer per asset (latest values and a strided history). The result is
 * cached and recomputed after the store changes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../core/index.ts';
import type { TelemetryStore } from '../ingest/index.ts';
import { storeTrajectories, type FptDesignPrior } from '../models/index.ts';
import {
  assessFleet,
  type AssetAssessment,
  type FleetAssessment,
  type KnownFailure,
} from './fleet-assessment.ts';
import type { HealthAnswer } from './fleet-health-schema.ts';

export type { KnownFailure } from './fleet-assessment.ts';
export { readDesignPrior } from '../models/index.ts';

export interface FleetHealthSnapshot {
  available: boolean;
  reason?: string;
  channels: string[];
  byAsset: Map<string, HealthAnswer>;
  /** what the answers were computed from (ticket opening reads its evaluations) */
  assessment: FleetAssessment;
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
  prior?: FptDesignPrior,
): Promise<FleetHealthSnapshot> {
  const { trajs, timeUnit } = await storeTrajectories(store);
  const assessment = assessFleet(trajs, timeUnit, failures, { prior });
  const byAsset = new Map<string, HealthAnswer>();
  for (const x of assessment.assets) byAsset.set(x.asset, healthAnswer(x, assessment));
  return {
    available: assessment.available,
    ...(assessment.reason && { reason: assessment.reason }),
    channels: assessment.channels,
    byAsset,
    assessment,
  };
}

/** One asset's health as the API answers it: the latest values and the (strided) history. */
function healthAnswer(x: AssetAssessment, a: FleetAssessment): HealthAnswer {
  const tr = x.trajectory;
  const n = tr.t.length;
  const lastRul = x.rul.at(-1);
  return {
    asset: x.asset,
    t: tr.t[n - 1],
    timeUnit: x.timeUnit,
    healthIndex: x.healthIndex ? x.healthIndex[n - 1] : null,
    failureThreshold: 0,
    anomaly: {
      detector: 'mahalanobis',
      score: x.score[n - 1],
      threshold: x.threshold,
      alarm: x.alarm[n - 1] === 1,
      firstAlertT: x.firstAlertT,
      contributors: a.detector!.contributions(tr, n - 1).slice(0, 3),
    },
    rul: lastRul
      ? {
          estimate: lastRul.rul,
          lower: lastRul.lower,
          upper: lastRul.upper,
          coverage: 0.9,
          model: a.modelRef,
          ageOnly: lastRul.firstPredictingT === null,
        }
      : null,
    ...(!lastRul && { rulReason: a.rulReason ?? 'too little history for a prediction' }),
    failureT: x.failure?.failureT ?? null,
    history: {
      healthIndex: x.healthIndex
        ? stride(Array.from(x.healthIndex, (value, i) => ({ t: tr.t[i], value })))
        : [],
      anomalyScore: stride(Array.from(x.score, (value, i) => ({ t: tr.t[i], value }))),
      rul: stride(x.rul).map(({ firstPredictingT, ...p }) => ({ ...p, ageOnly: firstPredictingT === null })),
    },
  };
}

/** Caches the fleet health; `invalidate()` after the store changed, the next `get()` recomputes. */
export class FleetHealth {
  private cached: Promise<FleetHealthSnapshot> | null = null;
  private generation = 0;

  constructor(
    private readonly store: TelemetryStore,
    readonly failures: Map<string, KnownFailure>,
    readonly prior?: FptDesignPrior,
  ) {}

  invalidate(): void {
    this.generation++;
    this.cached = null;
  }

  get(): Promise<FleetHealthSnapshot> {
    if (!this.cached) {
      const gen = this.generation;
      const p = computeFleetHealth(this.store, this.failures, this.prior);
      this.cached = p;
      p.catch(() => {
        if (this.generation === gen) this.cached = null;
      });
    }
    return this.cached;
  }
}
