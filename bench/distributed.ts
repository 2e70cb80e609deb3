/**
 * Past one process: `npx tsx bench/distributed.ts` or `npm run bench -- distributed`.
 *
 * 1. A 20-point sweep (M/M/c, 2 replications per point: 40 jobs of 2,400 simulated days each, so a
 *    job is long against the queue's round trip; LEADTIME_BENCH_SWEEP_HORIZON to change it) on
 *    this process's 2 worker threads, then through a BullMQ queue (Redis 127.0.0.1:6379) on 1 and
 *    on 2 `leadtime worker` processes of one thread each; the queued results are checked equal to
 *    the local ones.
 * 2. MQTT ingest (Mosquitto 127.0.0.1:1883) by 1 and by 2 `leadtime ingest mqtt --share` processes:
 *    records/s from the first publish to the last record stored, 20,000 scalar messages.
 * Worker start-up is not timed (they are started and ready first). Skips a part, saying why, when its
 * service does not answer. On 2 cores, 2 workers can at best double 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import mqtt from 'mqtt';
import { RatePublisher } from '../ingest/index.ts';
import {
  parseScenario,
  QueueExecutor,
  runSweep,
  SimulationWorkers,
  type Axis,
  type SweepPoint,
} from '../simulation/index.ts';
import { checkReachable, parseQueueUrl } from '../simulation/experiments/queue-executor.ts';
import { startTestBroker } from './ingest-broker.lib.ts';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'api', 'cli.ts');
const REDIS = 'redis://127.0.0.1:6379';
const children: ChildProcess[] = [];

function start(args: string[], ready: string): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes(ready)) resolve({ child, log: () => log });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}): ${log}`)));
  });
}

const stop = async (c: ChildProcess): Promise<void> => {
  if (c.exitCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  await exited;
};

const scenario = parseScenario({
  name: 'bench-sweep',
  seed: 1,
  replications: 2,
  horizon: process.env.LEADTIME_BENCH_SWEEP_HORIZON ?? '2400d',
  warmup: '2d',
  priorities: { P1: { respond: '15m' }, P2: { respond: '30m' } },
  arrivals: [{ poisson: { perHour: 9, mix: { P1: 0.2, P2: 0.8 } } }],
  pools: { engineers: { size: 10, costPerHour: 60 } },
  flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
});
const axis: Axis = Array.from({ length: 20 }, (_, i) => ({ 'pools.engineers.size': 10 + i }));
/**
 * CPU seconds a process has used (user + system, all its threads), from /proc on Linux; NaN
 * elsewhere. Wall times on a shared machine follow the other jobs' load; CPU time per job does not,
 * so it tells what the queue costs against local threads.
 */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

const numbers = (points: SweepPoint[]) =>
  JSON.stringify(points.map((p) => ({ values: p.values, cost: p.cost, priorities: p.result.priorities })));

async function sweepBench(): Promise<void> {
  if (process.argv.includes('--mqtt-only')) return;
  const why = await checkReachable(REDIS, 1000).then(
    () => undefined,
    (e: Error) => e.message,
  );
  // the local threads warmed up like the queue's workers: thread start-up (tsx) is not timed
  const threads = new SimulationWorkers(2);
  let t0: number;
  let local: SweepPoint[];
  let localSeconds: number;
  let localCpu: number;
  try {
    await runSweep(scenario, [axis.slice(0, 2)], { workerPool: threads, replications: 1 });
    t0 = performance.now();
    const c0 = cpuSeconds(process.pid);
    local = await runSweep(scenario, [axis], { workerPool: threads });
    localSeconds = (performance.now() - t0) / 1000;
    localCpu = cpuSeconds(process.pid) - c0;
  } finally {
    await threads.close();
  }
  console.log(
    `sweep, 20 points x 2 replications: local 2 threads ${localSeconds.toFixed(2)} s (CPU ${localCpu.toFixed(2)} s)`,
  );
  if (why) return console.log(`  queue part skipped: ${why}`);
  for (const n of [1, 2]) {
    const name = `leadtime-bench-${process.pid}-${n}`;
    const workers = await Promise.all(
      Array.from({ length: n }, () =>
        start(
          ['worker', '--queue', REDIS, '--queue-name', name, '--threads', '1', '--timeout', '300'],
          'ready on',
        ),
      ),
    );
    const executor = await QueueExecutor.open({ url: REDIS, name });
    try {
      // warm-up jobs until every worker has run one: their threads start (tsx, seconds under load)
      // outside the timing, whichever worker the queue hands the first jobs to
      for (let round = 0; round < 20 && workers.some((w) => !/job \S+ done/.test(w.log())); round++)
        await runSweep(scenario, [axis.slice(0, n)], { workerPool: executor, replications: 1 });
      const doneBefore = workers.map((w) => (w.log().match(/job \S+ done/g) ?? []).length);
      // CPU of the workers and of this process (the queue client)
      const cpu = () => cpuSeconds(process.pid) + workers.reduce((a, w) => a + cpuSeconds(w.child.pid!), 0);
      const c0 = cpu();
      t0 = performance.now();
      const queued = await runSweep(scenario, [axis], { workerPool: executor });
      const s = (performance.now() - t0) / 1000;
      const used = cpu() - c0;
      const split = workers.map((w, i) => (w.log().match(/job \S+ done/g) ?? []).length - doneBefore[i]);
      console.log(
        `  BullMQ, ${n} worker process${n > 1 ? 'es' : ''} x 1 thread: ${s.toFixed(2)} s (local/queue ${(localSeconds / s).toFixed(2)}x; CPU ${used.toFixed(2)} s, ${(used / localCpu).toFixed(2)}x local's; jobs ${split.join(' + ')}), results equal to local: ${numbers(queued) === numbers(local)}`,
      );
    } finally {
      await executor.close();
      await Promise.all(workers.map((w) => stop(w.child)));
      const q = new Queue(name, { connection: parseQueueUrl(REDIS) });
      await q.obliterate({ force: true }).catch(() => {});
      await q.close();
    }
  }
}

async function mqttBench(): Promise<void> {
  if (process.argv.includes('--sweep-only')) return;
  const broker = await startTestBroker();
  try {
    if (broker.kind !== 'mosquitto')
      return console.log('MQTT part skipped: Mosquitto is not on 127.0.0.1:1883 (Aedes has no $share)');
    const N = 20_000;
    const base: number[] = [];
    for (const n of [1, 2]) {
      const id = `leadtime-bench-${process.pid}-${n}`;
      const homes = Array.from({ length: n }, () => mkdtempSync(join(tmpdir(), 'leadtime-bench-share-')));
      const counts = new Array<number>(n).fill(0);
      const workers = await Promise.all(
        homes.map((home, i) =>
          start(
            [
              '--home',
              home,
              'ingest',
              'mqtt',
              '--url',
              broker.url,
              '--topic',
              `${id}/+/telemetry`,
              '--share',
              id,
              '--client-id',
              `${id}-${i}`,
              '--log-commits',
              '--idle-exit',
              '120',
            ],
            'subscribed to',
          ).then((w) => {
            w.child.stderr!.on('data', () => {
              const all = [...w.log().matchAll(/"committed":\{"runId":\d+,"records":(\d+)/g)];
              if (all.length) counts[i] = Number(all[all.length - 1][1]);
            });
            return w;
          }),
        ),
      );
      const pub = await RatePublisher.connect({ url: broker.url, window: 2000 });
      const t0 = performance.now();
      for (let k = 0; k < N; k++)
        await pub.publish(
          `${id}/a${k % 8}/telemetry`,
          JSON.stringify({
            asset: `a${k % 8}`,
            t: 1_767_225_600_000 + k * 1000,
            values: { temperature: 40 + (k % 10), load: k },
          }),
        );
      const published = await pub.close();
      for (let i = 0; i < 1200 && counts.reduce((a, b) => a + b, 0) < N; i++)
        await new Promise((r) => setTimeout(r, 50));
      const s = (performance.now() - t0) / 1000;
      const stored = counts.reduce((a, b) => a + b, 0);
      base.push(N / s);
      console.log(
        `MQTT ingest, ${n} --share worker${n > 1 ? 's' : ''}: ${stored} of ${N} messages in ${s.toFixed(2)} s = ${Math.round(stored / s)} records/s (${counts.join(' + ')})` +
          (n > 1 ? `, ${(base[1] / base[0]).toFixed(2)}x one worker` : '') +
          `; the publisher alone: ${Math.round(published.messages / published.seconds)} messages/s`,
      );
      await Promise.all(workers.map((w) => stop(w.child)));
      // drop the persistent sessions
      for (let i = 0; i < n; i++) {
        const c = await mqtt
          .connectAsync(broker.url, { clientId: `${id}-${i}`, clean: true, protocolVersion: 4 })
          .catch(() => undefined);
        await c?.endAsync();
      }
      for (const h of homes) rmSync(h, { recursive: true, force: true });
    }
  } finally {
    await broker.close();
  }
}

try {
  await sweepBench();
  await mqttBench();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}
