/** What every builder of a model shares: the scenario, its random streams and distributions, minutes. */
import {
  distributionFromSpec,
  parseDuration,
  RandomStream,
  type Distribution,
  type DistributionSpec,
} from '../../../core/index.ts';
import type { Scenario } from '../scenario.ts';

export const MINUTE_MS = 60_000;
export const PROBABILITY_TOLERANCE = 1e-6;

/** A duration field in minutes (bare numbers are minutes). */
export function minutes(value: number | string, field: string): number {
  return parseDuration(value, field, 'm') / MINUTE_MS;
}

export interface BuildContext {
  readonly scenario: Scenario;
  readonly baseDir?: string;
  /** the replication's own stream for a purpose (`r<rep>/<purpose>`): common random numbers across plans */
  stream(purpose: string): RandomStream;
  /** a distribution from its spec, durations in minutes */
  dist(spec: DistributionSpec, field: string): Distribution;
}

export function buildContext(
  scenario: Scenario,
  seed: number,
  replication: number,
  baseDir?: string,
): BuildContext {
  return {
    scenario,
    baseDir,
    stream: (purpose) => new RandomStream(seed, `r${replication}/${purpose}`),
    dist: (spec, field) => distributionFromSpec(spec, { unitMs: MINUTE_MS, baseDir, field }),
  };
}
