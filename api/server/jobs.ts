/**
 * Long work behind the API (simulations): a job gets an id at once, runs in the background one at a
 * time (a simulation already spreads its replications over every core), reports progress, and keeps
 * its result in memory and in `<home>/jobs/<id>.json`.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homeDir } from '../../core/index.ts';
import type { JobStatus } from './schemas.ts';

export type JobWork = (progress: (done: number, total: number) => void) => Promise<unknown>;

export class JobQueue {
  private readonly jobs = new Map<string, JobStatus>();
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly home: string) {}

  submit(kind: string, request: unknown, work: JobWork): JobStatus {
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
    this.jobs.set(job.id, job);
    this.tail = this.tail.then(() => this.run(job, work));
    return job;
  }

  private async run(job: JobStatus, work: JobWork): Promise<void> {
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    try {
      job.result = await work((done, total) => {
        job.progress = { done, total, fraction: total > 0 ? Math.min(1, done / total) : 0 };
      });
      job.status = 'done';
      job.progress = { ...job.progress, done: job.progress.total, fraction: 1 };
    } catch (err) {
      job.status = 'failed';
      job.error = (err as Error).message;
    }
    job.finishedAt = new Date().toISOString();
    try {
      writeFileSync(join(homeDir(this.home, 'jobs'), `${job.id}.json`), JSON.stringify(job) + '\n');
    } catch {
      // the job stays answerable from memory
    }
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
}
