/**
 * File ingest against DuckDB's own CSV reader, in the same run on the same file: 5 rounds in which
 * the three sides take turns (so a change in the machine's load reaches all three), the best of 5 on
 * each side by wall time, each run into a fresh database file; CPU is the process's user + system
 * time of that run, DuckDB's threads included:
 *   ours       `ingest()` into a fresh DuckDbTelemetryStore: parse, validate every cell, key, store
 *   long       the headline reference, a table of the same shape: read_csv, UNPIVOT to (asset,
 *              channel, t, value) and INSERT into the store's `samples` table: the same rows in the
 *              same table as ours, without our checks
 *   wide       `CREATE TABLE AS SELECT * FROM read_csv(...)`: the file's own shape (one row per
 *              line), not the shape the store keeps; printed for comparison
 * Used by bench/ingest.ts for C-MAPSS FD001 and a generated wide CSV.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  CMAPSS_CHANNELS,
  CmapssReader,
  CsvReader,
  SCHEMA_SQL,
  DuckDbTelemetryStore,
  ingest,
} from '../ingest/index.ts';
import type { TelemetryReader } from '../ingest/index.ts';
import { benchPgFile, cmapssCopySql, wideCsvCopySql, type PgFileBench } from './ingest-pg.lib.ts';
import { pgUnavailable } from './pg-bench.lib.ts';

/** The PostgreSQL side, or why not: unreachable, or LEADTIME_BENCH_PG=off. */
async function pgSide(reader: () => TelemetryReader, sql: string[]): Promise<FileIngestBench['pg']> {
  if (process.env.LEADTIME_BENCH_PG === 'off') return { skipped: 'LEADTIME_BENCH_PG=off' };
  const why = await pgUnavailable();
  return why ? { skipped: why } : benchPgFile(reader, sql);
}

/** Best of 3 by wall time: seconds, and the CPU seconds (user + system, all threads) of that run. */
export interface Timed {
  seconds: number;
  cpuSeconds: number;
}

export interface FileIngestBench {
  name: string;
  rows: number;
  samples: number;
  oursRowsPerSec: number;
  wideRowsPerSec: number;
  longRowsPerSec: number;
  ours: Timed;
  long: Timed;
  wide: Timed;
  /** ours / read_csv + UNPIVOT into the samples table (the same shape): the headline ratio */
  ratioLong: number;
  /** ours / wide read_csv (the file's shape) */
  ratioWide: number;
  /** into PostgreSQL against its own COPY (ingest-pg.lib.ts), or why it was skipped */
  pg?: PgFileBench | { skipped: string };
}

/** LEADTIME_BENCH_BATCH: ingest()'s batch size for our side (unset: ingest's default). */
export function benchBatchSize(): number | undefined {
  const v = process.env.LEADTIME_BENCH_BATCH;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`LEADTIME_BENCH_BATCH must be a positive integer, got "${v}"`);
  return n;
}

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Rounds per side: ours and the two references take turns, so a change in the machine's load hits all three. */
const ROUNDS = 5;

async function runDuckDb(file: string, sql: string[]): Promise<Timed> {
  const inst = await DuckDBInstance.create(file);
  const db = await inst.connect();
  await db.run(SCHEMA_SQL);
  const t0 = performance.now(),
    c0 = cpuNow();
  for (const s of sql) await db.run(s);
  const timed = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0 };
  db.closeSync();
  inst.closeSync();
  rmSync(file, { force: true });
  rmSync(file + '.wal', { force: true });
  return timed;
}

async function runOurs(
  file: string,
  reader: TelemetryReader,
): Promise<Timed & { rows: number; samples: number }> {
  const store = await DuckDbTelemetryStore.open(file);
  const c0 = cpuNow();
  const s = await ingest(reader, store, { batchSize: benchBatchSize() });
  const cpuSeconds = cpuNow() - c0;
  store.close();
  rmSync(file, { force: true });
  rmSync(file + '.wal', { force: true });
  if (s.rejected > 0) throw new Error(`${file}: ${s.rejected} rejected records in a clean benchmark file`);
  return { seconds: s.seconds, cpuSeconds, rows: s.records, samples: s.stored };
}

/** ROUNDS of ours, the same-shape reference and the wide one in turn; the best (least disturbed) of each. */
async function timeAll(
  dir: string,
  reader: () => TelemetryReader,
  longSql: string[],
  wideSql: string[],
): Promise<{ ours: Timed & { rows: number; samples: number }; long: Timed; wide: Timed }> {
  const none = { seconds: Infinity, cpuSeconds: 0 };
  let ours = { ...none, rows: 0, samples: 0 },
    long: Timed = none,
    wide: Timed = none;
  const better = <T extends Timed>(a: T, b: T): T => (b.seconds < a.seconds ? b : a);
  for (let r = 0; r < ROUNDS; r++) {
    ours = better(ours, await runOurs(join(dir, `ours-${r}.duckdb`), reader()));
    long = better(long, await runDuckDb(join(dir, `long-${r}.duckdb`), longSql));
    wide = better(wide, await runDuckDb(join(dir, `wide-${r}.duckdb`), wideSql));
  }
  return { ours, long, wide };
}

function result(
  name: string,
  ours: Timed & { rows: number; samples: number },
  wide: Timed,
  long: Timed,
): FileIngestBench {
  const o = ours.rows / ours.seconds,
    w = ours.rows / wide.seconds,
    l = ours.rows / long.seconds;
  return {
    name,
    rows: ours.rows,
    samples: ours.samples,
    oursRowsPerSec: Math.round(o),
    wideRowsPerSec: Math.round(w),
    longRowsPerSec: Math.round(l),
    ours: { seconds: ours.seconds, cpuSeconds: ours.cpuSeconds },
    long,
    wide,
    ratioLong: o / l,
    ratioWide: o / w,
  };
}

export async function benchCmapssIngest(cmapssFile: string, parent: string): Promise<FileIngestBench> {
  const dir = mkdtempSync(join(parent, 'cmapss-'));
  try {
    const names = ['unit', 'cycle', ...CMAPSS_CHANNELS];
    const csv = `read_csv(${sqlString(cmapssFile)}, delim = ' ', header = false, null_padding = true)`;
    // the same rows and names as ours: asset <file>-<unit, 3 digits>, t = cycle, one row per cell
    const named = `read_csv(${sqlString(cmapssFile)}, delim = ' ', header = false, null_padding = true, names = [${names.map(sqlString).join(', ')}])`;
    const { ours, long, wide } = await timeAll(
      dir,
      () => new CmapssReader(cmapssFile),
      [
        `INSERT INTO samples SELECT asset, channel, t, value, 1 FROM (
         UNPIVOT (SELECT 'train_FD001-' || lpad(unit::VARCHAR, 3, '0') AS asset, cycle::BIGINT AS t, ${CMAPSS_CHANNELS.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${named})
         ON ${CMAPSS_CHANNELS.join(', ')} INTO NAME channel VALUE value)`,
      ],
      [`CREATE TABLE cmapss AS SELECT * FROM ${csv}`],
    );
    return {
      ...result('C-MAPSS FD001', ours, wide, long),
      pg: await pgSide(() => new CmapssReader(cmapssFile), cmapssCopySql(cmapssFile, 'train_FD001-')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A wide CSV, `asset,t,c00..c19`, ISO timestamps, 40 assets x 625 rows: 25,000 rows, 500,000 samples. */
export function writeWideCsv(file: string): void {
  const channels = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const lines = [['asset', 't', ...channels].join(',')];
  const t0 = Date.UTC(2026, 0, 1);
  let x = 1;
  for (let a = 0; a < 40; a++) {
    for (let k = 0; k < 625; k++) {
      const cells = [`pump-${String(a).padStart(2, '0')}`, new Date(t0 + k * 60_000).toISOString()];
      for (let c = 0; c < channels.length; c++) {
        x = (x * 48271) % 2147483647; // Park-Miller, so the file is the same every run
        cells.push(((x / 2147483647) * 100 - 20).toFixed(3));
      }
      lines.push(cells.join(','));
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

export async function benchWideCsvIngest(parent: string): Promise<FileIngestBench> {
  const dir = mkdtempSync(join(parent, 'wide-'));
  try {
    const file = join(dir, 'wide.csv');
    writeWideCsv(file);
    const csv = `read_csv(${sqlString(file)}, header = true)`;
    const { ours, long, wide } = await timeAll(
      dir,
      () => new CsvReader(file, { layout: 'wide' }),
      [
        `INSERT INTO samples SELECT asset, channel, epoch_ms(t::TIMESTAMP), value, 1 FROM (UNPIVOT ${csv} ON COLUMNS(* EXCLUDE (asset, t)) INTO NAME channel VALUE value)`,
      ],
      [`CREATE TABLE wide AS SELECT * FROM ${csv}`],
    );
    // PostgreSQL's server process reads the file for COPY: let it into the temporary folders
    chmodSync(parent, 0o711);
    chmodSync(dir, 0o711);
    const channels = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    return {
      ...result('wide CSV (25,000 rows x 20 channels)', ours, wide, long),
      pg: await pgSide(() => new CsvReader(file, { layout: 'wide' }), wideCsvCopySql(file, channels)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
