/**
 * `leadtime predict` while a server holds the embedded store: the same trajectories
 * `trajectoriesFromStore` reads, fetched per asset from the server's `/v1/assets/:id/trajectory`.
 */
import type { Trajectory } from '../../models/index.ts';

type Get = <R>(path: string) => Promise<R>;

interface TrajectoryAnswer {
  asset: string;
  missing: string[];
  t: number[];
  columns: Record<string, number[]>;
}

/** The served assets (or `wanted` of them) that have every channel, on their all-finite rows. */
export async function trajectoriesThroughServer(
  get: Get,
  channels: string[],
  wanted?: string[],
): Promise<Trajectory[]> {
  const { assets } = await get<{ assets: { asset: string }[] }>('/v1/assets');
  const out: Trajectory[] = [];
  for (const { asset } of assets) {
    if (wanted && !wanted.includes(asset)) continue;
    const a = await get<TrajectoryAnswer>(
      `/v1/assets/${encodeURIComponent(asset)}/trajectory?channels=${encodeURIComponent(channels.join(','))}`,
    );
    if (a.missing.length > 0 || a.t.length === 0) continue;
    const columns: Record<string, Float64Array> = {};
    for (const c of channels) columns[c] = Float64Array.from(a.columns[c]);
    out.push({ asset, t: Float64Array.from(a.t), columns });
  }
  return out;
}
