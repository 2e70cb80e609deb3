/**
 * Stored assets as trajectories: the condition indicators of each asset's busiest vibration channel
 * (the features table) side by side with its scalar channels (the samples table), one row per time.
 */
import type { TelemetryStore } from '../../ingest/index.ts';
import type { Trajectory } from './trajectory.ts';

/** Each stored asset as a trajectory: indicators of its busiest vibration channel + its scalar channels. */
export async function storeTrajectories(
  store: TelemetryStore,
  assets?: string[],
): Promise<{ trajs: Trajectory[]; timeUnit: Map<string, string> }> {
  const spans = (await store.assets()).filter((a) => !assets || assets.includes(a.asset));
  const matrix = await store.featureMatrix(assets ? { assets } : {});
  const trajs: Trajectory[] = [];
  const timeUnit = new Map<string, string>();
  for (const span of spans) {
    timeUnit.set(span.asset, span.timeUnit);
    const rows = matrix.rows.filter((r) => r.asset === span.asset);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.channel, (counts.get(r.channel) ?? 0) + 1);
    const vib = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const byT = new Map<number, Record<string, number>>();
    for (const r of rows) {
      if (r.channel !== vib) continue;
      const rec: Record<string, number> = {};
      matrix.columns.forEach((c, j) => (rec[c] = r.values[j] ?? NaN));
      byT.set(r.t, rec);
    }
    const scalarChannels = span.channels.filter((c) => !counts.has(c));
    const scalar = new Map<string, Map<number, number>>();
    for (const c of scalarChannels)
      scalar.set(c, new Map((await store.series(span.asset, c)).map((p) => [p.t, p.value])));
    // rows: the snapshot times when there are snapshots, else the union of scalar times
    let times = [...byT.keys()];
    if (times.length === 0) times = [...new Set([...scalar.values()].flatMap((m) => [...m.keys()]))];
    times.sort((a, b) => a - b);
    const columns: Record<string, Float64Array> = {};
    const names = [...(vib ? matrix.columns : []), ...scalarChannels];
    for (const c of names) columns[c] = new Float64Array(times.length).fill(NaN);
    times.forEach((t, i) => {
      const f = byT.get(t);
      if (f) for (const c of matrix.columns) columns[c][i] = f[c];
      for (const [c, m] of scalar) columns[c][i] = m.get(t) ?? NaN;
    });
    trajs.push({ asset: span.asset, t: Float64Array.from(times), columns });
  }
  return { trajs, timeUnit };
}

/** Keeps the rows where every channel is finite. */
export function finiteRows(tr: Trajectory, channels: string[]): Trajectory {
  const keep: number[] = [];
  for (let i = 0; i < tr.t.length; i++)
    if (channels.every((c) => Number.isFinite(tr.columns[c]?.[i]))) keep.push(i);
  const columns: Record<string, Float64Array> = {};
  for (const c of channels) columns[c] = Float64Array.from(keep, (i) => tr.columns[c][i]);
  return { asset: tr.asset, t: Float64Array.from(keep, (i) => tr.t[i]), columns };
}

/** The stored assets that have every channel a model needs, on the rows where all of them are finite. */
export async function trajectoriesFromStore(
  store: TelemetryStore,
  channels: string[],
  assets?: string[],
): Promise<Trajectory[]> {
  const { trajs } = await storeTrajectories(store, assets);
  return trajs
    .filter((tr) => channels.every((c) => c in tr.columns))
    .map((tr) => finiteRows(tr, channels))
    .filter((tr) => tr.t.length > 0);
}
