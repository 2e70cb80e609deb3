/**
 * Opens the ticket store of a working home: the embedded DuckDB file `<home>/store/tickets.duckdb`,
 * or the shared PostgreSQL database when `url` (from `--store`, or LEADTIME_STORE) is a postgres:// URL.
 */
import { parseStoreUrl } from '../../core/index.ts';
import type { TicketStore } from './ticket-store.ts';

export async function openTicketStore(
  home: string,
  url: string | undefined = process.env.LEADTIME_STORE,
): Promise<TicketStore> {
  const target = parseStoreUrl(url);
  // each backend's client library loads only when that backend is used
  if (target.kind === 'postgres')
    return (await import('./pg-ticket-store.ts')).PgTicketStore.open(target.url);
  const { DuckDbTicketStore, ticketStorePath } = await import('./duckdb-ticket-store.ts');
  return DuckDbTicketStore.open(ticketStorePath(home));
}

/** Runs `fn` on the home's ticket store and closes it afterwards, whatever happens. */
export async function withTicketStore<T>(
  home: string,
  fn: (store: TicketStore) => Promise<T>,
  url: string | undefined = process.env.LEADTIME_STORE,
): Promise<T> {
  const store = await openTicketStore(home, url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
