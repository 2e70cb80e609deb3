/**
 * File ingest against DuckDB's own CSV reader, in the same run on the same file (best of 3 on each
 * side by wall time, each run into a fresh database file; CPU is the process's user + system time
 * of that run, DuckDB's threads included):
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
import {
  benchPgFile,
  cmapssCopySql,
  pgUnavailable,
  wideCsvCopySql,
  type PgFileBench,
} from './ingest-pg.lib.ts';

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

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function timeDuckDb(dir: string, label: string, sql: string[]): Promise<Timed> {
  let best: Timed = { seconds: Infinity, cpuSeconds: 0 };
  for (let r = 0; r < 3; r++) {
    const file = join(dir, `${label}-${r}.duckdb`);
    const inst = await DuckDBInstance.create(file);
    const db = await inst.connect();
    await db.run(SCHEMA_SQL);
    const t0 = performance.now(),
      c0 = cpuNow();
    for (const s of sql) await db.run(s);
    const seconds = (performance.now() - t0) / 1000;
    if (seconds < best.seconds) best = { seconds, cpuSeconds: cpuNow() - c0 };
    db.closeSync();
    inst.closeSync();
    rmSync(file, { force: true });
    rmSync(file + '.wal', { force: true });
  }
  return best;
}

async function timeOurs(
  dir: string,
  label: string,
  reader: () => TelemetryReader,
): Promise<Timed & { rows: number; samples: number }> {
  let best: Timed = { seconds: Infinity, cpuSeconds: 0 },
    rows = 0,
    samples = 0;
  for (let r = 0; r < 3; r++) {
    const file = join(dir, `${label}-ours-${r}.duckdb`);
    const store = await DuckDbTelemetryStore.open(file);
    const c0 = cpuNow();
    const s = await ingest(reader(), store);
    const cpuSeconds = cpuNow() - c0;
    store.close();
    rmSync(file, { force: true });
    rmSync(file + '.wal', { force: true });
    if (s.rejected > 0) throw new Error(`${label}: ${s.rejected} rejected records in a clean benchmark file`);
    if (s.seconds < best.seconds) best = { seconds: s.seconds, cpuSeconds };
    rows = s.records;
    samples = s.stored;
  }
  return { ...best, rows, samples };
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
    const ours = await timeOurs(dir, 'cmapss', () => new CmapssReader(cmapssFile));
    const names = ['unit', 'cycle', ...CMAPSS_CHANNELS];
    const csv = `read_csv(${sqlString(cmapssFile)}, delim = ' ', header = false, null_padding = true)`;
    const wide = await timeDuckDb(dir, 'wide', [`CREATE TABLE cmapss AS SELECT * FROM ${csv}`]);
    // the same rows and names as ours: asset <file>-<unit, 3 digits>, t = cycle, one row per cell
    const named = `read_csv(${sqlString(cmapssFile)}, delim = ' ', header = false, null_padding = true, names = [${names.map(sqlString).join(', ')}])`;
    const long = await timeDuckDb(dir, 'long', [
      `INSERT INTO samples SELECT asset, channel, t, value, 1 FROM (
         UNPIVOT (SELECT 'train_FD001-' || lpad(unit::VARCHAR, 3, '0') AS asset, cycle::BIGINT AS t, ${CMAPSS_CHANNELS.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM ${named})
         ON ${CMAPSS_CHANNELS.join(', ')} INTO NAME channel VALUE value)`,
    ]);
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
    const ours = await timeOurs(dir, 'wide', () => new CsvReader(file, { layout: 'wide' }));
    const csv = `read_csv(${sqlString(file)}, header = true)`;
    const wide = await timeDuckDb(dir, 'wide', [`CREATE TABLE wide AS SELECT * FROM ${csv}`]);
    const long = await timeDuckDb(dir, 'long', [
      `INSERT INTO samples SELECT asset, channel, epoch_ms(t::TIMESTAMP), value, 1 FROM (UNPIVOT ${csv} ON COLUMNS(* EXCLUDE (asset, t)) INTO NAME channel VALUE value)`,
    ]);
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
