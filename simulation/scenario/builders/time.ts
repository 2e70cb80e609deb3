/** The run's horizon and warm-up, in minutes. */
import { InputError } from '../../../core/index.ts';
import { minutes, type BuildContext } from './context.ts';

export function buildTime({ scenario }: BuildContext): { horizon: number; warmup: number } {
  const horizon = minutes(scenario.horizon, 'horizon');
  if (!(horizon > 0))
    throw new InputError(`horizon: expected a duration > 0, got ${JSON.stringify(scenario.horizon)}`);
  const warmup = scenario.warmup === undefined ? 0 : minutes(scenario.warmup, 'warmup');
  if (warmup >= horizon)
    throw new InputError(`warmup: must be shorter than the horizon (${scenario.horizon})`);
  return { horizon, warmup };
}
