/** Time series of arrivals per tier and of each pool, when the scenario asks for them. */
import { InputError, PRIORITIES } from '../../../core/index.ts';
import type { Pool } from '../../engine/pool.ts';
import type { ServiceModelParts } from '../../engine/service-model.ts';
import { minutes, type BuildContext } from './context.ts';

export function buildSeries(
  { scenario }: BuildContext,
  horizon: number,
  pools: readonly Pool[],
): ServiceModelParts['series'] {
  if (!scenario.series) return null;
  const bin = minutes(scenario.series.bin, 'series.bin');
  if (!(bin > 0))
    throw new InputError(`series.bin: expected a duration > 0, got ${JSON.stringify(scenario.series.bin)}`);
  const bins = Math.ceil(horizon / bin);
  return {
    bin,
    arrivals: PRIORITIES.map(() => new Float64Array(bins)),
    pools: pools.map(() => ({
      busy: new Float64Array(bins),
      onDuty: new Float64Array(bins),
      queue: new Float64Array(bins),
    })),
  };
}
