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
      const s = scalarReading(plan, a, k);
      columns.temperature[k] = s.temperature;
      columns.load[k] = s.load;
      columns.speed[k] = s.speed;
    }
    onAsset(idx + 1, plan.assets.length);
    return {
      asset: a.asset,
      t: Float64Array.from(a.times),
      columns,
      failureT: a.failureT,
      onsetT: a.onsetT,
      faultMode: a.faultMode,
    };
  });
}
