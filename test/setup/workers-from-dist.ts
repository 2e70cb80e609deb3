/**
 * Before each test file: worker threads (simulation replications, network members) run dist/'s
 * compiled copy when dist/ is the build of the sources as they are now (core/ts-worker.ts; a worker
 * on the sources starts its own tsx loader and transpiles again). Checked per file, not once per
 * run, so a source edited during a run or in watch mode sends the workers back to the sources.
 * A LEADTIME_WORKERS the caller set is left as it is.
 */
import { staleReason } from '../../bin/dist-stamp.js';

// the caller's setting, kept across files should a worker process run several
const CALLER = Symbol.for('leadtime.test.workersCaller');
const g = globalThis as { [CALLER]?: string | null };
g[CALLER] ??= process.env.LEADTIME_WORKERS ?? null;
if (g[CALLER] === null) {
  if (staleReason() === null) process.env.LEADTIME_WORKERS = 'dist';
  else delete process.env.LEADTIME_WORKERS;
}
