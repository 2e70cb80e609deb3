/** Opens the telemetry store of a working home: the embedded DuckDB file `<home>/store/telemetry.duckdb`. */
import { DuckDbTelemetryStore, storePath } from './duckdb-telemetry-store.ts';
import type { TelemetryStore } from './telemetry-store.ts';

export function openTelemetryStore(home: string): Promise<TelemetryStore> {
  return DuckDbTelemetryStore.open(storePath(home));
}

/** Runs `fn` on the home's telemetry store and closes it afterwards, whatever happens. */
export async function withTelemetryStore<T>(
  home: string,
  fn: (store: TelemetryStore) => Promise<T>,
): Promise<T> {
  const store = await openTelemetryStore(home);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
