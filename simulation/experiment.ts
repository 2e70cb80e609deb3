/**
 * An experiment: the replications of one scenario, run in parallel on worker threads (or inline),
 * aggregated into means with 95% confidence intervals. This is the code path of
 * `leadtime simulate`, the benchmark and the validation tests alike.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../core/index.ts';
import { checkScenario, minutes } from './build-model.ts';
import { runReplication, type ReplicationResult } from './replication.ts';
import { aggregate, type ExperimentResult } from './results.ts';
import type { Scenario } from './scenario.ts';
import { runOnWorkers } from './worker-pool.ts';
import { loadReplay } from './replay-source.ts';
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
}

export async function runExperiment(
  scenario: Scenario,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const replications = options.replications ?? scenario.replications;
  const seed = options.seed ?? scenario.seed;
  if (!(Number.isInteger(replications) && replications >= 1)) {
    throw new UsageError(`replications must be an integer >= 1, got ${replications}`);
  }
  if (!Number.isInteger(seed)) throw new UsageError(`seed must be an integer, got ${seed}`);
  const config: Scenario = { ...scenario, replications, seed };
  checkScenario(config, options.baseDir); // fail fast, in this thread, with the field named
  const inputs = replayReports(config, options.baseDir);
  const workers = Math.min(options.workers ?? availableParallelism(), replications);

  const fractions = new Float64Array(replications);
  let done = 0;
  const progress = (replication: number, fraction: number) => {
    done += fraction - fractions[replication];
    fractions[replication] = fraction;
    options.onProgress?.(done, replications);
  };

  const t0 = performance.now();
  let reps: ReplicationResult[];
  if (workers <= 1) {
    reps = [];
    for (let r = 0; r < replications; r++) {
      reps.push(
        runReplication(config, {
          replication: r,
          seed,
          baseDir: options.baseDir,
          onProgress: (f) => progress(r, f),
        }),
      );
      progress(r, 1);
    }
  } else {
    reps = await runOnWorkers(
      { scenario: config, seed, baseDir: options.baseDir },
      replications,
      workers,
      progress,
    );
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  return aggregate(reps, {
    scenario: config,
    horizon: minutes(config.horizon, 'horizon'),
    warmup: config.warmup === undefined ? 0 : minutes(config.warmup, 'warmup'),
    wallSeconds,
    workers: workers <= 1 ? 0 : workers,
    inputs,
  });
}
