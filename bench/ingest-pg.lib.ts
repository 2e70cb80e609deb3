/**
 * File ingest into the shared PostgreSQL store against PostgreSQL's own COPY of the same file, in
 * the same run (best of 2 on each side, each run into a fresh database):
 *   ours        `ingest()` into a PgTelemetryStore: the same parsing and checks as into DuckDB, then
 *               the store's bulk insert (the batch's numeric columns by COPY FROM STDIN into a
 *               staging table, then one INSERT per batch into samples with its primary key, ON
 *               CONFLICT for concurrent writers)
 *   reference   server-side `COPY ... FROM '<file>'` into a wide temp table, then one INSERT of every
 *               cell into the same samples table (same shape, same key), without our checks
 * CPU is this process's plus the database's backends' (pg-bench.lib.ts: the server, at
 * LEADTIME_BENCH_PG, runs on this machine).
 */
import pg from 'pg';
import { CMAPSS_CHANNELS, PgTelemetryStore, ingest, type TelemetryReader } from '../ingest/index.ts';
import { benchBatchSize, type Timed } from './ingest-files.lib.ts';
import { cpuWithBackends, withScratchDatabase } from './pg-bench.lib.ts';

export interface PgFileBench {
  rows: number;
  ours: Timed;
  reference: Timed;
  /** ours / the COPY reference, rows per second */
  ratio: number;
}

/**
 * `reader` makes a fresh reader of the file; `referenceSql` the statements that COPY it and put it
 * in samples (run on a connection to a database with the store's schema).
 */
export async function benchPgFile(
  reader: () => TelemetryReader,
  referenceSql: string[],
): Promise<PgFileBench> {
  let ours: Timed = { seconds: Infinity, cpuSeconds: 0 },
    reference: Timed = { seconds: Infinity, cpuSeconds: 0 },
    rows = 0;
  const me = [process.pid];
  for (let r = 0; r < 2; r++) {
    await withScratchDatabase(async (url) => {
      const store = await PgTelemetryStore.open(url);
      try {
        const c0 = await cpuWithBackends(me, url);
        const s = await ingest(reader(), store, { batchSize: benchBatchSize() });
        const cpuSeconds = (await cpuWithBackends(me, url)) - c0;
        if (s.rejected > 0) throw new Error(`${s.rejected} rejected records in a clean benchmark file`);
        rows = s.records;
        if (s.seconds < ours.seconds) ours = { seconds: s.seconds, cpuSeconds };
      } finally {
        await store.close();
      }
    }, 'leadtime_ingest_bench');
    await withScratchDatabase(async (url) => {
      // the store's schema, made the way the store makes it
      await (await PgTelemetryStore.open(url)).close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const c0 = await cpuWithBackends(me, url);
        const t0 = performance.now();
        for (const sql of referenceSql) await c.query(sql);
        const seconds = (performance.now() - t0) / 1000;
        const cpuSeconds = (await cpuWithBackends(me, url)) - c0;
        if (seconds < reference.seconds) reference = { seconds, cpuSeconds };
      } finally {
        await c.end();
      }
    }, 'leadtime_ingest_bench');
  }
  return { rows, ours, reference, ratio: reference.seconds / ours.seconds };
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** COPY of a C-MAPSS file (26 space-separated columns, two trailing blanks) and its cells into samples. */
export function cmapssCopySql(file: string, assetPrefix: string): string[] {
  return [
    `CREATE TEMP TABLE cmapss_wide (unit INTEGER, cycle INTEGER, ${CMAPSS_CHANNELS.map((c) => `${c} DOUBLE PRECISION`).join(', ')}, pad1 TEXT, pad2 TEXT)`,
    `COPY cmapss_wide FROM ${literal(file)} WITH (FORMAT text, DELIMITER ' ')`,
    `INSERT INTO samples (asset, channel, t, value, run_id)
     SELECT ${literal(assetPrefix)} || lpad(w.unit::text, 3, '0'), v.channel, w.cycle, v.value, 1
     FROM cmapss_wide w CROSS JOIN LATERAL (VALUES ${CMAPSS_CHANNELS.map((c) => `(${literal(c)}, w.${c})`).join(', ')}) AS v(channel, value)`,
  ];
}

/** COPY of a wide CSV (`asset,t,<channels>`, ISO times, a header) and its cells into samples. */
export function wideCsvCopySql(file: string, channels: string[]): string[] {
  return [
    `CREATE TEMP TABLE csv_wide (asset TEXT, t TIMESTAMPTZ, ${channels.map((c) => `${c} DOUBLE PRECISION`).join(', ')})`,
    `COPY csv_wide FROM ${literal(file)} WITH (FORMAT csv, HEADER true)`,
    `INSERT INTO samples (asset, channel, t, value, run_id)
     SELECT w.asset, v.channel, (extract(epoch FROM w.t) * 1000)::BIGINT, v.value, 1
     FROM csv_wide w CROSS JOIN LATERAL (VALUES ${channels.map((c) => `(${literal(c)}, w.${c})`).join(', ')}) AS v(channel, value)`,
  ];
}
