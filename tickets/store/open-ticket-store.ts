/** Opens the ticket store of a working home: the embedded DuckDB file `<home>/store/tickets.duckdb`. */
import { DuckDbTicketStore, ticketStorePath } from './duckdb-ticket-store.ts';
import type { TicketStore } from './ticket-store.ts';

export function openTicketStore(home: string): Promise<TicketStore> {
  return DuckDbTicketStore.open(ticketStorePath(home));
}

/** Runs `fn` on the home's ticket store and closes it afterwards, whatever happens. */
export async function withTicketStore<T>(home: string, fn: (store: TicketStore) => Promise<T>): Promise<T> {
  const store = await openTicketStore(home);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
