/**
 * Sweeps: one scenario run at every point of a grid of field values (`--vary`), all points'
 * replications spread over the same worker threads, every point with the same seed (common random
 * numbers, so neighbouring points differ by the plan, not by luck). A ratio study is an axis of the
 * grid that moves several pools together: `engineers=10,agents=3,experts=1` at scales 0.5..1.5
 * gives sizes round(scale x ratio) (at least 1), e.g. to find the ratio's level for a demand level
 * varied on another axis.
 */
import { InputError, nearestNames } from '../../core/index.ts';
import { runExperiments, type ExperimentOptions } from './experiment.ts';
import { planCost, type ExperimentResult } from './results.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { applyValues, parseVariation, valuesText, type Variation } from '../scenario/scenario-path.ts';
import { resolveScenarioPath } from '../scenario/path-resolution.ts';
import { parseScenario } from '../scenario/scenario.ts';

/** One axis of the grid: the assignments (path -> value) taken one at a time. */
export type Axis = Record<string, number | string>[];

export const axisOf = (v: Variation): Axis => v.values.map((value) => ({ [v.path]: value }));

export interface Ratio {
  pools: Record<string, number>;
  scales: number[];
}

/** Parses `engineers=10,agents=3,experts=1` (or `engineers:agents:experts=10:3:1`) and a scale range. */
export function parseRatio(text: string, scales = '1'): Ratio {
  const pools: Record<string, number> = {};
  const colon = /^([^=]+)=([\d.:]+)$/.exec(text.trim());
  if (colon && colon[1].includes(':')) {
    const names = colon[1].split(':');
    const parts = colon[2].split(':').map(Number);
    if (names.length !== parts.length)
      throw new InputError(`--ratio ${text}: ${names.length} pools but ${parts.length} parts`);
    names.forEach((n, i) => (pools[n.trim()] = parts[i]));
  } else {
    for (const piece of text.split(',')) {
      const m = /^\s*([^=\s]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(piece);
      if (!m)
        throw new InputError(
          `--ratio ${text}: expected pool=parts,pool=parts (e.g. engineers=10,agents=3,experts=1)`,
        );
      pools[m[1]] = Number(m[2]);
    }
  }
  if (Object.values(pools).some((p) => !(p > 0))) throw new InputError(`--ratio ${text}: parts must be > 0`);
  const s = parseVariation(`scale=${scales}`).values;
  if (s.some((x) => typeof x !== 'number' || !(x > 0)))
    throw new InputError(`--scale ${scales}: expected numbers > 0`);
  return { pools, scales: s as number[] };
}

export function ratioAxis(ratio: Ratio, scenario: Scenario): Axis {
  for (const name of Object.keys(ratio.pools))
    if (!scenario.pools[name])
      throw new InputError(
        `--ratio: no pool named "${name}"; nothing was run. Nearest pools: ${nearestNames(name, Object.keys(scenario.pools)).join(', ')}`,
      );
  return ratio.scales.map((scale) =>
    Object.fromEntries(
      Object.entries(ratio.pools).map(([name, parts]) => [
        `pools.${name}.size`,
        Math.max(1, Math.round(scale * parts)),
      ]),
    ),
  );
}

export function gridOf(axes: readonly Axis[]): Record<string, number | string>[] {
  let points: Record<string, number | string>[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.map((a) => ({ ...p, ...a })));
  return points;
}

export interface SweepPoint {
  values: Record<string, number | string>;
  cost: number;
  result: ExperimentResult;
}

export async function runSweep(
  scenario: Scenario,
  axes: readonly Axis[],
  options: ExperimentOptions = {},
): Promise<SweepPoint[]> {
  for (const axis of axes) for (const path of Object.keys(axis[0] ?? {})) resolveScenarioPath(scenario, path);
  const points = gridOf(axes);
  const scenarios = pointScenarios(scenario, points);
  const results = await runExperiments(scenarios, options);
  return points.map((values, i) => ({ values, cost: planCost(results[i]), result: results[i] }));
}

/**
 * The scenario of every point, each validated against the scenario schema before anything runs
 * (a value of the wrong kind, e.g. `pools.agents.size=2.5`, is named with its point).
 */
export function pointScenarios(
  scenario: Scenario,
  points: readonly Record<string, number | string>[],
): Scenario[] {
  return points.map((values) => {
    return parseScenario(applyValues(scenario, values), `the scenario with ${valuesText(values, ', ')}`);
  });
}
