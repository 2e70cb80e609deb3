/**
 * Machine context per asset (`assets.json` as the synthetic fleet writes it: shaft speed, bearing
 * geometry, defect frequencies) and the defect frequencies it implies. Geometry and shaft speed win
 * over listed frequencies, so a speed change is reflected without recomputing a table.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/index.ts';
import { defectFrequencies } from '../synthetic/bearing.ts';
import { DEFECT_NAMES, type MachineContext } from '../contracts.ts';
import type { DefectFrequency } from '../features/columns.ts';

/** Reads assets.json: an array of { asset, shaftHz?, bearing?, defectFrequenciesHz? }. */
export function loadMachineContexts(file: string): Map<string, MachineContext> {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`${file}: cannot read machine context: ${(err as Error).message}`);
  }
  if (!Array.isArray(list))
    throw new InputError(`${file}: expected an array of { asset, shaftHz, bearing } objects`);
  const out = new Map<string, MachineContext>();
  list.forEach((entry: Record<string, unknown>, i) => {
    if (!entry || typeof entry.asset !== 'string')
      throw new InputError(`${file}: entry [${i}] has no "asset" name`);
    out.set(entry.asset, {
      shaftHz: typeof entry.shaftHz === 'number' ? entry.shaftHz : undefined,
      bearing: entry.bearing as MachineContext['bearing'],
      defectFrequenciesHz: entry.defectFrequenciesHz as MachineContext['defectFrequenciesHz'],
    });
  });
  return out;
}

/** Named defect frequencies (bpfo, bpfi, bsf, ftf) for a context, or none when it declares neither geometry nor frequencies. */
export function contextDefects(ctx: MachineContext | undefined): DefectFrequency[] {
  if (!ctx) return [];
  if (ctx.bearing && ctx.shaftHz && ctx.shaftHz > 0) {
    const f = defectFrequencies(ctx.bearing, ctx.shaftHz);
    return DEFECT_NAMES.map((name) => ({ name, hz: f[name] }));
  }
  const listed = ctx.defectFrequenciesHz ?? {};
  return DEFECT_NAMES.filter((n) => typeof listed[n] === 'number' && listed[n]! > 0).map((name) => ({
    name,
    hz: listed[name]!,
  }));
}
