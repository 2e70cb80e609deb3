/**
 * What the benchmarks that touch PostgreSQL share: the server they use (LEADTIME_BENCH_PG, default
 * postgres://postgres@127.0.0.1:5432/postgres), why it cannot be used, a scratch database per run,
 * and CPU time including the database's backends (from /proc: the server runs on this machine).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';

export const PG_ADMIN = process.env.LEADTIME_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why PostgreSQL cannot be used, or undefined when it can. */
export async function pgUnavailable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${PG_ADMIN}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Runs `fn` on the URL of a fresh database, dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(
  fn: (url: string) => Promise<T>,
  prefix = 'leadtime_bench',
): Promise<T> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  try {
    return await fn(u.toString());
  } finally {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}

/** CPU seconds a process has used (user + system, all threads) from /proc on Linux; NaN elsewhere. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100) ticks
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds used so far by the given processes and, with a PostgreSQL URL, by the backends serving
 * that database (the store's work done in PostgreSQL): what the work costs, whatever the other jobs
 * on the machine do to the wall time. A backend that ended meanwhile counts nothing.
 */
export async function cpuWithBackends(pids: number[], url: string): Promise<number> {
  let total = pids.reduce((a, p) => a + processCpuSeconds(p), 0);
  if (url) {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      const r = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [
        new URL(url).pathname.slice(1),
      ]);
      for (const row of r.rows) {
        const s = processCpuSeconds(row.pid);
        if (Number.isFinite(s)) total += s;
      }
    } finally {
      await c.end();
    }
  }
  return total;
}
