/**
 * The run record keeps what a reader saw beyond the counts (MQTT: per-publisher sequence gaps), on
 * both store backends: written at the end of a run, every `reportEveryMs` of a live run (so a
 * process killed mid-stream leaves what it had seen), and added to stores made before the column
 * existed (DuckDB file, PostgreSQL schema version 1).
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openPool } from '../../core/postgres.ts';
import {
  DuckDbTelemetryStore,
  ingest,
  openTelemetryStore,
  PG_TELEMETRY_MIGRATIONS,
  SCHEMA_SQL,
  type ReaderRecord,
  type TelemetryReader,
  type TelemetryStore,
} from '../../ingest/index.ts';
import { BACKENDS, dropPgDatabases, freshPgUrl, pgAvailable } from '../store-backends.ts';
import { tempDir } from './helpers.ts';

afterAll(dropPgDatabases);

/** A live-like reader: `n` samples, one every `gapMs`, counting them in its report. */
function countingReader(n: number, gapMs: number): TelemetryReader & { seen: number } {
  const r = {
    format: 'test',
    source: 'test://counting',
    timeUnit: 'ms' as const,
    seen: 0,
    async *records(): AsyncGenerator<ReaderRecord> {
      for (let i = 0; i < n; i++) {
        if (gapMs) await new Promise((res) => setTimeout(res, gapMs));
        r.seen++;
        yield {
          kind: 'samples',
          position: `message ${i}`,
          raw: '',
          samples: [{ asset: 'a', channel: 'x', t: 1000 * i, value: i }],
        };
      }
    },
    report: () => ({ seen: r.seen }),
  };
  return r;
}

describe.each(BACKENDS)('run report ($name)', (backend) => {
  it.skipIf(!backend.available)(
    'the reader report is on the run record, updated while a live run goes',
    async () => {
      const place = await backend.place('report');
      const store = await openTelemetryStore(place.home, place.url);
      try {
        const reports: (string | null)[] = [];
        const spy: TelemetryStore = Object.create(store);
        spy.commit = async (...a) => {
          const out = await store.commit(...a);
          reports.push((await store.runs(a[0]))[0].report);
          return out;
        };
        const s = await ingest(countingReader(12, 15), spy, { maxBatchAgeMs: 10, reportEveryMs: 0 });
        const [run] = await store.runs(s.runId);
        expect(JSON.parse(run.report!)).toEqual({ seen: 12 });
        // while running, each commit after the first saw the report of the commit before it
        const during = reports
          .filter((x): x is string => x !== null)
          .map((x) => JSON.parse(x).seen as number);
        expect(during.length).toBeGreaterThan(1);
        expect(during).toEqual([...during].sort((x, y) => x - y));
        expect(during[0]).toBeLessThan(12);
        // a file run (no maxBatchAgeMs) writes it once, at the end; a reader without report() leaves null
        const once = await ingest(countingReader(3, 0), store);
        expect(JSON.parse((await store.runs(once.runId))[0].report!)).toEqual({ seen: 3 });
        const plain = countingReader(2, 0) as TelemetryReader;
        delete plain.report;
        const none = await ingest(plain, store);
        expect((await store.runs(none.runId))[0].report).toBeNull();
      } finally {
        await store.close();
      }
    },
  );
});

describe('stores made before the report column', () => {
  it('a DuckDB file gets the column on opening; its runs read back with report null', async () => {
    const file = join(tempDir('old-store'), 'telemetry.duckdb');
    const instance = await DuckDBInstance.create(file);
    const db = await instance.connect();
    const old = SCHEMA_SQL.replace(/,\s*report VARCHAR\n/, '\n');
    expect(old).not.toBe(SCHEMA_SQL);
    await db.run(old);
    await db.run(
      `INSERT INTO ingest_runs (run_id, source, format, time_unit, code_version, status) VALUES (nextval('run_id_seq'), 'old.csv', 'csv', 'ms', '0.0.1', 'finished')`,
    );
    db.closeSync();
    instance.closeSync();
    const store = await DuckDbTelemetryStore.open(file);
    try {
      expect((await store.runs()).map((r) => [r.source, r.report])).toEqual([['old.csv', null]]);
      await store.reportRun(1, { publishers: [] });
      expect((await store.runs())[0].report).toBe('{"publishers":[]}');
    } finally {
      await store.close();
    }
  });

  it.skipIf(!pgAvailable)(
    'a PostgreSQL store at schema version 1 is migrated to the current version',
    async () => {
      const url = await freshPgUrl();
      const pool = await openPool(url, 'test');
      try {
        expect(await migrate(pool, 'telemetry', PG_TELEMETRY_MIGRATIONS.slice(0, 1))).toBe(1);
        await pool.query(
          `INSERT INTO ingest_runs (source, format, time_unit, code_version, status) VALUES ('old.csv', 'csv', 'ms', '0.0.1', 'finished')`,
        );
      } finally {
        await pool.end();
      }
      const store = await openTelemetryStore(tempDir('pg-old'), url);
      try {
        expect((await store.runs()).map((r) => [r.source, r.report])).toEqual([['old.csv', null]]);
        const check = await openPool(url, 'test');
        const v = await check.query(`SELECT version FROM leadtime_schema WHERE component = 'telemetry'`);
        await check.end();
        expect(v.rows[0].version).toBe(PG_TELEMETRY_MIGRATIONS.length);
      } finally {
        await store.close();
      }
    },
  );
});
