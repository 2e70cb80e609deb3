/**
 * Read commands while a server holds the embedded store: DuckDB lets one process open a store file,
 * so when the home's server (announced in `<home>/server.json`) holds it, `leadtime rejected`,
 * `tickets list|show|events` and `predict` read through the server's API instead (with
 * `LEADTIME_TOKEN` when the server's reads need a token). Without a running server the store's own
 * error stands.
 */
import { LeadtimeError } from '../../core/errors.ts';
import { readServerMarker } from '../../core/home.ts';

/** Runs `local`; when the store is held by this home's server, answers with `remote(get)` instead. */
export async function localOrServer<T>(
  home: string,
  local: () => Promise<T>,
  remote: (get: <R>(path: string) => Promise<R>) => Promise<T>,
): Promise<T> {
  try {
    return await local();
  } catch (err) {
    const server = readServerMarker(home);
    if (!server || !/held by a running leadtime server/.test((err as Error).message)) throw err;
    process.stderr.write(
      `leadtime: the store is held by the server at ${server.url}; reading through its API\n`,
    );
    const token = process.env.LEADTIME_TOKEN;
    return remote(async <R>(path: string): Promise<R> => {
      const r = await fetch(server.url + path, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await r.json()) as R & { message?: string };
      if (!r.ok)
        throw new LeadtimeError(
          `server ${server.url}${path}: ${r.status} ${body.message ?? ''}${r.status === 401 ? ' (set LEADTIME_TOKEN)' : ''}`,
        );
      return body;
    });
  }
}
