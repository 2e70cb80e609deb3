import { dirname } from 'node:path';
import { LeadtimeError } from './errors.ts';
import { readServerMarker } from './home.ts';

/**
 * DuckDB lets one process hold a database file. Turns its raw "Could not set lock" error into one
 * that says which store, which process holds it and what to do (a leadtime server announces itself
 * in `<home>/server.json`); other errors pass through. Store files live in `<home>/store/`.
 */
export function explainLockError(err: unknown, what: string, file: string): unknown {
  const msg = (err as Error)?.message ?? String(err);
  if (!/Could not set lock/i.test(msg)) return err;
  const pid = /PID (\d+)/.exec(msg)?.[1];
  const server = readServerMarker(dirname(dirname(file)));
  if (server)
    return new LeadtimeError(
      `${what} ${file} is held by a running leadtime server (PID ${server.pid}, ${server.url}): ` +
        `reads go through it (leadtime rejected, tickets list|show, or its API and dashboard); for writes, ` +
        `send them to the server (POST ${server.url}/v1/telemetry, /v1/tickets/evaluations) or stop it (kill ${server.pid}) and run again`,
    );
  return new LeadtimeError(
    `${what} ${file} is in use by another process${pid ? ` (PID ${pid})` : ''}: DuckDB allows one process per store file. ` +
      'Wait for it to finish or stop it and run again, or use another --home',
  );
}
