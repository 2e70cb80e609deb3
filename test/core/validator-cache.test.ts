/**
 * Compiled validators cached on disk (core/validator-cache.ts): the cached standalone code must
 * accept, reject and fill in defaults exactly as ajv's freshly compiled validator does, on the
 * largest schema we have (the scenario's) and on the shipped example scenarios.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cachedValidator, validatorCacheDir } from '../../core/validator-cache.ts';
import { Scenario } from '../../simulation/index.ts';

type AddFormats = (a: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;
/** As core/config.ts makes it. */
const freshAjv = () =>
  addFormats(
    new Ajv({
      allErrors: true,
      useDefaults: true,
      strict: false,
      coerceTypes: false,
      code: { source: true },
    }),
  );

const scenarios = join(import.meta.dirname, '../../data/scenarios');
const examples = readdirSync(scenarios)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(scenarios, f), 'utf8')) as Record<string, unknown>);
const broken = [
  { ...examples[0], horizon: -1, replications: 0, pools: { a: { size: 'many' } }, surprise: true },
  { name: 'x', arrivals: [{ poisson: { perHour: 'fast' } }], flow: [] },
  {},
];

/** What a validator does to a copy of `value`: its verdict, its errors, the defaults it filled in. */
function outcome(v: ReturnType<typeof cachedValidator>['validate'], value: unknown) {
  const copy = structuredClone(value);
  const ok = v(copy);
  return { ok, errors: v.errors ?? null, value: copy };
}

describe('validator cache', () => {
  it('compiles once, then loads the same validator from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-validators-'));
    const first = cachedValidator(freshAjv(), Scenario, dir);
    expect(first.from).toBe('compiled');
    expect(readdirSync(dir).filter((f) => f.endsWith('.cjs'))).toHaveLength(1);
    const second = cachedValidator(freshAjv(), Scenario, dir);
    expect(second.from).toBe('cache');
    for (const value of [...examples, ...broken]) {
      expect(outcome(second.validate, value)).toEqual(outcome(first.validate, value));
    }
    // the examples pass and get their defaults; the broken ones fail with several errors each
    for (const value of examples) expect(outcome(second.validate, value).ok).toBe(true);
    for (const value of broken) expect(outcome(second.validate, value).errors!.length).toBeGreaterThan(1);
  });

  it("keeps V8's code cache beside a loaded validator, uses it, and rewrites a damaged one", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-validators-'));
    const first = cachedValidator(freshAjv(), Scenario, dir);
    const codeCaches = () => readdirSync(dir).filter((f) => f.endsWith('.v8'));
    expect(codeCaches()).toEqual([]); // written by the first run that loads the file
    cachedValidator(freshAjv(), Scenario, dir);
    const [codeCache] = codeCaches();
    expect(codeCache).toContain(process.versions.v8);
    const written = readFileSync(join(dir, codeCache));
    expect(written.length).toBeGreaterThan(1000);
    const third = cachedValidator(freshAjv(), Scenario, dir); // compiled from the code cache
    expect(third.from).toBe('cache');
    for (const value of [...examples, ...broken])
      expect(outcome(third.validate, value)).toEqual(outcome(first.validate, value));
    // a damaged code cache (in a second directory: V8 keeps what this process compiled by file name)
    const dir2 = mkdtempSync(join(tmpdir(), 'lt-validators-'));
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(dir2, f));
    writeFileSync(join(dir2, codeCache), 'not a code cache');
    const fourth = cachedValidator(freshAjv(), Scenario, dir2); // V8 rejects it: from the source, rewritten
    expect(fourth.from).toBe('cache');
    for (const value of [...examples, ...broken])
      expect(outcome(fourth.validate, value)).toEqual(outcome(first.validate, value));
    expect(readFileSync(join(dir2, codeCache)).length).toBeGreaterThan(1000);
  });

  it('a different schema gets its own file; a damaged file is compiled again and replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-validators-'));
    cachedValidator(freshAjv(), Scenario, dir);
    const other = { type: 'object', properties: { n: { type: 'integer', default: 3 } } };
    expect(cachedValidator(freshAjv(), other, dir).from).toBe('compiled');
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    for (const f of files) writeFileSync(join(dir, f), 'module.exports = 42; // not a validator');
    const again = cachedValidator(freshAjv(), other, dir);
    expect(again.from).toBe('compiled');
    expect(outcome(again.validate, {}).value).toEqual({ n: 3 });
    expect(cachedValidator(freshAjv(), other, dir).from).toBe('cache');
  });

  it('LEADTIME_VALIDATOR_CACHE=off compiles every time; an unwritable directory is skipped', () => {
    expect(validatorCacheDir({ LEADTIME_VALIDATOR_CACHE: 'off' })).toBeNull();
    expect(validatorCacheDir({})).toMatch(/node_modules[\\/]\.cache[\\/]leadtime[\\/]validators$/);
    const schema = { type: 'string' };
    expect(cachedValidator(freshAjv(), schema, null).from).toBe('compiled');
    const file = join(mkdtempSync(join(tmpdir(), 'lt-validators-')), 'a-file');
    writeFileSync(file, '');
    const r = cachedValidator(freshAjv(), schema, join(file, 'sub')); // a file where a directory should be
    expect(r.from).toBe('compiled');
    expect(r.validate('x')).toBe(true);
  });
});
