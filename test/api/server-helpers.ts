/** Shared set-up for the server tests: a home, a config with a token, a small ingested fleet. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate } from '../../core/index.ts';
import {
  fleetReaders,
  FleetConfig,
  ingest,
  storePath,
  DuckDbTelemetryStore,
  writeFleet,
} from '../../ingest/index.ts';
import { ServerConfig } from '../../api/server/index.ts';

export const TOKEN = 'test-token-0123456789abcdef';
export const auth = { authorization: `Bearer ${TOKEN}` };

export function tempHome(prefix = 'lt-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function serverConfig(over: Partial<ServerConfig> = {}): ServerConfig {
  return validate(ServerConfig, { tokens: [TOKEN], ...over }, 'test server config');
}

/** A small run-to-failure fleet written and ingested into `<home>`'s store; returns the truth CSV path. */
export async function ingestFleet(home: string, assets = 6): Promise<{ truth: string }> {
  const config = validate(
    FleetConfig,
    { assets, snapshotSeconds: 0.1, interval: '12h', seed: 3 },
    'test fleet',
  );
  const dir = join(home, 'fleet');
  writeFleet(config, dir);
  const store = await DuckDbTelemetryStore.open(storePath(home));
  try {
    for (const reader of fleetReaders(dir)) await ingest(reader, store, {});
  } finally {
    store.close();
  }
  return { truth: join(dir, 'truth.csv') };
}

/** A scenario small enough to simulate in well under a second. */
export const SMALL_SCENARIO = {
  name: 'small-mmc',
  seed: 5,
  replications: 2,
  horizon: '20d',
  warmup: '1d',
  priorities: { P1: { respond: '15m', resolve: '2h' }, P2: { respond: '30m', resolve: '4h' } },
  arrivals: [{ poisson: { perHour: 4, mix: { P1: 0.3, P2: 0.7 } } }],
  pools: { engineers: { size: 5, costPerHour: 60 } },
  flow: [{ stage: 'work', pool: 'engineers', duration: { exponential: { mean: '1h' } } }],
};

export async function waitFor<T>(poll: () => Promise<T>, done: (v: T) => boolean, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await poll();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}
