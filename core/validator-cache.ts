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
 *
 * Beside each validator, V8's code cache of it (`<key>-<V8 version>.v8`, written by the first run
 * that loads the validator): the scenario's validator is one function of 0.9 MB of source, and
 * parsing and compiling it to bytecode on its first call took about 0.1 s of every run; from the
 * code cache it takes a fifth of that. V8 checks the cache against its version and flags and
 * rejects a stale one, which is then rewritten.
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
import { Script } from 'node:vm';
import type { Ajv, Options, ValidateFunction } from 'ajv';
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

/**
 * An ajv made only when a validator must be compiled: its options (which key the cache) are known
 * before, so a cached validator never loads ajv's compiler.
 */
export interface LazyAjv {
  readonly opts: Pick<Options, 'allErrors' | 'useDefaults' | 'strict' | 'coerceTypes'>;
  instance(): Ajv;
}

function keyOf(opts: LazyAjv['opts'], schema: object): string {
  const { version } = require('ajv/package.json') as { version: string };
  const { allErrors, useDefaults, strict, coerceTypes } = opts;
  return createHash('sha256')
    .update(JSON.stringify([1, version, allErrors, useDefaults, strict, coerceTypes]))
    .update(JSON.stringify(schema))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Runs a standalone module's code with our require, so ajv's runtime resolves wherever the file is;
 * compiled from V8's code cache `cachedData` when it is given and V8 accepts it.
 */
function loadStandalone(
  code: string,
  filename: string,
  cachedData?: Buffer,
): { validate: ValidateFunction; script: Script } {
  const module = { exports: {} as unknown };
  const script = new Script(`(function (require, module, exports) {${code}\n})`, { filename, cachedData });
  (script.runInThisContext() as (r: NodeJS.Require, m: object, e: unknown) => void)(
    require,
    module,
    module.exports,
  );
  if (typeof module.exports !== 'function') throw new Error('not a validator');
  return { validate: module.exports as ValidateFunction, script };
}

/** Where V8's code cache of a validator file is kept: per V8 version, as the cache is only valid for one. */
const codeCacheOf = (file: string) => `${file.slice(0, -'.cjs'.length)}-${process.versions.v8}.v8`;

/** Writes a file whole or not at all (a rename), whoever writes it at the same time; false when it cannot. */
function writeWhole(file: string, data: string | Buffer): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
}

/**
 * Writes V8's code cache of a loaded validator. Its one big function is compiled on its first call,
 * so it is called once first (on an empty object: errors, no side effect on anything of ours).
 */
function writeCodeCache(validate: ValidateFunction, script: Script, file: string): void {
  try {
    validate({});
    validate.errors = null;
    writeWhole(file, script.createCachedData());
  } catch {
    // no code cache: the next run compiles the validator from its source again
  }
}

function prune(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cjs'));
  if (files.length <= KEEP) return;
  const byUse = files.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  const gone = byUse.slice(KEEP).map(({ f }) => f.slice(0, -'.cjs'.length));
  // a validator goes with its code caches (one per V8 version that loaded it)
  for (const f of readdirSync(dir))
    if (gone.some((key) => f.startsWith(key))) rmSync(join(dir, f), { force: true });
}

/**
 * The validator of `schema` from the cache, else compiled by `ajv` (which must have been made with
 * `code: { source: true }`; a LazyAjv is made only then) and written to the cache. `from` says which.
 */
export function cachedValidator(
  lazy: Ajv | LazyAjv,
  schema: object,
  dir: string | null = validatorCacheDir(),
): { validate: ValidateFunction; from: 'cache' | 'compiled' } {
  const file = dir ? join(dir, `${keyOf(lazy.opts, schema)}.cjs`) : null;
  if (file) {
    try {
      const code = readFileSync(file, 'utf8');
      const codeCache = codeCacheOf(file);
      let cachedData: Buffer | undefined;
      try {
        cachedData = readFileSync(codeCache);
      } catch {
        // none yet: written below
      }
      const { validate, script } = loadStandalone(code, file, cachedData);
      const now = new Date();
      utimesSync(file, now, now); // recently used: kept by prune
      if (cachedData === undefined || script.cachedDataRejected) writeCodeCache(validate, script, codeCache);
      return { validate, from: 'cache' };
    } catch {
      // not cached yet, or unreadable: compile below (and replace it)
    }
  }
  const ajv = 'instance' in lazy ? lazy.instance() : lazy;
  const validate = ajv.compile(schema);
  if (file && dir) {
    try {
      const standaloneCode = require('ajv/dist/standalone') as (a: Ajv, v: ValidateFunction) => string;
      mkdirSync(dir, { recursive: true });
      // a read-only install: no cache, same validator (and no half-written file left behind)
      if (writeWhole(file, standaloneCode(ajv, validate))) prune(dir);
    } catch {
      // no cache: the same validator, compiled
    }
  }
  return { validate, from: 'compiled' };
}
