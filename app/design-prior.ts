/**
 * A design prior from the store: the assets that ran to failure (a failures CSV) of one bearing
 * type, learnt as the fleet RUL model's prior (`fitDesignPrior`, each failed asset held out in turn
 * for its calibration scores) and written as the file `leadtime serve --design-prior` and `tickets
 * evaluate --design-prior` read (`leadtime models design-prior`). Its assets must never be the ones
 * it will predict: a prior learnt on a fleet and used on the same fleet scores its own failures.
 */
import { InputError } from '../core/index.ts';
import type { TelemetryStore } from '../ingest/index.ts';
import {
  fitDesignPrior,
  fleetRulModel,
  trajectoriesFromStore,
  writeDesignPrior,
  type FptDesignPrior,
} from '../models/index.ts';
import type { KnownFailure } from './fleet-assessment.ts';

/** Fewest failed assets a prior is learnt on: each is held out once to score the others' prior. */
export const MIN_DESIGN_ASSETS = 3;

export async function designPriorFromStore(
  store: TelemetryStore,
  failures: Map<string, KnownFailure>,
  o: { out: string; seed?: number; source: string },
): Promise<FptDesignPrior> {
  const { options } = fleetRulModel([], o.seed ?? 1);
  const stored = await trajectoriesFromStore(store, options.channels);
  const failed = stored
    .filter((t) => failures.has(t.asset))
    .map((t) => ({ ...t, failureT: failures.get(t.asset)!.failureT }));
  const missing = [...failures.keys()].filter((a) => !failed.some((t) => t.asset === a));
  if (failed.length < MIN_DESIGN_ASSETS)
    throw new InputError(
      `a design prior needs at least ${MIN_DESIGN_ASSETS} stored assets that ran to failure with the RUL model's indicators (${options.channels.join(', ')}); found ${failed.length}` +
        (missing.length
          ? ` (not in the store or without those indicators: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''})`
          : ''),
    );
  const prior = fitDesignPrior(failed, options, `${o.source}: ${failed.length} assets run to failure`);
  writeDesignPrior(o.out, prior);
  return prior;
}
