/**
 * Runs replications on worker threads, handing each idle worker the next replication number.
 * A replication's random streams depend only on (seed, replication), so results are the same
 * whatever the number of workers or the order they finish in.
 *
 * Workers run the TypeScript sources directly: a two-line bootstrap registers tsx's loader in
 * the worker and then imports the entry. (Passing `--import tsx` in execArgv is not enough on
 * Node 20: the worker's entry is resolved before the loader's hooks apply.) tsx is resolved from
 * this package, so this works from any working directory, under `npx tsx`, the bin and vitest.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LeadtimeError, InputError } from '../core/index.ts';
import type { ReplicationResult } from './replication.ts';
import type { WorkerInput, WorkerMessage } from './replication-worker.ts';

const tsxApi = resolveTsxEsmApi();
const workerUrl = new URL('./replication-worker.ts', import.meta.url).href;
const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;

/** The ESM build of `tsx/esm/api` (require.resolve would give the CommonJS one). */
function resolveTsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = pkg.exports['./esm/api'];
  const rel = typeof entry === 'string' ? entry : (entry?.import?.default ?? './dist/esm/api/index.mjs');
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

export async function runOnWorkers(
  input: WorkerInput,
  replications: number,
  workers: number,
  onProgress: (replication: number, fraction: number) => void,
): Promise<ReplicationResult[]> {
  const results: ReplicationResult[] = new Array(replications);
  let next = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const count = Math.max(1, Math.min(workers, replications));
      for (let w = 0; w < count; w++) {
        const worker = new Worker(bootstrap, { eval: true, workerData: input });
        pool.push(worker);
        let retired = false;
        const feed = () => {
          if (next < replications) worker.postMessage(next++);
          else {
            retired = true;
            void worker.terminate();
          }
        };
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'progress') onProgress(msg.replication, msg.fraction);
          else if (msg.type === 'result') {
            results[msg.result.replication] = msg.result;
            onProgress(msg.result.replication, 1);
            if (++finished === replications) resolve();
            else feed();
          } else {
            const E = msg.exitCode === 2 ? InputError : LeadtimeError;
            fail(new E(`replication failed: ${msg.message}`));
          }
        });
        worker.on('error', (err) => fail(err));
        worker.on('exit', (code) => {
          if (!retired && finished < replications)
            fail(new LeadtimeError(`a simulation worker exited with code ${code}`));
        });
        feed();
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
