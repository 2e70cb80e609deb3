/**
 * The store backends the store suites run on: the DuckDB files under a temp home, and PostgreSQL
 * (a fresh database per store, `leadtime_test_<random>`, dropped after the file's tests). PostgreSQL
 * is at LEADTIME_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres, trust auth). Without
 * it the PostgreSQL cases are skipped with a printed reason, except under CI, where they must run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.LEADTIME_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** null when PostgreSQL answers; otherwise why not */
async function probe(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const unavailable = await probe();
if (unavailable && process.env.CI)
  throw new Error(`${unavailable} (CI needs it: the PostgreSQL store tests must run)`);
if (unavailable) console.warn(`skipping the PostgreSQL store tests: ${unavailable}`);
export const pgAvailable = unavailable === null;

const created: string[] = [];

/** A new, empty database; its URL. */
export async function freshPgUrl(): Promise<string> {
  const name = `leadtime_test_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  created.push(name);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the databases this file created (call in afterAll). */
export async function dropPgDatabases(): Promise<void> {
  if (!created.length) return;
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    for (const name of created.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** Where one test's stores live: a temp home, and the store URL ('' = the home's DuckDB files). */
export interface Place {
  home: string;
  url: string;
}

export interface Backend {
  name: 'duckdb' | 'postgres';
  available: boolean;
  place(tag: string): Promise<Place>;
}

const tempHome = (tag: string) => mkdtempSync(join(tmpdir(), `leadtime-${tag}-`));

export const BACKENDS: Backend[] = [
  { name: 'duckdb', available: true, place: async (tag) => ({ home: tempHome(tag), url: '' }) },
  {
    name: 'postgres',
    available: pgAvailable,
    place: async (tag) => ({ home: tempHome(tag), url: await freshPgUrl() }),
  },
];
