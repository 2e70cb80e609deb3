/**
 * The optimiser: the cheapest staffing (pool cost per hour x staffed hours) among the `--vary`
 * grid that meets every target with confidence (whole 95% interval on the right side).
 *
 * 1. A pilot run at the top of every range gives each pool's offered load (mean busy staff, in
 *    Erlangs) and the rate of work reaching it. Erlang C (M/M/c) turns them into a first estimate
 *    of each varied pool size: the fewest staff whose P(wait <= T) reaches the strictest
 *    `respond.sla` target (T = that tier's respond target), or whose occupancy stays under 85%
 *    without one. Other varied fields start at the top of their range.
 * 2. From there, a local search by simulation: while the point misses a target, step up the field
 *    that most reduces the shortfall (the cheapest feasible neighbour when one is feasible); then,
 *    while some one-step-cheaper neighbour still meets every target, move to the cheapest of them;
 *    then try trading a step of one field for a step of another (a cheaper mix that still meets
 *    every target), and step down again from there.
 * Every point runs with the same seed (common random numbers), so neighbours are compared on the
 * same tickets and the search does not chase noise. Every point evaluated is reported (the
 * explored frontier) with its cost and target values.
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../../core/index.ts';
import { minutes } from '../scenario/build-model.ts';
import { erlangCServersFor } from '../queueing/erlang.ts';
import { runExperiments } from './experiment.ts';
import { planCost, type ExperimentResult } from './results.ts';
import type { ResultWarning } from './result-warnings.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { valuesText, type Variation } from '../scenario/scenario-path.ts';
import { STAFF_FIELD } from '../scenario/pool-staff.ts';
import { resolveScenarioPath } from '../scenario/path-resolution.ts';
import { axisOf, pointScenarios, type Axis } from './sweep.ts';
import { checkTarget, resolveTarget, type Target, type TargetCheck } from './targets.ts';
import { SimulationWorkers } from './worker-pool.ts';
import type { ReplicationExecutor } from './replication-executor.ts';

export interface ExploredPoint {
  values: Record<string, number | string>;
  cost: number;
  feasible: boolean;
  targets: TargetCheck[];
  /** why it was evaluated: pilot, erlang-c start, step up, step down */
  reason: string;
}

export interface OptimizeResult {
  scenario: string;
  seed: number;
  replications: number;
  targets: string[];
  vary: Variation[];
  /** the Erlang C estimate the search started from, and the offered loads behind it */
  start: { values: Record<string, number | string>; offeredLoad: Record<string, number> };
  /** null when no point of the grid meets every target */
  best: { values: Record<string, number | string>; cost: number; targets: TargetCheck[] } | null;
  explored: ExploredPoint[];
  /** explored points not beaten on cost and on every target's value by another point */
  frontier: ExploredPoint[];
  /**
   * the best plan's own warnings (overload, censoring, ...), and `few-replications` when cheaper
   * plans missed only because their intervals straddle a target (their means meet it)
   */
  warnings: ResultWarning[];
  wallSeconds: number;
}

export interface OptimizeOptions {
  replications?: number;
  seed?: number;
  workers?: number;
  baseDir?: string;
  /** called with what is being evaluated and the batch's progress */
  onProgress?: (label: string, done: number, total: number) => void;
  /** more dimensions that move several fields together, e.g. a ratio of pools at several scales */
  axes?: Axis[];
  /** where replications run (e.g. a queue's workers); the caller closes it */
  workerPool?: ReplicationExecutor;
}

export { planCost };

export async function optimize(
  scenario: Scenario,
  vary: Variation[],
  targets: Target[],
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const dims: Axis[] = [...vary.map(axisOf), ...(options.axes ?? [])];
  if (dims.length === 0)
    throw new InputError('optimize: give at least one --vary field (or --ratio) to search over');
  if (targets.length === 0) throw new InputError('optimize: give at least one --target');
  for (const v of vary)
    if (v.values.some((x) => typeof x !== 'number'))
      throw new InputError(`--vary ${v.path}: the optimiser needs numeric values`);
  // every path and target is resolved against the scenario before the first replication
  for (const axis of dims) for (const path of Object.keys(axis[0] ?? {})) resolveScenarioPath(scenario, path);
  for (const t of targets) resolveTarget(scenario, t);
  const t0 = performance.now();
  const replications = options.replications ?? scenario.replications;
  const seed = options.seed ?? scenario.seed;
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const own = !options.workerPool && workers > 1 ? new SimulationWorkers(workers) : undefined;
  const pool = options.workerPool ?? own;
  const explored: ExploredPoint[] = [];
  const memo = new Map<string, ExploredPoint>();
  const fullResults = new Map<string, ExperimentResult>();
  let offeredLoad: Record<string, number> = {};
  const keyOf = (idx: number[]) => idx.join(',');
  const valuesOf = (idx: number[]) =>
    Object.assign({}, ...dims.map((axis, d) => axis[idx[d]])) as Record<string, number | string>;

  const evaluate = async (points: number[][], reason: string): Promise<ExploredPoint[]> => {
    const fresh = points.filter(
      (p, i) => !memo.has(keyOf(p)) && points.findIndex((q) => keyOf(q) === keyOf(p)) === i,
    );
    if (fresh.length > 0) {
      const results = await runExperiments(pointScenarios(scenario, fresh.map(valuesOf)), {
        replications,
        seed,
        workers,
        workerPool: pool,
        baseDir: options.baseDir,
        onProgress: (done, total) => options.onProgress?.(`${reason}: ${fresh.length} point(s)`, done, total),
      });
      fresh.forEach((p, i) => {
        const checks = targets.map((t) => checkTarget(results[i], t));
        const point: ExploredPoint = {
          values: valuesOf(p),
          cost: planCost(results[i]),
          feasible: checks.every((c) => c.met),
          targets: checks,
          reason,
        };
        memo.set(keyOf(p), point);
        fullResults.set(keyOf(p), results[i]);
        explored.push(point);
      });
    }
    return points.map((p) => memo.get(keyOf(p))!);
  };

  try {
    // 1. pilot at the top of every range, and the Erlang C start
    const top = dims.map((axis) => axis.length - 1);
    const [pilotPoint] = await evaluate([top], 'pilot at the top of every range');
    const erlang = erlangStart(scenario, dims, targets, fullResults.get(keyOf(top))!);
    offeredLoad = erlang.offeredLoad;
    let x = erlang.start;
    let current = (await evaluate([x], 'erlang-c start'))[0];
    // 2a. step up until every target is met
    while (!current.feasible) {
      const ups = dims
        .map((_, d) => d)
        .filter((d) => x[d] < dims[d].length - 1)
        .map((d) => x.map((v, k) => (k === d ? v + 1 : v)));
      if (ups.length === 0) break;
      const candidates = await evaluate(ups, 'step up');
      const feasible = candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.feasible);
      let pick: number;
      if (feasible.length > 0) pick = feasible.reduce((a, b) => (b.c.cost < a.c.cost ? b : a)).i;
      else {
        const shortfall = (p: ExploredPoint) =>
          p.targets.reduce((s, t) => s + Math.min(0, t.slack === -Infinity ? -1e9 : t.slack), 0);
        pick = candidates.reduce((best, c, i) => (shortfall(c) > shortfall(candidates[best]) ? i : best), 0);
      }
      x = ups[pick];
      current = candidates[pick];
    }
    if (!current.feasible && !pilotPoint.feasible) {
      return finish(null);
    }
    if (!current.feasible) {
      x = top;
      current = pilotPoint;
    }
    // 2b. step down while a cheaper neighbour still meets every target; then try trading one
    // step of a field for one step of another (a cheaper mix), and step down again from there
    for (let round = 0; round < 100; round++) {
      for (;;) {
        const downs = dims
          .map((_, d) => d)
          .filter((d) => x[d] > 0)
          .map((d) => x.map((v, k) => (k === d ? v - 1 : v)));
        if (downs.length === 0) break;
        const candidates = await evaluate(downs, 'step down');
        const feasible = candidates
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => c.feasible && c.cost <= current.cost);
        if (feasible.length === 0) break;
        const pick = feasible.reduce((a, b) => (b.c.cost < a.c.cost ? b : a)).i;
        x = downs[pick];
        current = candidates[pick];
      }
      const swaps: number[][] = [];
      for (let up = 0; up < dims.length; up++)
        for (let down = 0; down < dims.length; down++)
          if (up !== down && x[up] < dims[up].length - 1 && x[down] > 0)
            swaps.push(x.map((v, k) => (k === up ? v + 1 : k === down ? v - 1 : v)));
      if (swaps.length === 0) break;
      const candidates = await evaluate(swaps, 'swap');
      const better = candidates
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.feasible && c.cost < current.cost);
      if (better.length === 0) break;
      const pick = better.reduce((a, b) => (b.c.cost < a.c.cost ? b : a)).i;
      x = swaps[pick];
      current = candidates[pick];
    }
    return finish(current);
  } finally {
    await own?.close();
  }

  function finish(best: ExploredPoint | null): OptimizeResult {
    // the best plan's warnings; with none, those of the most generous plan (the top of every range)
    const shown = best ?? explored.find((p) => p.reason.startsWith('pilot'));
    const shownKey = shown ? [...memo].find(([, p]) => p === shown)?.[0] : undefined;
    const where = best
      ? 'at the best plan'
      : `even at the top of every range (${valuesText(shown?.values ?? {})})`;
    const warnings: ResultWarning[] = (shownKey ? fullResults.get(shownKey)!.warnings : []).map((w) => ({
      ...w,
      message: `${where}: ${w.message}`,
    }));
    const undecided = explored.filter(
      (p) => !p.feasible && p.cost < (best?.cost ?? Infinity) && p.targets.every((t) => t.meanSlack >= 0),
    );
    if (undecided.length > 0)
      warnings.push({
        code: 'few-replications',
        message: `${undecided.length} cheaper plan(s) missed only because their 95% intervals straddle a target (their means meet every target), e.g. ${undecided
          .slice(0, 3)
          .map((p) => valuesText(p.values))
          .join('; ')}: run more replications (--replications) to decide them`,
      });
    const first = explored.find((p) => p.reason === 'erlang-c start') ?? explored[0];
    return {
      scenario: scenario.name,
      seed,
      replications,
      targets: targets.map((t) => t.text),
      vary,
      start: { values: first.values, offeredLoad },
      best: best ? { values: best.values, cost: best.cost, targets: best.targets } : null,
      explored,
      frontier: frontierOf(explored),
      warnings,
      wallSeconds: (performance.now() - t0) / 1000,
    };
  }
}

/** Erlang C's first estimate of each varied pool size, from the pilot's offered loads. */
function erlangStart(
  scenario: Scenario,
  dims: Axis[],
  targets: Target[],
  pilot: ExperimentResult,
): { start: number[]; offeredLoad: Record<string, number> } {
  const window = pilot.horizon - pilot.warmup;
  // the strictest respond target: the smallest T with its attainment
  let strictest: { T: number; q: number } | null = null;
  for (const t of targets) {
    const m = /^P([1-4])\.respond\.sla$/.exec(t.metric);
    if (!m || t.op !== '>=') continue;
    const T = scenario.priorities[`P${m[1]}` as 'P1']?.respond;
    if (T === undefined) continue;
    const minutesT = minutes(T, `priorities.P${m[1]}.respond`);
    if (strictest === null || minutesT < strictest.T || (minutesT === strictest.T && t.value > strictest.q))
      strictest = { T: minutesT, q: t.value };
  }
  // every pool's offered load (mean busy staff) at the pilot, varied or not
  const offeredLoad: Record<string, number> = Object.fromEntries(
    Object.entries(pilot.pools).map(([name, p]) => [name, p.meanBusy.mean ?? 0]),
  );
  /** Erlang C's staff for a pool (null: not a pool the pilot knows) */
  const staffFor = (name: string): number | null => {
    if (!pilot.pools[name]) return null;
    const a = pilot.pools[name].meanBusy.mean ?? 0;
    offeredLoad[name] = a;
    const stages = scenario.flow.filter((s) => s.pool === name).map((s) => s.stage);
    const lambda = stages.reduce((s, st) => s + (pilot.stages[st]?.entered.mean ?? 0), 0) / window;
    if (!(a > 0 && lambda > 0)) return 0;
    const mu = lambda / a;
    return strictest ? erlangCServersFor(lambda, mu, strictest.T, strictest.q) : Math.ceil(a / 0.85);
  };
  const start = dims.map((axis) => {
    // the first assignment that gives every pool it sizes at least Erlang C's staff
    const need = new Map<string, number>();
    for (const path of Object.keys(axis[0])) {
      const m = STAFF_FIELD.exec(path);
      const c = m ? staffFor(m[1]) : null;
      if (c === null) return axis.length - 1; // a field Erlang C knows nothing about: start at the top
      need.set(path, c);
    }
    const index = axis.findIndex((assignment) =>
      [...need].every(([path, c]) => (assignment[path] as number) >= c),
    );
    return index < 0 ? axis.length - 1 : index;
  });
  return { start, offeredLoad };
}

function frontierOf(points: ExploredPoint[]): ExploredPoint[] {
  const better = (a: ExploredPoint, b: ExploredPoint) =>
    a.cost <= b.cost &&
    a.targets.every((t, i) => t.slack >= b.targets[i].slack) &&
    (a.cost < b.cost || a.targets.some((t, i) => t.slack > b.targets[i].slack));
  return points.filter((p) => !points.some((q) => q !== p && better(q, p))).sort((a, b) => a.cost - b.cost);
}
