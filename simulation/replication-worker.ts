/**
 * Worker thread entry: receives replication numbers, runs each, posts progress and the
 * summary back. The scenario arrives once, validated, in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runReplication } from './replication.ts';
import type { Scenario } from './scenario.ts';

export interface WorkerInput {
  scenario: Scenario;
  seed: number;
  baseDir?: string;
}

export type WorkerMessage =
  | { type: 'progress'; replication: number; fraction: number }
  | { type: 'result'; result: ReturnType<typeof runReplication> }
  | { type: 'error'; message: string; exitCode: number };

const { scenario, seed, baseDir } = workerData as WorkerInput;
const port = parentPort!;

port.on('message', (replication: number) => {
  try {
    const result = runReplication(scenario, {
      replication,
      seed,
      baseDir,
      onProgress: (fraction) =>
        port.postMessage({ type: 'progress', replication, fraction } satisfies WorkerMessage),
    });
    port.postMessage({ type: 'result', result } satisfies WorkerMessage);
  } catch (err) {
    const e = err as Error & { exitCode?: number };
    port.postMessage({
      type: 'error',
      message: e.stack ?? e.message,
      exitCode: e.exitCode ?? 1,
    } satisfies WorkerMessage);
  }
});
