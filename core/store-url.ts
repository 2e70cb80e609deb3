/**
 * Where the stores live: absent (or empty) = the embedded DuckDB files under the home; a
 * `postgres://` / `postgresql://` URL = a shared PostgreSQL database (telemetry and tickets in the
 * same database, several processes and machines at once). Given by `--store URL` or LEADTIME_STORE.
 */
import { UsageError } from './errors.ts';

export type StoreTarget = { kind: 'duckdb' } | { kind: 'postgres'; url: string; location: string };

/** The URL without its password, for messages and logs (`postgres://user@host:5432/db`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    // searchParams may carry a password too (libpq's `password=`)
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

/** Removes every occurrence of the URL's password from `text` (error messages of the driver). */
export function scrubPassword(text: string, url: string): string {
  let password = '';
  try {
    const u = new URL(url);
    password = decodeURIComponent(u.password) || u.searchParams.get('password') || '';
  } catch {
    password = /\/\/[^:@/]*:([^@/]*)@/.exec(url)?.[1] ?? '';
  }
  return password ? text.split(password).join('***') : text;
}

/** Reads a store URL; an unknown scheme is a usage error (exit 2) naming it. */
export function parseStoreUrl(url: string | undefined): StoreTarget {
  const v = url?.trim();
  if (!v) return { kind: 'duckdb' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql')
    return { kind: 'postgres', url: v, location: redactUrl(v) };
  throw new UsageError(
    `--store / LEADTIME_STORE: unknown store URL scheme "${scheme ?? redactUrl(v)}"${scheme ? ':' : ''} ` +
      'expected postgres://user@host:port/database (or postgresql://); leave it unset for the DuckDB files under the home',
  );
}
