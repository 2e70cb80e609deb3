/**
 * NASA C-MAPSS turbofan files as trajectories, read through ingest's C-MAPSS reader (the same
 * parser and row checks as `leadtime ingest cmapss`). Training files run to failure: by the
 * dataset's convention a unit's last cycle is its failure (RUL 0 there), so failureT = last cycle.
 * Test files are truncated; their true RULs come from a separate one-column file, in unit order.
 * Rows the reader rejects are reported back, never silently used.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/index.ts';
import { CMAPSS_CHANNELS, CmapssReader } from '../../ingest/index.ts';
import { trajectoriesFromRows, type Trajectory } from './trajectory.ts';

export const CMAPSS_SETTINGS = CMAPSS_CHANNELS.slice(0, 3);
export const CMAPSS_SENSORS = CMAPSS_CHANNELS.slice(3);

export interface CmapssData {
  trajectories: Trajectory[];
  /** rows the reader rejected: position and reason */
  rejected: { position: string; reason: string }[];
}

/** Reads a C-MAPSS file; assets are the unit numbers zero-padded to 3 digits (`001`). */
export async function readCmapss(file: string, runToFailure: boolean): Promise<CmapssData> {
  const rows: { asset: string; t: number; values: Record<string, number> }[] = [];
  const rejected: CmapssData['rejected'] = [];
  for await (const rec of new CmapssReader(file, { assetPrefix: '' }).records()) {
    if (rec.kind === 'rejected') {
      rejected.push({ position: `${file} ${rec.position}`, reason: rec.reason });
      continue;
    }
    if (rec.kind !== 'row') continue;
    if (rec.problems?.length) {
      rejected.push({
        position: `${file} ${rec.position}`,
        reason: rec.problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
      });
      continue;
    }
    const values: Record<string, number> = {};
    rec.channels.forEach((c, i) => (values[c] = rec.values[i]));
    rows.push({ asset: rec.asset, t: rec.t, values });
  }
  const trajectories = trajectoriesFromRows(rows, [...CMAPSS_CHANNELS]).sort((a, b) =>
    a.asset.localeCompare(b.asset),
  );
  if (runToFailure) for (const tr of trajectories) tr.failureT = tr.t[tr.t.length - 1];
  return { trajectories, rejected };
}

/** The one-column true-RUL file that goes with a test file, in unit order. */
export function readRulTruth(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `${file}: cannot read true-RUL file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const v = Number(l);
      if (!Number.isFinite(v) || v < 0)
        throw new InputError(
          `${file}: line ${i + 1}: true RUL must be a number >= 0, got ${JSON.stringify(l)}`,
        );
      return v;
    });
}
