/**
 * File ingest into the shared PostgreSQL store against PostgreSQL's own COPY of the same file, in
 * the same run (best of 2 on each side, each run into a fresh database):
 *   ours        `ingest()` into a PgTelemetryStore: the same parsing and checks as into DuckDB, then
 *               the store's bulk insert (the batch's columns as arrays through unnest(), one
 *               multi-row INSERT per batch into samples with its primary key, ON CONFLICT for
 *               concurrent writers)
 *   reference   server-side `COPY ... FROM '<file>'` into a wide temp table, then one INSERT of every
 *               cell into the same samples table (same shape, same key), without our checks
 * CPU is this process's plus the database's backends' (from /proc: the server runs on this machine).
 * PostgreSQL at LEADTIME_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { CMAPSS_CHANNELS, PgTelemetryStore, ingest, type TelemetryReader } from '../ingest/index.ts';
import { benchBatchSize, type Timed } from './ingest-files.lib.ts';

export const pgAdmin = process.env.LEADTIME_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PgFileBench {
  rows: number;
  ours: Timed;
  reference: Timed;
  /** ours / the COPY reference, rows per second */
  ratio: number;
}

/** Why PostgreSQL cannot be used, or undefined when it can. */
export async function pgUnavailable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: pgAdmin, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${pgAdmin}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function procCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ ticks
}

const selfCpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** This process's CPU seconds plus those of the backends connected to the database. */
async function cpuWithBackends(admin: pg.Client, db: string): Promise<number> {
  const r = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [db]);
  let total = selfCpu();
  for (const { pid } of r.rows) {
    try {
      total += procCpu(pid);
    } catch {
      // a backend that ended meanwhile
    }
  }
  return total;
}

async function withDatabase<T>(admin: pg.Client, fn: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `leadtime_ingest_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgAdmin);
  u.pathname = `/${name}`;
  try {
    return await fn(u.toString(), name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * `reader` makes a fresh reader of the file; `referenceSql` the statements that COPY it and put it
 * in samples (run on a connection to a database with the store's schema).
 */
export async function benchPgFile(
  reader: () => TelemetryReader,
  referenceSql: string[],
): Promise<PgFileBench> {
  const admin = new pg.Client({ connectionString: pgAdmin });
  await admin.connect();
  try {
    let ours: Timed = { seconds: Infinity, cpuSeconds: 0 },
      reference: Timed = { seconds: Infinity, cpuSeconds: 0 },
      rows = 0;
    for (let r = 0; r < 2; r++) {
      await withDatabase(admin, async (url, name) => {
        const store = await PgTelemetryStore.open(url);
        try {
          const c0 = await cpuWithBackends(admin, name);
          const s = await ingest(reader(), store, { batchSize: benchBatchSize() });
          const cpuSeconds = (await cpuWithBackends(admin, name)) - c0;
          if (s.rejected > 0) throw new Error(`${s.rejected} rejected records in a clean benchmark file`);
          rows = s.records;
          if (s.seconds < ours.seconds) ours = { seconds: s.seconds, cpuSeconds };
        } finally {
          await store.close();
        }
      });
      await withDatabase(admin, async (url, name) => {
        // the store's schema, made the way the store makes it
        await (await PgTelemetryStore.open(url)).close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          const c0 = await cpuWithBackends(admin, name);
          const t0 = performance.now();
          for (const sql of referenceSql) await c.query(sql);
          const seconds = (performance.now() - t0) / 1000;
          const cpuSeconds = (await cpuWithBackends(admin, name)) - c0;
          if (seconds < reference.seconds) reference = { seconds, cpuSeconds };
        } finally {
          await c.end();
        }
      });
    }
    return { rows, ours, reference, ratio: reference.seconds / ours.seconds };
  } finally {
    await admin.end();
  }
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
