/**
 * Ingest into the shared PostgreSQL store against the embedded DuckDB file, printed as ratios:
 * C-MAPSS FD001 (20,631 rows x 24 channels) through `ingest` (the same validation, batching and
 * keyed commit the CLI runs), each run in its own process: DuckDB 1 worker, PostgreSQL 1 worker,
 * PostgreSQL 2 concurrent workers (disjoint assets; throughput = all records / the span from the
 * first start to the last end). DuckDB has no 2-worker case: one process per store file.
 * PostgreSQL at LEADTIME_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 * database is made and dropped. Run alone: npx tsx bench/store-backends.ts
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pgUnavailable, withScratchDatabase } from './pg-bench.lib.ts';

const root = resolve(import.meta.dirname, '..');
const cmapssFile = resolve(root, '../shared/data/cmapss/train_FD001.txt');
const run = promisify(execFile);

interface WorkerResult {
  records: number;
  samples: number;
  start: number;
  end: number;
}

async function workers(
  home: string,
  url: string,
  n: number,
): Promise<{ records: number; samples: number; seconds: number }> {
  const outs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      run(
        process.execPath,
        ['--import', 'tsx', join(root, 'bench/store-ingest-worker.lib.ts'), home, url, `w${i}-`, cmapssFile],
        { cwd: root, timeout: 600_000, maxBuffer: 1 << 20 },
      ),
    ),
  );
  const rs = outs.map((o) => JSON.parse(o.stdout.trim().split('\n').pop()!) as WorkerResult);
  const seconds = (Math.max(...rs.map((r) => r.end)) - Math.min(...rs.map((r) => r.start))) / 1000;
  return {
    records: rs.reduce((s, r) => s + r.records, 0),
    samples: rs.reduce((s, r) => s + r.samples, 0),
    seconds,
  };
}

const home = mkdtempSync(join(tmpdir(), 'leadtime-bench-stores-'));
try {
  if (!existsSync(cmapssFile)) throw new Error(`${cmapssFile} not found`);
  const duck = await workers(home, '', 1);
  const rate = (r: { records: number; seconds: number }) => r.records / r.seconds;
  const lines = [
    'store backends: C-MAPSS FD001 through ingest',
    `  DuckDB file      1 worker   ${Math.round(rate(duck))} records/s (${duck.samples} samples in ${duck.seconds.toFixed(2)} s)`,
  ];
  const why = await pgUnavailable();
  if (why) lines.push(`  skipped PostgreSQL: ${why}`);
  else {
    const one = await withScratchDatabase((url) => workers(home, url, 1));
    const two = await withScratchDatabase((url) => workers(home, url, 2));
    lines.push(
      `  PostgreSQL       1 worker   ${Math.round(rate(one))} records/s (${one.samples} samples in ${one.seconds.toFixed(2)} s): ${(rate(one) / rate(duck)).toFixed(2)}x DuckDB`,
      `  PostgreSQL       2 workers  ${Math.round(rate(two))} records/s (${two.samples} samples in ${two.seconds.toFixed(2)} s): ${(rate(two) / rate(duck)).toFixed(2)}x DuckDB, ${(rate(two) / rate(one)).toFixed(2)}x 1 worker`,
    );
  }
  console.log(lines.join('\n'));
} finally {
  rmSync(home, { recursive: true, force: true });
}
