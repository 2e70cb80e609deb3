/**
 * Trains the ensemble's members, several at once: the WASM and CPU backends compute on one thread,
 * so on a machine with N cores N members train side by side on worker threads (each member's
 * result depends only on its own data and seed, so it is the same on a worker as in-process).
 * With one worker, or one member, training stays in this thread. A stop signal reaches every
 * running member, which ends after its current batch keeping its best weights; members not yet
 * started are skipped.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { tsWorker } from '../../../core/index.ts';
import { buildNetwork, type Architecture, type NetworkOptions } from './architectures.ts';
import { useBackend, type BackendName } from './backend.ts';
import { networkWeights, type NetworkWeights } from './tfjs-files.ts';
import { trainNetwork, type EpochInfo, type TrainOptions, type TrainResult } from './train.ts';

export interface MemberJob {
  member: number;
  arch: Architecture;
  /** [window, channels] */
  shape: number[];
  /** the network's settings; its seed also seeds the batch order */
  network: NetworkOptions;
  backend: BackendName;
  x: Float32Array;
  y: Float32Array;
  xVal: Float32Array;
  yVal: Float32Array;
  train: Omit<TrainOptions, 'signal' | 'onEpoch' | 'seed'>;
}

export interface MemberResult {
  member: number;
  weights: NetworkWeights;
  result: TrainResult;
}

export type MemberMessage =
  | { type: 'epoch'; member: number; info: EpochInfo }
  | { type: 'done'; member: number; weights: NetworkWeights; result: TrainResult }
  | { type: 'error'; member: number; message: string };

/** Trains one member in this thread (also the worker's body). */
export async function trainMember(
  job: MemberJob,
  signal?: AbortSignal,
  onEpoch?: (info: EpochInfo) => void,
): Promise<MemberResult> {
  const net = buildNetwork(job.arch, job.shape, job.network);
  try {
    const result = await trainNetwork(net, job.x, job.y, job.shape, job.xVal, job.yVal, {
      ...job.train,
      seed: job.network.seed,
      signal,
      onEpoch,
    });
    return { member: job.member, weights: networkWeights(net), result };
  } finally {
    net.dispose();
  }
}

export interface MemberTrainingOptions {
  /** worker threads (default: one per core, at most one per member; 1 trains in this thread) */
  workers?: number;
  signal?: AbortSignal;
  onEpoch?: (member: number, info: EpochInfo) => void;
  onDone?: (member: number, result: TrainResult) => void;
}

/** Threads that train `members` members: as asked, else one per core; never more than members. */
export function workerCount(requested: number | undefined, members: number): number {
  return Math.max(1, Math.min(requested ?? availableParallelism(), members));
}

/** Trains every job; results in job order (a member stopped before its first epoch has bestValRmse Infinity). */
export async function trainMembers(
  jobs: MemberJob[],
  o: MemberTrainingOptions = {},
): Promise<MemberResult[]> {
  const workers = workerCount(o.workers, jobs.length);
  if (workers === 1) {
    const out: MemberResult[] = [];
    for (const job of jobs) {
      if (o.signal?.aborted) break;
      const r = await trainMember(job, o.signal, (info) => o.onEpoch?.(job.member, info));
      o.onDone?.(job.member, r.result);
      out.push(r);
    }
    return out;
  }
  const results: MemberResult[] = [];
  const pool: Worker[] = Array.from({ length: workers }, () =>
    tsWorker(new URL('./member-worker.ts', import.meta.url)),
  );
  const stop = () => pool.forEach((w) => w.postMessage({ type: 'stop' }));
  o.signal?.addEventListener('abort', stop, { once: true });
  try {
    let next = 0;
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= jobs.length || o.signal?.aborted) return resolve();
              const job = jobs[next++];
              worker.postMessage({ type: 'job', job });
            };
            worker.on('message', (m: MemberMessage) => {
              if (m.type === 'epoch') o.onEpoch?.(m.member, m.info);
              else if (m.type === 'done') {
                results.push({ member: m.member, weights: m.weights, result: m.result });
                o.onDone?.(m.member, m.result);
                feed();
              } else reject(new Error(`member ${m.member + 1}: ${m.message}`));
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`a training worker exited with code ${code}`)));
            feed();
          }),
      ),
    );
  } finally {
    o.signal?.removeEventListener('abort', stop);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const order = new Map(jobs.map((j, i) => [j.member, i]));
  return results.sort((a, b) => order.get(a.member)! - order.get(b.member)!);
}

/** Selects the parent's backend in a worker before it trains. */
export async function workerBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await useBackend(name))) throw new Error(`backend ${name} does not load in a worker thread`);
}
