/**
 * Compiled ajv validators kept on disk between runs. ajv compiles a schema into JavaScript; for
 * the scenario schema (hundreds of unions over the distribution specs) that costs about half a
 * second of CPU, which every `leadtime simulate` paid before simulating anything. The same
 * validator as ajv's standalone code loads in a few milliseconds. A file is named by a hash of
 * the schema, the ajv version and the options, so a changed schema or ajv gets a new file.
 *
 * Where: node_modules/.cache/leadtime/validators/ under the package root (where tools keep their
 * caches; code there is as trusted as the dependencies beside it). LEADTIME_VALIDATOR_CACHE names
 * another directory, or `off`. A cache that cannot be written or read is skipped: the validator
 * is compiled as before, so the cache only ever saves time.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { packageRoot } from './package-root.ts';

const require = createRequire(import.meta.url);
/** Validators kept; the least recently used beyond this are removed when one is added. */
const KEEP = 64;

/** The cache directory, or null when caching is off. */
export function validatorCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.LEADTIME_VALIDATOR_CACHE;
  if (v === 'off') return null;
  return v || join(packageRoot, 'node_modules', '.cache', 'leadtime', 'validators');
}

function keyOf(ajv: Ajv, schema: object): string {
  const { version } = require('ajv/package.json') as { version: string };
  const { allErrors, useDefaults, strict, coerceTypes } = ajv.opts;
  return createHash('sha256')
    .update(JSON.stringify([1, version, allErrors, useDefaults, strict, coerceTypes]))
    .update(JSON.stringify(schema))
    .digest('hex')
    .slice(0, 32);
}

/** Runs a standalone module's code with our require, so ajv's runtime resolves wherever the file is. */
function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  if (typeof module.exports !== 'function') throw new Error('not a validator');
  return module.exports as ValidateFunction;
}

function prune(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cjs'));
  if (files.length <= KEEP) return;
  const byUse = files.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of byUse.slice(KEEP)) rmSync(join(dir, f), { force: true });
}

/**
 * The validator of `schema` from the cache, else compiled by `ajv` (which must have been made with
 * `code: { source: true }`) and written to the cache. `from` says which.
 */
export function cachedValidator(
  ajv: Ajv,
  schema: object,
  dir: string | null = validatorCacheDir(),
): { validate: ValidateFunction; from: 'cache' | 'compiled' } {
  const file = dir ? join(dir, `${keyOf(ajv, schema)}.cjs`) : null;
  if (file) {
    try {
      const validate = loadStandalone(readFileSync(file, 'utf8'));
      const now = new Date();
      utimesSync(file, now, now); // recently used: kept by prune
      return { validate, from: 'cache' };
    } catch {
      // not cached yet, or unreadable: compile below (and replace it)
    }
  }
  const validate = ajv.compile(schema);
  if (file && dir) {
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      const standaloneCode = require('ajv/dist/standalone') as (a: Ajv, v: ValidateFunction) => string;
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, standaloneCode(ajv, validate));
      renameSync(tmp, file); // whole or not at all, whoever writes it at the same time
      prune(dir);
    } catch {
      // a read-only install: no cache, same validator (and no half-written file left behind)
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }
  return { validate, from: 'compiled' };
}
