/**
 * Shared PostgreSQL plumbing for the stores: a connection pool whose errors never show the
 * password, and schema migrations recorded in a version table. Several processes may open a store
 * at the same moment; the migration runs under a transaction-scoped advisory lock, so exactly one
 * of them creates or upgrades the schema and the others see it done.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type * as pgCopyStreams from 'pg-copy-streams';
import { LeadtimeError } from './errors.ts';
import { onDemand } from './on-demand.ts';
import { redactUrl, scrubPassword } from './store-url.ts';

/** loaded when a PostgreSQL store is opened, not by every importer of the stores */
const driver = onDemand<typeof pg>('pg');
const copyStreams = onDemand<typeof pgCopyStreams>('pg-copy-streams');

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** advisory lock keys (first int of the two-int form): one namespace for leadtime */
export const PG_LOCK_SPACE = 0x1ead;
export const PG_LOCK = { migrate: 1, ticketWrites: 2, ingestRun: 3 } as const;

/** An error of the driver as a LeadtimeError naming the store, with the password scrubbed. */
export function pgError(err: unknown, what: string, url: string): LeadtimeError {
  const msg = err instanceof Error ? err.message || String((err as NodeJS.ErrnoException).code) : String(err);
  return new LeadtimeError(`${what} ${redactUrl(url)}: ${scrubPassword(msg, url)}`);
}

/** Opens a pool and checks that the database answers (connection errors name the store, not the password). */
export async function openPool(url: string, what: string, max = 4): Promise<PgPool> {
  const pool = new (driver().Pool)({ connectionString: url, max, idleTimeoutMillis: 5_000 });
  // an idle client losing its connection must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw pgError(err, `cannot open ${what}`, url);
  }
  return pool;
}

/** Runs `fn` in a transaction on one pooled connection; rolls back on any error. */
export async function pgTx<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    try {
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    c.release();
  }
}

/**
 * Runs `COPY ... FROM STDIN` (`sql`) on client `c`, inside whatever transaction `c` is in, sending
 * `chunks` (COPY text, whole lines each) as they are made; resolves with the rows copied. A failed
 * COPY rejects, and the transaction is then aborted like after any failed statement.
 */
export async function pgCopyFrom(c: PgClient, sql: string, chunks: Iterable<string>): Promise<number> {
  const copy = c.query(copyStreams().from(sql));
  await pipeline(Readable.from(chunks), copy);
  return copy.rowCount;
}

/**
 * Brings `component`'s tables to the newest version: `migrations[i]` takes version i to i+1. The
 * version table (`leadtime_schema`) says what is applied; the advisory lock makes concurrent first
 * use safe (CREATE TABLE IF NOT EXISTS alone races in PostgreSQL). A store newer than this code is
 * refused rather than written with an older layout.
 */
export async function migrate(pool: PgPool, component: string, migrations: string[]): Promise<number> {
  return pgTx(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1, $2)', [PG_LOCK_SPACE, PG_LOCK.migrate]);
    await c.query(
      `CREATE TABLE IF NOT EXISTS leadtime_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const r = await c.query<{ version: number }>('SELECT version FROM leadtime_schema WHERE component = $1', [
      component,
    ]);
    const have = r.rows[0]?.version ?? 0;
    if (have > migrations.length)
      throw new LeadtimeError(
        `the ${component} schema in the shared store is version ${have}, newer than this leadtime knows (${migrations.length}): upgrade leadtime`,
      );
    for (let v = have; v < migrations.length; v++) await c.query(migrations[v]);
    if (have < migrations.length)
      await c.query(
        `INSERT INTO leadtime_schema (component, version) VALUES ($1, $2)
         ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = now()`,
        [component, migrations.length],
      );
    return migrations.length;
  });
}
