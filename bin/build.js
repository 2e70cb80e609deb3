#!/usr/bin/env node
/**
 * `npm run build` (and npm's `prepare`, run by `npm install` / `npm ci` in this project): compiles
 * the sources to dist/ with tsc (tsconfig.build.json: emit only, `.ts` imports rewritten to `.js`;
 * type errors are `npm run typecheck`'s job) and stamps them (dist-stamp.js), so bin/leadtime.js
 * starts the compiled JavaScript instead of transpiling through tsx on every run.
 *
 * `--if-stale`: does nothing when dist/ is already the build of the current sources.
 * Without TypeScript installed (`npm install --omit=dev`) it says so and exits 0: the bin then
 * runs the sources through tsx, a dependency.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DIST, ROOT, STAMP, staleReason, takeStamp } from './dist-stamp.js';

const CONFIG = join(ROOT, 'tsconfig.build.json');

if (process.argv.includes('--if-stale') && staleReason() === null) {
  process.stdout.write('leadtime build: dist/ is up to date\n');
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stdout.write(
    'leadtime build: TypeScript is not installed (a dev dependency), so nothing is compiled; bin/leadtime.js runs the sources through tsx\n',
  );
  process.exit(0);
}

// an old stamp must not vouch for a half-written dist/, and files of deleted sources must go
rmSync(DIST, { recursive: true, force: true });
const { include } = JSON.parse(readFileSync(CONFIG, 'utf8'));
const stamp = takeStamp(ROOT, include); // before tsc: a source edited during the build makes it stale
const started = process.hrtime.bigint();
const r = spawnSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write(`leadtime build: tsc failed (exit ${r.status ?? r.signal}); dist/ not stamped\n`);
  process.exit(1);
}
writeFileSync(STAMP, JSON.stringify(stamp));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `leadtime build: ${Object.keys(stamp.files).filter((f) => f.endsWith('.ts')).length} sources compiled to dist/ in ${seconds.toFixed(1)} s\n`,
);
