/**
 * Replications on a BullMQ queue against the real Redis at 127.0.0.1:6379 (skipped, with the
 * reason printed, only outside CI when it does not answer): `simulate --queue` with two
 * `leadtime worker` processes gives the local run's numbers exactly; a worker killed mid-job loses
 * no replication; Ctrl-C removes the run's waiting jobs. Every queue is named for its test and
 * removed afterwards; every worker has --timeout and --idle-exit and is killed in afterAll.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReachable, parseQueueUrl } from '../../simulation/experiments/queue-executor.ts';
import { spawnCli, tempDir } from '../ingest/helpers.ts';
import { cli } from './cli-helper.ts';

const REDIS = 'redis://127.0.0.1:6379';
let why: string | undefined;
beforeAll(async () => {
  why = await checkReachable(REDIS, 1000).then(
    () => undefined,
    (err: Error) => err.message,
  );
  if (why && process.env.CI) throw new Error(`CI is set but Redis is not there: ${why}`);
  if (why) console.warn(`skipping queue tests: ${why}`);
});

const children: ChildProcess[] = [];
const queues: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const name of queues) {
    const q = new Queue(name, { connection: parseQueueUrl(REDIS) });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
});

const queueName = (what: string): string => {
  const name = `leadtime-test-${what}-${process.pid}-${Date.now().toString(36)}`;
  queues.push(name);
  return name;
};

/** A short M/M/c so a replication takes a moment, not minutes. */
function scenarioFile(dir: string, horizon = '30d'): string {
  const file = join(dir, 'small.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'small',
      seed: 1,
      replications: 4,
      horizon,
      warmup: '2d',
      priorities: { P1: { respond: '15m', resolve: '2h' }, P2: { respond: '30m', resolve: '4h' } },
      arrivals: [{ poisson: { perHour: 9, mix: { P1: 0.2, P2: 0.8 } } }],
      pools: { engineers: { size: 10, costPerHour: 60 } },
      flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
    }),
  );
  return file;
}

/** A worker process; resolves once it listens. Its stderr is kept in `log`. */
function startWorker(
  name: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawnCli([
    'worker',
    '--queue',
    REDIS,
    '--queue-name',
    name,
    '--threads',
    '1',
    '--idle-exit',
    '60',
    '--timeout',
    '240',
    ...extra,
  ]);
  children.push(child);
  let log = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('ready on queue')) resolve({ child, log: () => log });
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${log}`)));
  });
}

/** Timing and the count of workers say how a run went, not what it computed. */
function numbers(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    ['wallSeconds', 'ticketsPerSecond', 'engineTicketsPerSecond', 'workers'].includes(key) ? undefined : v,
  );
}

describe('simulation on a BullMQ queue', () => {
  it('simulate and a sweep with --queue on two workers equal the local run, number for number', async () => {
    if (why) return;
    const dir = tempDir('queue');
    const file = scenarioFile(dir);
    const name = queueName('equal');
    const workers = await Promise.all([startWorker(name), startWorker(name)]);

    const local = await cli('simulate', file, '-r', '6', '--seed', '3', '--json', join(dir, 'local.json'));
    expect(local.code).toBe(0);
    const queued = await cli(
      'simulate',
      file,
      '-r',
      '6',
      '--seed',
      '3',
      '--queue',
      REDIS,
      '--queue-name',
      name,
      '--json',
      join(dir, 'queue.json'),
    );
    expect(queued.code, queued.err).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8'));
    expect(b.perReplication).toHaveLength(6);
    expect(numbers(b)).toEqual(numbers(a));

    const sweep = ['--vary', 'pools.engineers.size=10,12', '-r', '2', '--seed', '5'];
    const ls = await cli('simulate', file, ...sweep, '--json', join(dir, 'sweep-local.json'));
    const qs = await cli(
      'simulate',
      file,
      ...sweep,
      '--queue',
      REDIS,
      '--queue-name',
      name,
      '--json',
      join(dir, 'sweep-queue.json'),
    );
    expect([ls.code, qs.code]).toEqual([0, 0]);
    const sa = JSON.parse(readFileSync(join(dir, 'sweep-local.json'), 'utf8'));
    const sb = JSON.parse(readFileSync(join(dir, 'sweep-queue.json'), 'utf8'));
    expect(sb.points).toHaveLength(2);
    expect(numbers(sb)).toEqual(numbers(sa));
    // both workers took jobs: 6 + 4 replications between them
    const ran = workers.map((w) => (w.log().match(/ done in /g) ?? []).length);
    expect(ran[0] + ran[1]).toBe(10);
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
    expect(workers.map((w) => w.child.exitCode)).toEqual([0, 0]);
  }, 240_000);

  it('a worker killed mid-job loses no replication: the stalled job is retried by another worker', async () => {
    if (why) return;
    const dir = tempDir('queue-kill');
    const file = scenarioFile(dir);
    const name = queueName('kill');
    const lock = ['--lock-ms', '1000'];
    const first = await startWorker(name, lock);
    const killed = new Promise<string>((resolve) => {
      first.child.stderr!.on('data', () => {
        const m = / job (\S+) started/.exec(first.log());
        if (m && first.child.exitCode === null && !first.child.killed) {
          first.child.kill('SIGKILL');
          resolve(m[1]);
        }
      });
    });
    const run = cli(
      'simulate',
      file,
      '-r',
      '3',
      '--seed',
      '7',
      '--queue',
      REDIS,
      '--queue-name',
      name,
      '--json',
      join(dir, 'queue.json'),
    );
    const lost = await killed;
    const second = await startWorker(name, lock);
    const queued = await run;
    expect(queued.code, queued.err).toBe(0);
    // the job the dead worker held ran again on the second one
    expect(second.log()).toContain(`job ${lost} done`);
    const local = await cli('simulate', file, '-r', '3', '--seed', '7', '--json', join(dir, 'local.json'));
    expect(local.code).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8'));
    expect(numbers(b)).toEqual(numbers(a));
    second.child.kill('SIGTERM');
  }, 240_000);

  it("Ctrl-C removes the run's waiting jobs from the queue", async () => {
    if (why) return;
    const dir = tempDir('queue-int');
    const file = scenarioFile(dir);
    const name = queueName('int');
    const q = new Queue(name, { connection: parseQueueUrl(REDIS) });
    try {
      // no worker: the 5 jobs wait
      const child = spawnCli(['simulate', file, '-r', '5', '--queue', REDIS, '--queue-name', name]);
      children.push(child);
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      for (let i = 0; i < 600 && (await q.getWaitingCount()) < 5; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await q.getWaitingCount()).toBe(5);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(err).toMatch(/SIGINT: removed 5 waiting job\(s\)/);
      expect(await q.getWaitingCount()).toBe(0);
    } finally {
      await q.close();
    }
  }, 120_000);
});
