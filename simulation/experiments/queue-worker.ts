/**
 * The worker side of `--queue` (queue-executor.ts): takes replication jobs from a BullMQ queue and
 * runs each on one of this process's worker threads. The main thread only talks to Redis, so the
 * job locks keep being renewed however long a replication runs; a process that dies stops renewing
 * them and BullMQ's stalled-job check hands its jobs to another worker.
 */
import { InputError } from '../../core/index.ts';
import type { ReplicationResult } from '../engine/replication.ts';
import type { Job } from './replication-executor.ts';
import { DEFAULT_QUEUE_NAME, checkReachable, decode, encode, parseQueueUrl } from './queue-executor.ts';
import type { QueuedReplication } from './queue-executor.ts';
import { SimulationWorkers } from './worker-pool.ts';

export interface QueueWorkerOptions {
  url: string;
  name?: string;
  /** replications run at once, one per thread (default 1) */
  threads?: number;
  /**
   * how long a job's lock lasts without renewal (ms, default 30,000): a killed worker's job goes
   * back to the queue after about this long plus `stalledIntervalMs`
   */
  lockMs?: number;
  /** how often this worker looks for stalled jobs (ms, default lockMs) */
  stalledIntervalMs?: number;
  /** stop when no job has run for this long (ms) */
  idleExitMs?: number;
  /** stop when this fires (SIGINT/SIGTERM): running jobs finish first */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface QueueWorkerSummary {
  jobs: number;
  failed: number;
  seconds: number;
}

/** Runs until idle, aborted or closed; resolves once every started job has finished. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  await checkReachable(options.url);
  const { UnrecoverableError, Worker } = await import('bullmq'); // loaded only when a worker runs
  const threads = Math.max(1, options.threads ?? 1);
  const lockMs = options.lockMs ?? 30_000;
  const log = options.log ?? (() => {});
  // one single-thread pool per concurrent job: each keeps its thread across jobs
  const free = Array.from({ length: threads }, () => new SimulationWorkers(1));
  const name = options.name ?? DEFAULT_QUEUE_NAME;
  let jobs = 0;
  let failed = 0;
  let active = 0;
  let lastActive = performance.now();
  const t0 = performance.now();

  const worker = new Worker<QueuedReplication, string>(
    name,
    async (job) => {
      const slot = free.pop()!;
      active++;
      const started = performance.now();
      log(`job ${job.id} started`);
      let lastReport = 0;
      try {
        const replication = decode<Job>(job.data.payload);
        const [result] = await slot.run([replication], (_, fraction) => {
          const now = performance.now();
          if (now - lastReport < 250) return; // progress is a Redis round trip: a few per second
          lastReport = now;
          void job.updateProgress(fraction).catch(() => {});
        });
        jobs++;
        log(`job ${job.id} done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        return encode(result satisfies ReplicationResult);
      } catch (err) {
        failed++;
        const e = err as Error;
        log(`job ${job.id} failed: ${e.message.split('\n')[0]}`);
        // the same scenario would fail the same way on any worker: no retry
        throw new UnrecoverableError(`${err instanceof InputError ? 'input: ' : ''}${e.message}`);
      } finally {
        free.push(slot);
        active--;
        lastActive = performance.now();
      }
    },
    {
      connection: { ...parseQueueUrl(options.url), maxRetriesPerRequest: null },
      concurrency: threads,
      lockDuration: lockMs,
      stalledInterval: options.stalledIntervalMs ?? lockMs,
      // a job whose worker died is retried this many times before it is failed
      maxStalledCount: 5,
    },
  );
  worker.on('error', (err) => log(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  log(`ready on queue ${name} at ${options.url} (${threads} thread${threads === 1 ? '' : 's'})`);

  await new Promise<void>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const stop = (): void => {
      timers.forEach(clearInterval);
      resolve();
    };
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.idleExitMs !== undefined) {
      const idle = options.idleExitMs;
      timers.push(
        setInterval(
          () => {
            if (active === 0 && performance.now() - lastActive >= idle) stop();
          },
          Math.min(500, idle),
        ),
      );
    }
  });
  // waits for running jobs to finish and hands back nothing else
  await worker.close();
  await Promise.all(free.map((s) => s.close()));
  return { jobs, failed, seconds: (performance.now() - t0) / 1000 };
}
