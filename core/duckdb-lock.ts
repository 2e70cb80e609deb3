import { LeadtimeError } from './errors.ts';

/**
 * DuckDB lets one process hold a database file. Turns its raw "Could not set lock" error into one
 * that says which store, which process holds it and what to do; other errors pass through.
 */
export function explainLockError(err: unknown, what: string, file: string): unknown {
  const msg = (err as Error)?.message ?? String(err);
  if (!/Could not set lock/i.test(msg)) return err;
  const pid = /PID (\d+)/.exec(msg)?.[1];
  return new LeadtimeError(
    `${what} ${file} is in use by another process${pid ? ` (PID ${pid})` : ''}: DuckDB allows one process per store file. ` +
      'If a leadtime server holds it, use the server (its API and dashboard, or the read commands, which ask it), ' +
      'or stop it and run again; or use another --home',
  );
}
