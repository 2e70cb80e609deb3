/**
 * core/ts-worker.ts: a worker on a TypeScript entry runs it through tsx, whatever LEADTIME_WORKERS
 * says, when the entry has no compiled copy in dist/ (as every worker did before the test runner
 * started preferring dist/'s copies); the worker pool's entries have one, and run it when asked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledWorkerEntry, tsWorker } from '../../core/ts-worker.ts';

const ask = (w: Worker, n: number) =>
  new Promise<{ value: number; url: string }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(n);
  });

describe('tsWorker', () => {
  const before = process.env.LEADTIME_WORKERS;
  afterEach(() => {
    if (before === undefined) delete process.env.LEADTIME_WORKERS;
    else process.env.LEADTIME_WORKERS = before;
  });

  it.each([undefined, 'dist'])(
    'runs a TypeScript entry without a compiled copy through tsx (LEADTIME_WORKERS=%s)',
    async (mode) => {
      if (mode === undefined) delete process.env.LEADTIME_WORKERS;
      else process.env.LEADTIME_WORKERS = mode;
      const entry = new URL('./fixtures/echo-worker.ts', import.meta.url);
      const w = tsWorker(entry);
      try {
        expect(await ask(w, 21)).toEqual({ value: 42, url: entry.href });
      } finally {
        await w.terminate();
      }
    },
  );

  it('with LEADTIME_WORKERS=dist an entry with a copy in dist/ runs that copy; otherwise the sources', () => {
    const source = new URL('../../simulation/experiments/replication-worker.ts', import.meta.url);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const built = join(root, 'dist/simulation/experiments/replication-worker.js');
    if (!existsSync(built) && !process.env.CI)
      return console.log('ts-worker: no dist/ build here; run npm run build');
    expect(compiledWorkerEntry(source, { LEADTIME_WORKERS: 'dist' })?.href).toBe(pathToFileURL(built).href);
    expect(compiledWorkerEntry(source, {})).toBeNull();
    // test files are not compiled: they run through tsx whatever the setting
    expect(
      compiledWorkerEntry(new URL('./fixtures/echo-worker.ts', import.meta.url), {
        LEADTIME_WORKERS: 'dist',
      }),
    ).toBeNull();
  });
});
