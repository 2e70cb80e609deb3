/**
 * Worker threads that run our TypeScript sources directly: a two-line bootstrap registers tsx's
 * loader in the worker and then imports the entry. (Passing `--import tsx` in execArgv is not
 * enough on Node 20: the worker's entry is resolved before the loader's hooks apply.) tsx is
 * resolved from this package, so this works from any working directory, under `npx tsx`, the bin
 * and vitest. From the compiled copy (dist/, bin/build.js) the `.ts` entry is not there but its
 * compiled `.js` sibling is, and the worker runs that directly, without tsx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/** A worker running the TypeScript module at `entry` (a file URL, e.g. new URL('./w.ts', import.meta.url)). */
export function tsWorker(entry: URL): Worker {
  const compiled = new URL(entry.href.replace(/\.ts$/, '.js'));
  if (
    compiled.href !== entry.href &&
    !existsSync(fileURLToPath(entry)) &&
    existsSync(fileURLToPath(compiled))
  )
    return new Worker(compiled);
  tsxApi ??= resolveTsxEsmApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
