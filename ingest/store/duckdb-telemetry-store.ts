/**
 * The embedded telemetry store: a DuckDB file under the working home (`<home>/store/telemetry.duckdb`).
 * Writes go in batches, one transaction each (DuckDB's WAL makes a committed batch survive a crash);
 * reads answer what the models need: a series over a time range, a fleet's feature matrix, the
 * assets with their time spans, and the rejected records.
 */
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { codeVersion, explainLockError, homeDir } from '../../core/index.ts';
import type { RejectedRecord, TimeUnit } from '../contracts.ts';
import { assetSpan, rejectedRow, runInfo } from './store-rows.ts';
import type {
  AssetSpan,
  FeatureMatrix,
  RejectedRow,
  RunInfo,
  StoredKey,
  TelemetryStore,
  TimeRange,
} from './telemetry-store.ts';
import { clipRaw } from '../validate/rejection.ts';
import type { BatchOutcome, StoreBatch } from './batch.ts';
import { commitSamples } from './commit-samples.ts';
import { ADDED_COLUMNS, SCHEMA_SQL, STAGING_SQL, STORE_FEATURE_COLUMNS } from './schema.ts';
import { join } from 'node:path';

/** `<home>/store/telemetry.duckdb` */
export function storePath(home: string): string {
  return join(homeDir(home, 'store'), 'telemetry.duckdb');
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/**
 * Adds the columns a file made by an older leadtime lacks, then checkpoints: an ALTER TABLE left
 * in the write-ahead log cannot be replayed by DuckDB after a crash (the table's DEFAULT functions
 * fail to bind during replay), so it must not stay there.
 */
async function addMissingColumns(db: DuckDBConnection): Promise<void> {
  let added = false;
  for (const [table, column, type] of ADDED_COLUMNS) {
    const have = await db.runAndReadAll(
      `SELECT 1 FROM duckdb_columns() WHERE database_name = current_database() AND table_name = $1 AND column_name = $2`,
      [table, column],
    );
    if (have.getRows().length > 0) continue;
    await db.run(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    added = true;
  }
  if (added) await db.run('CHECKPOINT');
}

export class DuckDbTelemetryStore implements TelemetryStore {
  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) the store file; marks runs left `running` by a killed process as `interrupted`. */
  static async open(file: string): Promise<DuckDbTelemetryStore> {
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file);
    } catch (err) {
      throw explainLockError(err, 'telemetry store', file);
    }
    const db = await instance.connect();
    await db.run(SCHEMA_SQL);
    await addMissingColumns(db);
    await db.run(STAGING_SQL);
    const store = new DuckDbTelemetryStore(file, instance, db);
    // DuckDB lets one process write a file at a time, so a run still marked running was cut short
    await db.run(`UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'`);
    return store;
  }

  async close(): Promise<void> {
    this.db.closeSync();
    this.instance.closeSync();
  }

  async beginRun(source: string, format: string, timeUnit: TimeUnit, options: unknown): Promise<number> {
    const r = await this.db.runAndReadAll(
      `INSERT INTO ingest_runs (run_id, source, format, time_unit, code_version, options) VALUES (nextval('run_id_seq'), $1, $2, $3, $4, $5) RETURNING run_id`,
      [source, format, timeUnit, codeVersion(), JSON.stringify(options ?? {})],
    );
    return num(r.getRows()[0][0]);
  }

  async finishRun(runId: number, status: 'finished' | 'failed' | 'interrupted'): Promise<RunInfo> {
    await this.db.run(
      `UPDATE ingest_runs SET finished_at = current_timestamp, status = $2 WHERE run_id = $1`,
      [runId, status],
    );
    return (await this.runs(runId))[0];
  }

  async reportRun(runId: number, report: unknown): Promise<void> {
    await this.db.run(`UPDATE ingest_runs SET report = $2 WHERE run_id = $1`, [
      runId,
      JSON.stringify(report),
    ]);
  }

  /** Stores a batch in one transaction: new keys stored, same-value repeats counted, conflicting values rejected. */
  async commit(runId: number, source: string, timeUnit: TimeUnit, batch: StoreBatch): Promise<BatchOutcome> {
    const db = this.db;
    const rejected: RejectedRecord[] = [...batch.rejected];
    let duplicates = batch.duplicates;
    let stored = 0;
    await db.run('BEGIN TRANSACTION');
    try {
      if (batch.samples.length > 0) {
        const out = await commitSamples(db, runId, source, timeUnit, batch.samples, batch.refs);
        stored += out.stored;
        duplicates += out.duplicates;
        rejected.push(...out.rejected);
      }
      if (batch.features.length > 0) {
        await db.run('DELETE FROM stage_features');
        const app = await db.createAppender('stage_features', 'main', 'temp');
        batch.features.forEach((f, i) => {
          app.appendInteger(i);
          app.appendVarchar(f.asset);
          app.appendVarchar(f.channel);
          app.appendDouble(f.t);
          app.appendDouble(f.sampleRateHz);
          app.appendInteger(f.length);
          app.appendVarchar(f.waveformSha1);
          for (const v of f.values) appendNullableDouble(app, v);
          app.endRow();
        });
        app.flushSync();
        app.closeSync();
        const existing = await db.runAndReadAll(
          `SELECT s.idx, x.waveform_sha1 FROM stage_features s JOIN features x ON x.asset = s.asset AND x.channel = s.channel AND x.t = CAST(s.t AS BIGINT) WHERE x.waveform_sha1 <> s.waveform_sha1`,
        );
        const conflicts = existing.getRows();
        for (const [idx] of conflicts) {
          const f = batch.features[num(idx)];
          const ref = batch.refs[f.ref];
          rejected.push({
            source,
            position: ref.position,
            raw: ref.raw,
            field: f.channel,
            reason: `conflicting duplicate: a different ${f.asset}/${f.channel} snapshot at t=${f.t} is already stored; correct the timestamp or delete the stored snapshot first`,
          });
        }
        const cols = STORE_FEATURE_COLUMNS.join(', ');
        const ins = await db.run(
          `INSERT INTO features SELECT asset, channel, CAST(t AS BIGINT), sample_rate_hz, length, waveform_sha1, ${cols}, ${runId} FROM stage_features ON CONFLICT DO NOTHING`,
        );
        const inserted = Number(ins.rowsChanged);
        stored += inserted;
        duplicates += batch.features.length - inserted - conflicts.length;
        await db.run(
          `INSERT INTO series SELECT DISTINCT asset, channel, 'waveform', 'ms' FROM stage_features ON CONFLICT DO NOTHING`,
        );
      }
      if (rejected.length > 0) {
        await db.run('DELETE FROM stage_rejected');
        const app = await db.createAppender('stage_rejected', 'main', 'temp');
        for (const r of rejected) {
          app.appendVarchar(r.source);
          app.appendVarchar(r.position);
          if (r.field === undefined) app.appendNull();
          else app.appendVarchar(r.field);
          app.appendVarchar(r.reason);
          app.appendVarchar(clipRaw(r.raw));
          app.endRow();
        }
        app.flushSync();
        app.closeSync();
        await db.run(
          `INSERT INTO rejected (run_id, source, position, field, reason, raw) SELECT ${runId}, source, position, field, reason, raw FROM stage_rejected`,
        );
      }
      const items = stored + duplicates + rejected.length;
      await db.run(
        `UPDATE ingest_runs SET records = records + $2, items = items + $3, stored = stored + $4, duplicates = duplicates + $5, rejected = rejected + $6 WHERE run_id = $1`,
        [runId, batch.records, items, stored, duplicates, rejected.length],
      );
      await db.run('COMMIT');
    } catch (err) {
      await db.run('ROLLBACK');
      throw err;
    }
    return { stored, duplicates, rejected: rejected.length };
  }

  async runs(runId?: number): Promise<RunInfo[]> {
    const r = await this.db.runAndReadAll(
      `SELECT run_id, source, format, time_unit, code_version, options, report, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS started_at,
              strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS finished_at, status, records, items, stored, duplicates, rejected
       FROM ingest_runs ${runId === undefined ? '' : 'WHERE run_id = $1'} ORDER BY run_id`,
      runId === undefined ? [] : [runId],
    );
    return r.getRowObjectsJS().map(runInfo);
  }

  /** One series of an asset/channel over [from, to] (inclusive), ordered by time. */
  async series(
    asset: string,
    channel: string,
    range: TimeRange = {},
  ): Promise<{ t: number; value: number }[]> {
    const r = await this.db.runAndReadAll(
      `SELECT CAST(t AS DOUBLE) AS t, value FROM samples WHERE asset = $1 AND channel = $2 AND t >= $3 AND t <= $4 ORDER BY t`,
      [asset, channel, range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER],
    );
    return r.getRows().map(([t, value]) => ({ t: num(t), value: num(value) }));
  }

  /** The feature rows of a fleet (all assets, or the given ones), ordered by asset and time. */
  async featureMatrix(
    options: { assets?: string[]; channel?: string } & TimeRange = {},
  ): Promise<FeatureMatrix> {
    const where: string[] = ['t >= $1', 't <= $2'];
    const params: (string | number)[] = [
      options.from ?? Number.MIN_SAFE_INTEGER,
      options.to ?? Number.MAX_SAFE_INTEGER,
    ];
    if (options.channel) {
      params.push(options.channel);
      where.push(`channel = $${params.length}`);
    }
    if (options.assets?.length) {
      const marks = options.assets.map((a) => {
        params.push(a);
        return `$${params.length}`;
      });
      where.push(`asset IN (${marks.join(', ')})`);
    }
    const r = await this.db.runAndReadAll(
      `SELECT asset, channel, CAST(t AS DOUBLE) AS t, ${STORE_FEATURE_COLUMNS.join(', ')} FROM features WHERE ${where.join(' AND ')} ORDER BY asset, channel, t`,
      params,
    );
    return {
      columns: [...STORE_FEATURE_COLUMNS],
      rows: r.getRows().map((row) => ({
        asset: row[0] as string,
        channel: row[1] as string,
        t: num(row[2]),
        values: row.slice(3).map((v) => (v === null ? null : num(v))),
      })),
    };
  }

  /** Every asset with its time unit, channels, first and last t, and row counts. */
  async assets(): Promise<AssetSpan[]> {
    const r = await this.db.runAndReadAll(`
      WITH rows AS (
        SELECT asset, t, 1 AS s, 0 AS f FROM samples
        UNION ALL SELECT asset, t, 0, 1 FROM features
      ), spans AS (
        SELECT asset, CAST(min(t) AS DOUBLE) AS first, CAST(max(t) AS DOUBLE) AS last, sum(s) AS samples, sum(f) AS feature_rows FROM rows GROUP BY asset
      )
      SELECT sp.asset, min(se.time_unit) AS time_unit, list(se.channel ORDER BY se.channel) AS channels, sp.first, sp.last, sp.samples, sp.feature_rows
      FROM spans sp JOIN series se USING (asset) GROUP BY sp.asset, sp.first, sp.last, sp.samples, sp.feature_rows ORDER BY sp.asset`);
    return r.getRowObjectsJS().map(assetSpan);
  }

  async rejected(
    options: { runId?: number; source?: string; limit?: number; offset?: number } = {},
  ): Promise<RejectedRow[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (options.runId !== undefined) {
      params.push(options.runId);
      where.push(`run_id = $${params.length}`);
    }
    if (options.source !== undefined) {
      params.push(options.source);
      where.push(`source = $${params.length}`);
    }
    const r = await this.db.runAndReadAll(
      `SELECT id, run_id, source, position, field, reason, raw FROM rejected ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ${Math.max(0, Math.floor(options.limit ?? 1e9))} OFFSET ${Math.max(0, Math.floor(options.offset ?? 0))}`,
      params,
    );
    return r.getRowObjectsJS().map(rejectedRow);
  }

  async rejectedCount(options: { runId?: number; source?: string } = {}): Promise<number> {
    const r = await this.db.runAndReadAll(
      `SELECT count(*) FROM rejected WHERE ($1 IS NULL OR run_id = $1) AND ($2 IS NULL OR source = $2)`,
      [options.runId ?? null, options.source ?? null],
    );
    return num(r.getRows()[0][0]);
  }

  /** Row counts of the store's tables. */
  async counts(): Promise<{ samples: number; features: number; rejected: number; runs: number }> {
    const r = await this.db.runAndReadAll(
      `SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM features), (SELECT count(*) FROM rejected), (SELECT count(*) FROM ingest_runs)`,
    );
    const [s, f, x, n] = r.getRows()[0].map(num);
    return { samples: s, features: f, rejected: x, runs: n };
  }

  async storedKeys(runId: number): Promise<StoredKey[]> {
    const r = await this.db.runAndReadAll(
      `SELECT asset, channel, CAST(t AS DOUBLE) AS t FROM samples WHERE run_id = $1
       UNION ALL SELECT asset, channel, CAST(t AS DOUBLE) FROM features WHERE run_id = $1`,
      [runId],
    );
    return r
      .getRows()
      .map(([asset, channel, t]) => ({ asset: asset as string, channel: channel as string, t: num(t) }));
  }

  /** Runs arbitrary read SQL (benchmarks and diagnostics of the embedded store only). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.db.runAndReadAll(sql)).getRowObjectsJS();
  }
}

function appendNullableDouble(app: DuckDBAppender, v: number): void {
  if (Number.isFinite(v)) app.appendDouble(v);
  else app.appendNull();
}
