/**
 * The synthetic bearing fleet as model trajectories: per snapshot the vibration condition indicators
 * (ingest's FeatureExtractor, with the asset's own BPFO/BPFI/BSF/FTF) and the scalar readings, with
 * failure and onset times from the generator's ground truth. Time unit: ms.
 */
import {
  FeatureExtractor,
  planFleet,
  scalarReading,
  synthesizeSnapshot,
  type FleetConfig,
} from '../../ingest/index.ts';
import {
  fitDesignPrior,
  fptExponential,
  type FptDesignPrior,
  type FptExponentialOptions,
} from '../rul/fpt-exponential.ts';
import type { RulFamily } from '../rul/model.ts';
import type { Trajectory } from './trajectory.ts';

export interface FleetTrajectory extends Trajectory {
  failureT: number;
  onsetT: number;
  faultMode: string;
}

export function fleetTrajectories(
  config: FleetConfig,
  onAsset: (done: number, total: number) => void = () => {},
): FleetTrajectory[] {
  const plan = planFleet(config);
  return plan.assets.map((a, idx) => {
    const defects = Object.entries(a.defects).map(([name, hz]) => ({ name, hz }));
    const fx = new FeatureExtractor(plan.snapshotLength, config.sampleRateHz, defects);
    const columns: Record<string, Float64Array> = {};
    for (const c of [...fx.columns, 'temperature', 'load', 'speed'])
      columns[c] = new Float64Array(a.times.length);
    const row = new Float64Array(fx.columns.length);
    for (let k = 0; k < a.times.length; k++) {
      fx.compute(synthesizeSnapshot(plan, a, k), row);
      fx.columns.forEach((c, j) => (columns[c][k] = row[j]));
      writeScalars(plan, a, k, columns);
    }
    onAsset(idx + 1, plan.assets.length);
    return asTrajectory(a, columns);
  });
}

type FleetPlan = ReturnType<typeof planFleet>;
type AssetPlan = FleetPlan['assets'][number];

/** Snapshot k's scalar readings into the temperature, load and speed columns. */
function writeScalars(plan: FleetPlan, a: AssetPlan, k: number, columns: Record<string, Float64Array>): void {
  const s = scalarReading(plan, a, k);
  columns.temperature[k] = s.temperature;
  columns.load[k] = s.load;
  columns.speed[k] = s.speed;
}

function asTrajectory(a: AssetPlan, columns: Record<string, Float64Array>): FleetTrajectory {
  return {
    asset: a.asset,
    t: Float64Array.from(a.times),
    columns,
    failureT: a.failureT,
    onsetT: a.onsetT,
    faultMode: a.faultMode,
  };
}

/**
 * The fleet's scalar readings only (temperature, load, speed), without the vibration snapshots:
 * the same values as `fleetTrajectories` (each reading has its own random stream), at a fraction of
 * the cost. Enough for a model on FLEET_RUL_CHANNELS.
 */
export function fleetScalarTrajectories(config: FleetConfig): FleetTrajectory[] {
  const plan = planFleet(config);
  return plan.assets.map((a) => {
    const columns = {
      temperature: new Float64Array(a.times.length),
      load: new Float64Array(a.times.length),
      speed: new Float64Array(a.times.length),
    };
    for (let k = 0; k < a.times.length; k++) writeScalars(plan, a, k, columns);
    return asTrajectory(a, columns);
  });
}

/** The design fleet's seeds (the RUL channels were chosen on them too) and assets per seed. */
export const DESIGN_SEEDS = [101, 102, 103, 104, 105];
export const DESIGN_ASSETS_PER_SEED = 12;

const designPriors = new Map<string, FptDesignPrior>();

/**
 * The population prior a reliability engineer would bring: failure histories of the same bearing
 * type from elsewhere. Learnt on a design fleet: the same generator and config as the fleet under
 * test, seeds DESIGN_SEEDS (a seed equal to the tested fleet's is replaced by the next free one, so
 * no tested asset is ever in it), DESIGN_ASSETS_PER_SEED bearings each, all run to failure.
 * Memoised per config (seed and asset count aside).
 */
export function designFleetPrior(config: FleetConfig): FptDesignPrior {
  const seeds: number[] = [];
  for (let s = DESIGN_SEEDS[0]; seeds.length < DESIGN_SEEDS.length; s++) if (s !== config.seed) seeds.push(s);
  const key = JSON.stringify({ ...config, seed: seeds, assets: DESIGN_ASSETS_PER_SEED });
  let prior = designPriors.get(key);
  if (!prior) {
    const units = seeds.flatMap((seed) =>
      fleetScalarTrajectories({ ...config, seed, assets: DESIGN_ASSETS_PER_SEED }).map((a) => ({
        ...a,
        asset: `design-${seed}/${a.asset}`,
      })),
    );
    const { options } = fleetRulModel([], config.seed);
    prior = fitDesignPrior(
      units,
      options,
      `synthetic design fleet, seeds ${seeds.join(',')}, ${DESIGN_ASSETS_PER_SEED} bearings each`,
      30,
      // each seed's bearings held out together, as a fleet the prior has never seen (chosen on
      // tuning fleets, models/README.md fourth round)
      (u) => u.asset.split('/')[0],
    );
    designPriors.set(key, prior);
  }
  return prior;
}

/** The indicators the fleet's detectors and models watch: vibration energy, impulsiveness, envelope at each defect, heat. */
export const FLEET_CHANNELS = ['rms', 'kurtosis', 'env_bpfo', 'env_bpfi', 'env_bsf', 'temperature'];

/**
 * The indicators the fleet's RUL model fuses into its health index. Chosen on a design fleet
 * (seeds 101-105, never the evaluated seeds 1-5; `npx tsx bench/bearing-rul.ts --select`): bearing
 * temperature ranks first of the 31 indicators on Coble & Hines' fitness (1.97) and on the
 * walk-forward backtest of the model on each indicator alone (alpha-lambda at 0.5 0.89, horizon
 * 0.69 of the alert lead, coverage 92%, targets met on 5 of 5 fleets; the next best, p2p, 0.56 and
 * 0 of 5). Fusing it with any of the next seven indicators did not do better (alpha-lambda
 * 0.56-0.87). The vibration indicators fail at levels that depend on the fault type (the envelope
 * at the defect frequency ends 30x higher for an outer-race than for a ball fault, RMS 3x), so a
 * threshold learnt from the first failures misplaces the others. They stay the anomaly
 * detector's (FLEET_CHANNELS).
 */
export const FLEET_RUL_CHANNELS = ['temperature'];

/**
 * The RUL model used on the fleet (the one switch point for the CLI backtest, demo, ticket backtest
 * and notebooks): the fused baseline health index, a first predicting time at the anomaly onset and
 * exponential degradation with Bayesian updating, intervals calibrated on the failed assets
 * (rul/fpt-exponential.ts).
 *
 * It replaced trajectory similarity, whose 80-row match window was longer than every bearing's life
 * (40-85 snapshots at 6 h): the whole history was the query, it fitted each library unit only at its
 * end, and every RUL was the last snapshot's distance to failure (2.3 h) with one unit matching and
 * an interval of zero width (measured in models/README.md).
 *
 * With `prior` (`designFleetPrior`: the default of `leadtime backtest`, `tickets backtest`, the
 * demo and the notebooks; `--no-design-prior` turns it off) the model starts from the design
 * fleet's failures and predicts each bearing from its own FPT on, before any of this fleet's has
 * failed (models/README.md, fourth to sixth rounds).
 */
export function fleetRulModel(
  // kept for the callers; the model sizes its baseline from the failed assets it is fitted on
  _assets: Pick<FleetTrajectory, 'failureT' | 't'>[],
  seed: number,
  prior?: FptDesignPrior,
): { family: RulFamily; options: FptExponentialOptions; minLibrary: number } {
  return {
    family: fptExponential as RulFamily,
    options: {
      settings: [],
      channels: FLEET_RUL_CHANNELS,
      // the FPT starts trusting the asset's own path at 0.1% per row (2 in a row) rather than the
      // alerts' 1%
      falseAlarmRate: 0.001,
      seed,
      coverage: 0.9,
      ...(prior && { prior }),
    },
    // a design prior predicts before any of the fleet's own bearings has failed; without one the
    // Bayesian prior is weakly informative, so one failed asset (its threshold) is enough
    minLibrary: prior ? 0 : 1,
  };
}
