/**
 * The model layer's input: one asset's history as aligned columns over time. `t` is in the asset's
 * time unit (cycles for C-MAPSS, ms for the synthetic fleet). A run-to-failure trajectory has
 * `failureT` (the time it failed); a truncated one (a test engine, a live asset) does not.
 */
export interface Trajectory {
  asset: string;
  t: Float64Array;
  columns: Record<string, Float64Array>;
  /** time of failure when the trajectory ran to failure */
  failureT?: number;
}

/** Remaining useful life at each row of a run-to-failure trajectory, optionally capped (piecewise linear). */
export function rulTarget(traj: Trajectory, cap = Infinity): Float64Array {
  if (traj.failureT === undefined)
    throw new Error(`asset ${traj.asset}: RUL target needs a run-to-failure trajectory`);
  const out = new Float64Array(traj.t.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(cap, traj.failureT - traj.t[i]);
  return out;
}

/** The first `n` rows of a trajectory, as a truncated (not failed) history. */
export function truncate(traj: Trajectory, n: number): Trajectory {
  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(traj.columns)) columns[k] = v.slice(0, n);
  return { asset: traj.asset, t: traj.t.slice(0, n), columns };
}

/** Builds trajectories from row records (asset, t, values), sorting each asset by time. */
export function trajectoriesFromRows(
  rows: Iterable<{ asset: string; t: number; values: Record<string, number> }>,
  channels: string[],
): Trajectory[] {
  const byAsset = new Map<string, { t: number; values: Record<string, number> }[]>();
  for (const r of rows) {
    let list = byAsset.get(r.asset);
    if (!list) byAsset.set(r.asset, (list = []));
    list.push(r);
  }
  return [...byAsset].map(([asset, list]) => {
    list.sort((a, b) => a.t - b.t);
    const columns: Record<string, Float64Array> = {};
    for (const c of channels) columns[c] = Float64Array.from(list, (r) => r.values[c] ?? NaN);
    return { asset, t: Float64Array.from(list, (r) => r.t), columns };
  });
}
