/**
 * An experiment: the replications of one scenario, run in parallel on worker threads (or inline),
 * aggregated into means with 95% confidence intervals. This is the code path of
 * `leadtime simulate`, the benchmark and the validation tests alike.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../../core/index.ts';
import { checkScenario, minutes } from '../scenario/build-model.ts';
import { runReplication, type ReplicationResult } from '../engine/replication.ts';
import { aggregate, type ExperimentResult } from './results.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { SimulationWorkers, type Job } from './worker-pool.ts';
import type { ReplicationExecutor } from './replication-executor.ts';
import { loadReplay } from '../sources/replay-source.ts';
import type { ReplayReport } from './results.ts';

/** What each replayed log gave: rows, tickets, duplicates merged, rows rejected (first 20). */
export function replayReports(scenario: Scenario, baseDir?: string): ReplayReport[] {
  const reports: ReplayReport[] = [];
  scenario.arrivals.forEach((a, i) => {
    if (!a.replay) return;
    const r = loadReplay(a.replay, `arrivals[${i}].replay`, baseDir);
    reports.push({
      arrival: i,
      file: r.file,
      origin: r.log.origin,
      rows: r.log.rows,
      tickets: r.log.tickets,
      duplicates: r.log.duplicates,
      rejectedCount: r.log.rejected.length,
      rejected: r.log.rejected.slice(0, 20),
    });
  });
  return reports;
}

export interface ExperimentOptions {
  /** override the scenario's replications and seed */
  replications?: number;
  seed?: number;
  /**
   * worker threads (default: one per core, at most one per replication). With one (a single
   * replication, or one core) or 0, replications run inline in this thread: a thread for one
   * replication would only add its start-up time.
   */
  workers?: number;
  /** directory that relative paths in the scenario resolve against */
  baseDir?: string;
  /** called as work advances: replications done (fractional) out of the total */
  onProgress?: (done: number, total: number) => void;
  /** cancels the run: worker threads are terminated, inline runs stop between replications */
  signal?: AbortSignal;
  /**
   * where replications run when given: threads kept across batches, or a queue's workers on other
   * machines (`--queue`); always used, even with one worker
   */
  workerPool?: ReplicationExecutor;
}

export async function runExperiment(
  scenario: Scenario,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  return (await runExperiments([scenario], options))[0];
}

/**
 * Several scenarios (the points of a sweep, an optimiser's candidates) in one batch: every
 * replication of every scenario is a job for the same worker threads, so a sweep keeps all cores
 * busy. Each scenario uses the same seed unless it says otherwise, so the points see the same
 * tickets with the same work (common random numbers).
 */
export async function runExperiments(
  scenarios: readonly Scenario[],
  options: ExperimentOptions = {},
): Promise<ExperimentResult[]> {
  const configs = scenarios.map((scenario) => {
    const replications = options.replications ?? scenario.replications;
    const seed = options.seed ?? scenario.seed;
    if (!(Number.isInteger(replications) && replications >= 1)) {
      throw new UsageError(`replications must be an integer >= 1, got ${replications}`);
    }
    if (!Number.isInteger(seed)) throw new UsageError(`seed must be an integer, got ${seed}`);
    const config: Scenario = { ...scenario, replications, seed };
    checkScenario(config, options.baseDir); // fail fast, in this thread, with the field named
    return config;
  });
  const jobs: Job[] = configs.flatMap((config) =>
    Array.from({ length: config.replications }, (_, replication) => ({
      scenario: config,
      seed: config.seed,
      replication,
      baseDir: options.baseDir,
    })),
  );
  const workers = options.workerPool
    ? options.workerPool.size
    : Math.min(options.workers ?? availableParallelism(), jobs.length);

  const fractions = new Float64Array(jobs.length);
  let done = 0;
  const progress = (job: number, fraction: number) => {
    done += fraction - fractions[job];
    fractions[job] = fraction;
    options.onProgress?.(done, jobs.length);
  };

  const t0 = performance.now();
  let reps: ReplicationResult[];
  if (options.workerPool) {
    reps = await options.workerPool.run(jobs, progress, options.signal);
  } else if (workers <= 1) {
    reps = jobs.map((job, j) => {
      options.signal?.throwIfAborted();
      const result = runReplication(job.scenario, { ...job, onProgress: (f) => progress(j, f) });
      progress(j, 1);
      return result;
    });
  } else {
    const pool = new SimulationWorkers(workers);
    try {
      reps = await pool.run(jobs, progress, options.signal);
    } finally {
      await pool.close();
    }
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  let at = 0;
  return configs.map((config) => {
    const own = reps.slice(at, at + config.replications);
    at += config.replications;
    return aggregate(own, {
      scenario: config,
      horizon: minutes(config.horizon, 'horizon'),
      warmup: config.warmup === undefined ? 0 : minutes(config.warmup, 'warmup'),
      wallSeconds,
      workers: workers <= 1 ? 0 : workers,
      inputs: replayReports(config, options.baseDir),
    });
  });
}
