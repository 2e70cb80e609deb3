/**
 * Worker thread entry: receives jobs (a scenario, seed and replication number), runs each, posts
 * progress and the summary back. Scenarios arrive validated.
 */
import { parentPort } from 'node:worker_threads';
import { runReplication } from '../engine/replication.ts';
import type { Scenario } from '../scenario/scenario.ts';

export interface WorkerJob {
  job: number;
  scenario: Scenario;
  seed: number;
  replication: number;
  baseDir?: string;
}

export type WorkerMessage =
  | { type: 'progress'; job: number; fraction: number }
  | { type: 'result'; job: number; result: ReturnType<typeof runReplication> }
  | { type: 'error'; job: number; message: string; exitCode: number };

const port = parentPort!;

port.on('message', ({ job, scenario, seed, replication, baseDir }: WorkerJob) => {
  try {
    const result = runReplication(scenario, {
      replication,
      seed,
      baseDir,
      onProgress: (fraction) => port.postMessage({ type: 'progress', job, fraction } satisfies WorkerMessage),
    });
    port.postMessage({ type: 'result', job, result } satisfies WorkerMessage);
  } catch (err) {
    const e = err as Error & { exitCode?: number };
    port.postMessage({
      type: 'error',
      job,
      message: e.stack ?? e.message,
      exitCode: e.exitCode ?? 1,
    } satisfies WorkerMessage);
  }
});
