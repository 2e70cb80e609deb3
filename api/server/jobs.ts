/**
 * Long work behind the API (simulations, evaluations): a job gets an id at once, runs in the
 * background one at a time (a simulation already spreads its replications over every core),
 * reports progress, and keeps its result in memory and in `<home>/jobs/<id>.json`.
 *
 * The queue is bounded (a client cannot pile up work without end), each job carries an
 * AbortSignal so it can be cancelled (`DELETE /v1/simulations/:id`), and shutdown cancels whatever
 * is queued or running instead of waiting for it. A failed job's error is shown without absolute
 * paths or file content; the full text goes to the server log.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homeDir } from '../../core/index.ts';
import { HttpError, publicMessage } from './errors.ts';
import type { JobStatus } from './schemas.ts';

export type JobWork = (
  progress: (done: number, total: number) => void,
  signal: AbortSignal,
) => Promise<unknown>;

export interface JobQueueOptions {
  /** jobs queued or running at once; a submission beyond answers 429 (default 8) */
  maxPending?: number;
  /** where a failed job's full error goes (the server log) */
  log?: (message: string) => void;
}

export class JobQueue {
  private readonly jobs = new Map<string, JobStatus>();
  private readonly controllers = new Map<string, AbortController>();
  private tail: Promise<void> = Promise.resolve();
  private readonly maxPending: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly home: string,
    options: JobQueueOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 8;
    this.log = options.log ?? (() => {});
  }

  /** Jobs queued or running. */
  pending(): number {
    return this.controllers.size;
  }

  submit(kind: string, request: unknown, work: JobWork): JobStatus {
    if (this.pending() >= this.maxPending)
      throw new HttpError(
        429,
        `${this.pending()} jobs are queued or running, the limit is ${this.maxPending}; wait for one to finish or cancel one`,
      );
    const job: JobStatus = {
      id: randomUUID(),
      kind,
      status: 'queued',
      progress: { done: 0, total: 1, fraction: 0 },
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      request,
    };
    const controller = new AbortController();
    this.jobs.set(job.id, job);
    this.controllers.set(job.id, controller);
    this.tail = this.tail.then(() => this.run(job, work, controller.signal));
    return job;
  }

  private async run(job: JobStatus, work: JobWork, signal: AbortSignal): Promise<void> {
    if (!signal.aborted) {
      job.status = 'running';
      job.startedAt = new Date().toISOString();
      try {
        const result = await work((done, total) => {
          job.progress = { done, total, fraction: total > 0 ? Math.min(1, done / total) : 0 };
        }, signal);
        if (signal.aborted) throw signal.reason;
        job.result = result;
        job.status = 'done';
        job.progress = { ...job.progress, done: job.progress.total, fraction: 1 };
      } catch (err) {
        if (!signal.aborted) {
          job.status = 'failed';
          job.error = publicMessage((err as Error).message);
          this.log(`job ${job.id} failed: ${(err as Error).stack ?? String(err)}`);
        }
      }
    }
    if (signal.aborted) {
      job.status = 'cancelled';
      job.error = String((signal.reason as Error | undefined)?.message ?? 'cancelled');
    }
    job.finishedAt = new Date().toISOString();
    this.controllers.delete(job.id);
    try {
      writeFileSync(join(homeDir(this.home, 'jobs'), `${job.id}.json`), JSON.stringify(job) + '\n');
    } catch {
      // the job stays answerable from memory
    }
  }

  /** Cancels a queued or running job; false when it has already finished (or is unknown). */
  cancel(id: string, why = 'cancelled by request'): boolean {
    const controller = this.controllers.get(id);
    if (!controller) return false;
    controller.abort(new Error(why));
    return true;
  }

  get(id: string): JobStatus | undefined {
    return this.jobs.get(id);
  }

  list(kind?: string): JobStatus[] {
    return [...this.jobs.values()].filter((j) => !kind || j.kind === kind);
  }

  /** Resolves when every job submitted so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /**
   * Cancels every queued and running job and waits for them to stop (server shutdown), at most
   * `graceMs`: work that only checks its signal between steps is not waited for beyond that.
   */
  async shutdown(graceMs = 3000): Promise<void> {
    for (const id of [...this.controllers.keys()]) this.cancel(id, 'cancelled: the server is shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
}
