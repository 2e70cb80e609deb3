/** Trajectories of stored assets, read from the telemetry store (one series query per channel). */
import type { TelemetryStore } from '../../ingest/index.ts';
import { trajectoriesFromRows, type Trajectory } from './trajectory.ts';

export async function trajectoriesFromStore(
  store: TelemetryStore,
  channels: string[],
  assets?: string[],
): Promise<Trajectory[]> {
  const spans = (await store.assets()).filter((a) => !assets || assets.includes(a.asset));
  const out: Trajectory[] = [];
  for (const span of spans) {
    if (!channels.every((c) => span.channels.includes(c))) continue;
    const byT = new Map<number, Record<string, number>>();
    for (const c of channels) {
      for (const { t, value } of await store.series(span.asset, c)) {
        let row = byT.get(t);
        if (!row) byT.set(t, (row = {}));
        row[c] = value;
      }
    }
    // only rows where every channel the model needs is present
    const rows = [...byT]
      .filter(([, v]) => channels.every((c) => c in v))
      .map(([t, values]) => ({ asset: span.asset, t, values }));
    out.push(...trajectoriesFromRows(rows, channels));
  }
  return out;
}
