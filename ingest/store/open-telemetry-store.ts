/**
 * Opens the telemetry store of a working home: the embedded DuckDB file
 * `<home>/store/telemetry.duckdb`, or the shared PostgreSQL database when `url` (from `--store`, or
 * LEADTIME_STORE) is a postgres:// URL.
 */
import { parseStoreUrl } from '../../core/index.ts';
import { DuckDbTelemetryStore, storePath } from './duckdb-telemetry-store.ts';
import { PgTelemetryStore } from './pg-telemetry-store.ts';
import type { TelemetryStore } from './telemetry-store.ts';

export async function openTelemetryStore(
  home: string,
  url: string | undefined = process.env.LEADTIME_STORE,
): Promise<TelemetryStore> {
  const target = parseStoreUrl(url);
  return target.kind === 'postgres'
    ? PgTelemetryStore.open(target.url)
    : DuckDbTelemetryStore.open(storePath(home));
}

/** Runs `fn` on the home's telemetry store and closes it afterwards, whatever happens. */
export async function withTelemetryStore<T>(
  home: string,
  fn: (store: TelemetryStore) => Promise<T>,
  url: string | undefined = process.env.LEADTIME_STORE,
): Promise<T> {
  const store = await openTelemetryStore(home, url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
