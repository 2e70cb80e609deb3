/**
 * Replications on other machines: each job (one replication of one scenario with its seed) is a
 * BullMQ job on a Redis queue; `leadtime worker --queue redis://...` processes run them and the
 * results come back through the queue's event stream. Same interface as the local threads
 * (replication-executor.ts), so experiments, sweeps and the optimiser are unchanged, and since a
 * replication's streams depend only on (seed, replication) the numbers equal a local run's.
 *
 * Jobs and results cross the queue as V8's structured serialisation (the same encoding worker
 * threads use, base64 in the job's JSON), so a result is bit for bit what the thread would have
 * posted: no float is rounded through text, no NaN turned into null.
 *
 * A worker killed mid-job loses nothing: its lock lapses, BullMQ's stalled-job check puts the job
 * back in the queue and another worker runs it. `cancel()` (Ctrl-C) removes this run's jobs still
 * waiting; those already running finish and their results are dropped.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import type { ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import { InputError, LeadtimeError } from '../../core/index.ts';
import type { ReplicationResult } from '../engine/replication.ts';
import type { Job, ReplicationExecutor } from './replication-executor.ts';
import { DEFAULT_QUEUE_NAME } from './queue-name.ts';

export { DEFAULT_QUEUE_NAME };

/** What a queued job carries: the replication (V8-serialised, base64). */
export interface QueuedReplication {
  payload: string;
}

export const encode = (value: unknown): string => serialize(value).toString('base64');
export const decode = <T>(text: string): T => deserialize(Buffer.from(text, 'base64')) as T;

/** redis://[:password@]host[:port][/db] as BullMQ (ioredis) connection options. */
export function parseQueueUrl(url: string): ConnectionOptions & { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--queue must be a URL like redis://127.0.0.1:6379, got "${url}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new InputError(`--queue must be a redis:// or rediss:// URL, got "${url}"`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new InputError(`--queue ${url}: the path must be a database number, e.g. redis://host:6379/0`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db !== '' && { db: Number(db) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
  };
}

/** Fails fast with a clear message instead of ioredis retrying a dead address forever. */
export function checkReachable(url: string, timeoutMs = 3000): Promise<void> {
  const { host, port } = parseQueueUrl(url);
  return new Promise((resolve, reject) => {
    const s = new Socket();
    const fail = (why: string): void => {
      s.destroy();
      reject(new InputError(`cannot reach Redis at ${url}: ${why}`));
    };
    s.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    s.once('error', (err) => fail(err.message));
    s.connect(port, host, () => {
      s.destroy();
      resolve();
    });
  });
}

export interface QueueExecutorOptions {
  /** redis://host:port */
  url: string;
  /** the queue's name; workers must listen on the same (default leadtime-replications) */
  name?: string;
  /** how often unfinished jobs are looked up directly, in case an event was missed (ms, default 5000) */
  pollMs?: number;
}

interface Batch {
  ids: string[];
  index: Map<string, number>;
  results: (ReplicationResult | undefined)[];
  left: number;
  onProgress: (job: number, fraction: number) => void;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class QueueExecutor implements ReplicationExecutor {
  private batch?: Batch;
  private batches = 0;
  /** this run's id, the prefix of its job ids */
  readonly runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    readonly size: number,
    readonly url: string,
    readonly name: string,
    private readonly pollMs: number,
  ) {
    events.on('progress', ({ jobId, data }) => {
      const b = this.batch;
      const i = b?.index.get(jobId);
      if (b && i !== undefined && b.results[i] === undefined && typeof data === 'number')
        b.onProgress(i, Math.min(data, 0.999));
    });
    events.on('completed', ({ jobId, returnvalue }) => this.complete(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.fail(jobId, failedReason));
  }

  /** Connects to the queue; `size` is the number of workers listening on it now (at least 1). */
  static async open(options: QueueExecutorOptions): Promise<QueueExecutor> {
    await checkReachable(options.url);
    const connection = parseQueueUrl(options.url);
    const name = options.name ?? DEFAULT_QUEUE_NAME;
    // bullmq (and ioredis) load only when a queue is used
    const { Queue, QueueEvents } = await import('bullmq');
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    queue.on('error', () => {}); // ioredis reconnects on its own
    events.on('error', () => {});
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const workers = await queue.getWorkersCount();
    return new QueueExecutor(queue, events, Math.max(1, workers), options.url, name, options.pollMs ?? 5000);
  }

  /** Workers listening on the queue now. */
  workersCount(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  private complete(jobId: string, value: unknown): void {
    const b = this.batch;
    const i = b?.index.get(jobId);
    if (!b || i === undefined || b.results[i] !== undefined) return;
    if (typeof value !== 'string') {
      b.reject(new LeadtimeError(`queue job ${jobId} returned no replication result`));
      return;
    }
    b.results[i] = decode<ReplicationResult>(value);
    b.onProgress(i, 1);
    if (--b.left === 0) b.resolve();
  }

  private fail(jobId: string, reason: string): void {
    const b = this.batch;
    if (!b || !b.index.has(jobId)) return;
    // a replication that threw says so with the input's exit code (see queue-worker.ts)
    const input = reason.startsWith('input: ');
    const E = input ? InputError : LeadtimeError;
    b.reject(new E(`replication failed on a queue worker: ${input ? reason.slice(7) : reason}`));
  }

  async run(
    jobs: readonly Job[],
    onProgress: (job: number, fraction: number) => void,
  ): Promise<ReplicationResult[]> {
    if (this.batch) throw new LeadtimeError('a queue executor runs one batch at a time');
    if (jobs.length === 0) return [];
    const prefix = `${this.runId}-${++this.batches}`;
    const ids = jobs.map((_, i) => `${prefix}-${i}`);
    let resolve!: () => void, reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    const batch: Batch = {
      ids,
      index: new Map(ids.map((id, i) => [id, i])),
      results: new Array(jobs.length),
      left: jobs.length,
      onProgress,
      resolve,
      reject,
    };
    this.batch = batch;
    // events are subscribed before the jobs exist, so none is missed; the poll is a safety net
    const poll = setInterval(() => void this.poll(batch), this.pollMs);
    try {
      await this.queue.addBulk(
        jobs.map((job, i) => ({
          name: 'replication',
          data: { payload: encode(job) } satisfies QueuedReplication,
          opts: {
            jobId: ids[i],
            // a replication is deterministic: a failure would fail again (stalls are retried separately)
            attempts: 1,
            removeOnComplete: { age: 3600 },
            removeOnFail: { age: 24 * 3600 },
          },
        })),
      );
      await done;
      return batch.results as ReplicationResult[];
    } catch (err) {
      await this.cancel();
      throw err;
    } finally {
      clearInterval(poll);
      this.batch = undefined;
    }
  }

  private async poll(b: Batch): Promise<void> {
    for (let i = 0; i < b.ids.length && this.batch === b; i++) {
      if (b.results[i] !== undefined) continue;
      const { Job: QueueJob } = await import('bullmq');
      const job = await QueueJob.fromId(this.queue, b.ids[i]).catch(() => undefined);
      if (!job) continue;
      if (job.finishedOn && job.failedReason) this.fail(b.ids[i], job.failedReason);
      else if (job.finishedOn) this.complete(b.ids[i], job.returnvalue);
    }
  }

  /** Removes this run's jobs that no worker has started; returns how many. */
  async cancel(): Promise<number> {
    const b = this.batch;
    if (!b) return 0;
    let removed = 0;
    for (let i = 0; i < b.ids.length; i++) {
      if (b.results[i] !== undefined) continue;
      // 0 when the job is running (locked) or already gone
      removed += await this.queue.remove(b.ids[i]).catch(() => 0);
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.cancel();
    await Promise.all([this.events.close(), this.queue.close()]);
  }
}
