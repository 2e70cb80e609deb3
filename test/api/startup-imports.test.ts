/**
 * What each CLI path loads (issue 18, start-up): `--help`, `--version` and `erlang` load no
 * library but commander, and `simulate` (main thread and its worker threads) none of the heavy
 * ones; the command that opens the DuckDB store shows the trace sees a heavy library when one
 * loads. Modules are recorded by a loader hook (module-trace/preload.mjs), asserted by package
 * name, never by time. Run on the TypeScript sources (LEADTIME_ENTRY=source), and on the compiled
 * dist/ when it is fresh (always under CI, where `npm ci` builds it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleReason } from '../../bin/dist-stamp.js';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/leadtime.js');
const preload = join(import.meta.dirname, 'module-trace/preload.mjs');

/** Libraries no light path may load (issue 18's list, with what they pull in). */
const HEAVY = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@duckdb/node-api',
  'vega',
  'vega-lite',
  'vega-embed',
  'fastify',
  'pg',
  'bullmq',
  'ioredis',
  'highs',
  'mqtt',
  'mathjs',
];
/** What running the TypeScript sources needs (tsx and its dependencies), not the command. */
const RUNNER = new Set(['tsx', 'esbuild', 'get-tsconfig', 'resolve-pkg-maps']);

/** The package a module path or URL belongs to (`@scope/name` or `name`), or null for ours/builtins. */
function packageOf(module: string): string | null {
  const at = module.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const parts = module.slice(at + '/node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

interface Traced {
  code: number | null;
  out: string;
  err: string;
  modules: string[];
  packages: Set<string>;
}

function traced(entry: 'source' | 'dist', ...args: string[]): Traced {
  const dir = mkdtempSync(join(tmpdir(), 'lt-trace-'));
  const trace = join(dir, 'modules.txt');
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', preload, bin, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      LEADTIME_ENTRY: entry,
      LEADTIME_TRACE_MODULES: trace,
      LEADTIME_HOME: join(dir, 'home'),
    },
    timeout: 120_000,
  });
  const modules = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  const packages = new Set(modules.map(packageOf).filter((p): p is string => p !== null));
  return { code: r.status, out: r.stdout, err: r.stderr, modules, packages };
}

const withoutRunner = (t: Traced) => [...t.packages].filter((p) => !RUNNER.has(p)).sort();

// a small staffing scenario: two replications of a day, on two worker threads
const scenarioDir = mkdtempSync(join(tmpdir(), 'lt-scenario-'));
const scenario = join(scenarioDir, 'small.yaml');
writeFileSync(
  scenario,
  [
    'name: small',
    'seed: 1',
    'replications: 2',
    'horizon: 1d',
    'warmup: 0h',
    'priorities: { P1: { respond: 15m, resolve: 2h } }',
    'arrivals:',
    '  - poisson: { perHour: 4, mix: { P1: 1 } }',
    'pools:',
    '  engineers: { size: 5 }',
    'flow:',
    '  - stage: work',
    '    pool: engineers',
    '    duration: { exponential: { mean: 1h } }',
    '',
  ].join('\n'),
);

const fresh = staleReason();
const entries: ('source' | 'dist')[] = ['source'];
if (fresh === null || process.env.CI) entries.push('dist');
else console.log(`startup-imports: the dist/ runs are skipped: ${fresh}`);
/**
 * dist/ is compiled file by file from the sources, so both entries load the same module graph: with
 * a fresh build the sources check only the entry and the light paths (each source run starts tsx,
 * 1-3 s of CPU), and every command is checked on the compiled entry users run.
 */
const everyCommand = (entry: 'source' | 'dist') => entry === 'dist' || !entries.includes('dist');

describe.each(entries)('what each CLI path loads (%s)', (entry) => {
  it('runs the entry it was asked for', () => {
    const t = traced(entry, '--version');
    expect(t.code, t.err).toBe(0);
    const cli = t.modules.filter((m) => /\/api\/cli\.(ts|js)$/.test(m));
    expect(cli).toEqual([expect.stringContaining(entry === 'dist' ? '/dist/api/cli.js' : '/api/cli.ts')]);
    if (entry === 'dist') expect(t.packages.has('tsx')).toBe(false);
  });

  it('--help and --version load no library but commander', () => {
    for (const args of [
      ['--help'],
      ['--version'],
      ['simulate', '--help'],
      ['evaluate', 'cmapss', '--help'],
    ]) {
      const t = traced(entry, ...args);
      expect(t.code, t.err).toBe(0);
      expect(withoutRunner(t), args.join(' ')).toEqual(['commander']);
    }
  });

  if (everyCommand(entry))
    it('erlang c loads no library but commander, and answers', () => {
      const t = traced(
        entry,
        'erlang',
        'c',
        '--calls',
        '100',
        '--interval',
        '30m',
        '--aht',
        '3m',
        '--target',
        '0.8',
        '--within',
        '20s',
        '--json',
      );
      expect(t.code, t.err).toBe(0);
      // 100 calls of 3 min in 30 min = 10 Erlangs: 14 agents answer 80% within 20 s (Erlang C)
      expect(JSON.parse(t.out).agents).toBe(14);
      expect(withoutRunner(t)).toEqual(['commander']);
    });

  if (everyCommand(entry))
    it('simulate (and, compiled, its worker threads) loads none of the heavy libraries', () => {
      // on the sources the workers are not traced (see below), so one runs inline there: faster
      const workers = entry === 'dist' ? 2 : 0;
      const t = traced(entry, 'simulate', scenario, '--workers', String(workers), '--json', '-q');
      expect(t.code, t.err).toBe(0);
      expect(JSON.parse(t.out)).toMatchObject({ workers, replications: 2 });
      // compiled, the worker threads run their entry as a file and inherit the trace's --import (the
      // tsx bootstrap of the sources is an eval, which does not): their modules are in the trace
      if (entry === 'dist')
        expect(t.modules.some((m) => m.endsWith('/dist/simulation/experiments/replication-worker.js'))).toBe(
          true,
        );
      expect(HEAVY.filter((p) => t.packages.has(p))).toEqual([]);
    });

  if (everyCommand(entry))
    it('simulate with its validator cached loads no ajv compiler and no progress bar', () => {
      traced(entry, 'simulate', scenario, '--workers', '0', '--json', '-q'); // fills the validator cache
      const t = traced(entry, 'simulate', scenario, '--workers', '0', '--json', '-q');
      expect(t.code, t.err).toBe(0);
      // the cached validator needs only ajv's runtime helpers (ajv/dist/runtime/*), not its compiler
      expect(t.modules.filter((m) => /\/node_modules\/ajv\/dist\/(ajv|core)\.js$/.test(m))).toEqual([]);
      expect(t.packages.has('cli-progress')).toBe(false);
    });

  if (everyCommand(entry))
    it('the trace sees a heavy library when a command loads one (rejected opens the DuckDB store)', () => {
      const t = traced(entry, 'rejected', '--json');
      expect(t.code, t.err).toBe(0);
      expect(t.packages.has('@duckdb/node-api')).toBe(true);
    });

  if (everyCommand(entry))
    it('tickets dispatch and tickets list load the DuckDB store and nothing of the models', () => {
      for (const args of [
        ['tickets', 'dispatch', '--url', 'http://127.0.0.1:9/hook', '--until-empty', '--json'],
        ['tickets', 'list', '--json'],
      ]) {
        const t = traced(entry, ...args);
        expect(t.code, t.err).toBe(0);
        expect(t.packages.has('@duckdb/node-api'), args.join(' ')).toBe(true);
        // the models (mathjs, TensorFlow.js) and the PostgreSQL client stay out of a DuckDB dispatch
        expect(
          HEAVY.filter((p) => t.packages.has(p) && p !== '@duckdb/node-api'),
          args.join(' '),
        ).toEqual([]);
      }
    });
});
