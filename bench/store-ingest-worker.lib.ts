/**
 * One ingest worker of bench/store-backends.ts: ingests the C-MAPSS file (assets prefixed with
 * argv[4], so concurrent workers write disjoint keys) into the store at argv[2] (home) / argv[3]
 * (store URL, '' = DuckDB), and prints {records, samples, start, end} as JSON (epoch ms around the
 * ingest itself, so process start-up is not counted).
 */
import { CmapssReader, ingest, openTelemetryStore } from '../ingest/index.ts';

const [home, url, prefix, file] = process.argv.slice(2);
const store = await openTelemetryStore(home, url);
const start = Date.now();
const s = await ingest(new CmapssReader(file, { assetPrefix: prefix }), store);
const end = Date.now();
await store.close();
process.stdout.write(JSON.stringify({ records: s.records, samples: s.stored, start, end }) + '\n');
