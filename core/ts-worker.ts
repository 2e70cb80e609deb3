/**
 * Worker threads that run our TypeScript sources directly: a two-line bootstrap registers tsx's
 * loader in the worker and then imports the entry. (Passing `--import tsx` in execArgv is not
 * enough on Node 20: the worker's entry is resolved before the loader's hooks apply.) tsx is
 * resolved from this package, so this works from any working directory, under `npx tsx`, the bin
 * and vitest. From the compiled copy (dist/, bin/build.js) the `.ts` entry is not there but its
 * compiled `.js` sibling is, and the worker runs that directly, without tsx.
 *
 * With LEADTIME_WORKERS=dist (the test setup sets it when dist/ is the build of the current
 * sources, bin/dist-stamp.js), a worker started from the sources runs the entry's compiled copy in
 * dist/ too: a tsx worker thread starts its own loader thread and transpiles its module graph
 * again, which cost the M/M/c tests 41 s of CPU on two workers against 12 s on one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

let tsxApi: string | undefined;

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

/**
 * The compiled module a worker on `entry` runs, or null to run the TypeScript through tsx: the
 * entry's `.js` sibling when only that exists (we are dist/), else with LEADTIME_WORKERS=dist the
 * entry's copy under dist/ when there is one.
 */
export function compiledWorkerEntry(entry: URL, env: NodeJS.ProcessEnv = process.env): URL | null {
  const compiled = new URL(entry.href.replace(/\.ts$/, '.js'));
  if (
    compiled.href !== entry.href &&
    !existsSync(fileURLToPath(entry)) &&
    existsSync(fileURLToPath(compiled))
  )
    return compiled;
  if (env.LEADTIME_WORKERS === 'dist') {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const rel = relative(root, fileURLToPath(entry));
    const built = join(root, 'dist', rel).replace(/\.ts$/, '.js');
    if (!rel.startsWith('..') && built.endsWith('.js') && existsSync(built)) return pathToFileURL(built);
  }
  return null;
}

/** A worker running the TypeScript module at `entry` (a file URL, e.g. new URL('./w.ts', import.meta.url)). */
export function tsWorker(entry: URL): Worker {
  const compiled = compiledWorkerEntry(entry);
  if (compiled) return new Worker(compiled);
  tsxApi ??= resolveTsxEsmApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
