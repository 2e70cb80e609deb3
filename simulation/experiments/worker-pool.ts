/**
 * Runs replications on worker threads, handing each idle worker the next job. A job is one
 * replication of one scenario (a sweep or an optimiser sends many scenarios through the same
 * threads). A replication's random streams depend only on (seed, replication), so results are the
 * same whatever the number of workers or the order they finish in.
 *
 * Workers run the TypeScript sources directly (core's `tsWorker`).
 */
import { LeadtimeError, InputError, tsWorker } from '../../core/index.ts';
import type { Worker } from 'node:worker_threads';
import type { ReplicationResult } from '../engine/replication.ts';
import type { WorkerJob, WorkerMessage } from './replication-worker.ts';
import type { Job, ReplicationExecutor } from './replication-executor.ts';

const workerUrl = new URL('./replication-worker.ts', import.meta.url);

export type { Job };

/** A set of worker threads that stays up across batches of jobs (a sweep, an optimiser's steps). */
export class SimulationWorkers implements ReplicationExecutor {
  private readonly workers: Worker[] = [];

  constructor(readonly size: number) {}

  /**
   * Runs the jobs; onProgress(job, fraction) as each advances. Results in job order. When the
   * signal aborts, the workers are terminated mid-replication and the run rejects with its reason.
   */
  async run(
    jobs: readonly Job[],
    onProgress: (job: number, fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<ReplicationResult[]> {
    const results: ReplicationResult[] = new Array(jobs.length);
    signal?.throwIfAborted();
    if (jobs.length === 0) return results;
    while (this.workers.length < Math.min(this.size, jobs.length)) this.workers.push(tsWorker(workerUrl));
    let next = 0;
    let finished = 0;
    const active = this.workers.slice(0, Math.min(this.size, jobs.length));
    const listeners: (() => void)[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false;
        const fail = (err: Error) => {
          if (failed) return;
          failed = true;
          reject(err);
        };
        if (signal) {
          const onAbort = () => fail(signal.reason as Error);
          signal.addEventListener('abort', onAbort, { once: true });
          listeners.push(() => signal.removeEventListener('abort', onAbort));
        }
        for (const worker of active) {
          const feed = () => {
            if (next < jobs.length) {
              const job = next++;
              worker.postMessage({ ...jobs[job], job } satisfies WorkerJob);
            }
          };
          const onMessage = (msg: WorkerMessage) => {
            if (msg.type === 'progress') onProgress(msg.job, msg.fraction);
            else if (msg.type === 'result') {
              results[msg.job] = msg.result;
              onProgress(msg.job, 1);
              if (++finished === jobs.length) resolve();
              else feed();
            } else {
              const E = msg.exitCode === 2 ? InputError : LeadtimeError;
              fail(new E(`replication failed: ${msg.message}`));
            }
          };
          const onError = (err: Error) => fail(err);
          const onExit = (code: number) =>
            fail(new LeadtimeError(`a simulation worker exited with code ${code}`));
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', onExit);
          listeners.push(() => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
          });
          feed();
        }
      });
    } catch (err) {
      await this.close(); // a failed batch may leave workers mid-job
      throw err;
    } finally {
      for (const off of listeners.splice(0)) off();
    }
    return results;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** One scenario's replications on a fresh set of workers (closed afterwards). */
export async function runOnWorkers(
  input: Omit<Job, 'replication'>,
  replications: number,
  workers: number,
  onProgress: (replication: number, fraction: number) => void,
): Promise<ReplicationResult[]> {
  const pool = new SimulationWorkers(Math.max(1, Math.min(workers, replications)));
  try {
    return await pool.run(
      Array.from({ length: replications }, (_, replication) => ({ ...input, replication })),
      onProgress,
    );
  } finally {
    await pool.close();
  }
}
