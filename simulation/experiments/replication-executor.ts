/**
 * What runs a batch of replication jobs: the worker threads of this process (worker-pool.ts) or the
 * workers behind a BullMQ queue (queue-executor.ts). Experiments, sweeps and the optimiser only see
 * this interface, so where replications run never changes what they compute: a replication's
 * random streams depend only on (seed, replication).
 */
import type { ReplicationResult } from '../engine/replication.ts';
import type { WorkerJob } from './replication-worker.ts';

/** One replication of one scenario with its seed. */
export type Job = Omit<WorkerJob, 'job'>;

export interface ReplicationExecutor {
  /** how many replications run at once (reported as the experiment's `workers`) */
  readonly size: number;
  /** Runs the jobs; onProgress(job, fraction) as each advances. Results in job order. An abort cancels the run. */
  run(
    jobs: readonly Job[],
    onProgress: (job: number, fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<ReplicationResult[]>;
  close(): Promise<void>;
}
