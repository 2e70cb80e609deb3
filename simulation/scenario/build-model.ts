/**
 * Turns a validated scenario into a runnable model for one replication: durations into minutes,
 * names into indices, distributions into samplers, and one random stream per purpose and
 * replication. Every cross-reference is checked here and a broken one is reported by field path
 * (`flow[1].pool: no pool named "experts"`), as the schema reports structural errors.
 */
import type { Scenario } from './scenario.ts';
import { ServiceModel } from '../engine/service-model.ts';
import { buildBacklog } from './builders/backlog.ts';
import { buildCategories } from './builders/categories.ts';
import { buildContext } from './builders/context.ts';
import { buildPeaks } from './builders/peaks.ts';
import { buildPools } from './builders/pools.ts';
import { buildSeries } from './builders/series.ts';
import { buildSources } from './builders/sources.ts';
import { buildStages } from './builders/stages.ts';
import { buildTiers } from './builders/tiers.ts';
import { buildTime } from './builders/time.ts';

export { minutes } from './builders/context.ts';

/** The simulator's time unit: every duration in a model and its results is in minutes. */
export const TIME_UNIT = 'minutes';

export interface BuildOptions {
  seed: number;
  replication: number;
  /** directory that relative `empirical.file` paths resolve against */
  baseDir?: string;
}

/** Checks a scenario's cross-references without running it (the same checks as buildModel). */
export function checkScenario(scenario: Scenario, baseDir?: string): void {
  buildModel(scenario, { seed: scenario.seed, replication: 0, baseDir });
}

/** The model of one replication, from small builders each owning one part of the scenario. */
export function buildModel(scenario: Scenario, options: BuildOptions): ServiceModel {
  const ctx = buildContext(scenario, options.seed, options.replication, options.baseDir);
  const { horizon, warmup } = buildTime(ctx);
  const tiers = buildTiers(ctx);
  const { windows, peaks } = buildPeaks(ctx);
  const categories = buildCategories(ctx);
  const pools = buildPools(ctx, windows);
  const stages = buildStages(ctx, pools, tiers, categories);
  return new ServiceModel({
    horizon,
    warmup,
    sources: buildSources(ctx, tiers, categories, stages, peaks),
    stages: stages.stages,
    pools: pools.pools,
    clocks: tiers.tierClocks(),
    backlog: buildBacklog(ctx, tiers, categories, stages),
    tierPatience: tiers.tierPatience,
    patienceRng: tiers.tierPatience.some((d) => d !== null) ? ctx.stream('patience') : null,
    peaks,
    peakClocks: peaks.empty ? null : tiers.tierClocks(),
    offPeakClocks: peaks.empty ? null : tiers.tierClocks(),
    series: buildSeries(ctx, horizon, pools.pools),
  });
}
