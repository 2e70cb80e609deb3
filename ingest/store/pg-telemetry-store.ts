/**
 * The shared telemetry store in PostgreSQL (`--store postgres://...`): the same tables, keys and
 * answers as the DuckDB file, for several ingest processes and servers at once. A batch is one
 * transaction; its samples go up by COPY FROM STDIN (numbers only: series id, t, value; the few series
 * names as arrays beside them), its feature rows as arrays (a multi-row INSERT ... SELECT FROM
 * unnest), into per-connection staging tables, then into the keyed tables with ON CONFLICT DO NOTHING. The
 * conflict check runs after the insert, so a row another process committed meanwhile is seen:
 * same value = duplicate, different value = rejected with the reason DuckDB gives.
 */
import { codeVersion } from '../../core/index.ts';
import {
  migrate,
  openPool,
  PG_LOCK,
  PG_LOCK_SPACE,
  pgCopyFrom,
  pgTx,
  type PgClient,
  type PgPool,
} from '../../core/postgres.ts';
import { redactUrl } from '../../core/store-url.ts';
import type { RejectedRecord, TimeUnit } from '../contracts.ts';
import { assetSpan, rejectedRow, runInfo } from './store-rows.ts';
import { clipRaw } from '../validate/rejection.ts';
import type { BatchOutcome, SampleColumns, StoreBatch } from './batch.ts';
import { STORE_FEATURE_COLUMNS } from './schema.ts';
import type {
  AssetSpan,
  FeatureMatrix,
  RejectedRow,
  RunInfo,
  StoredKey,
  TelemetryStore,
  TimeRange,
} from './telemetry-store.ts';

const FEATURE_COLS = STORE_FEATURE_COLUMNS.map((c) => `${c} DOUBLE PRECISION`).join(',\n  ');

/** Version 1: the DuckDB schema (schema.ts) in PostgreSQL types; later versions, one entry each. */
export const PG_TELEMETRY_MIGRATIONS: string[] = [
  `
CREATE TABLE IF NOT EXISTS ingest_runs (
  run_id SERIAL PRIMARY KEY,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  time_unit TEXT NOT NULL,
  code_version TEXT NOT NULL,
  options TEXT,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ,
  status TEXT NOT NULL DEFAULT 'running',
  records BIGINT NOT NULL DEFAULT 0,
  items BIGINT NOT NULL DEFAULT 0,
  stored BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS samples (
  asset TEXT NOT NULL,
  channel TEXT NOT NULL,
  t BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (asset, channel, t)
);
CREATE INDEX IF NOT EXISTS samples_run ON samples (run_id);
CREATE TABLE IF NOT EXISTS features (
  asset TEXT NOT NULL,
  channel TEXT NOT NULL,
  t BIGINT NOT NULL,
  sample_rate_hz DOUBLE PRECISION NOT NULL,
  length INTEGER NOT NULL,
  waveform_sha1 TEXT NOT NULL,
  ${FEATURE_COLS},
  run_id INTEGER NOT NULL,
  PRIMARY KEY (asset, channel, t)
);
CREATE INDEX IF NOT EXISTS features_run ON features (run_id);
CREATE TABLE IF NOT EXISTS series (
  asset TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  time_unit TEXT NOT NULL,
  PRIMARY KEY (asset, channel)
);
CREATE TABLE IF NOT EXISTS rejected (
  id BIGSERIAL PRIMARY KEY,
  run_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  position TEXT NOT NULL,
  field TEXT,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejected_run ON rejected (run_id);
`,
  // version 2: the reader's report on a run (MQTT: per-publisher sequence gaps)
  `ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS report TEXT;`,
];

const STAGING_SQL = `
CREATE TEMP TABLE IF NOT EXISTS stage_samples (series INTEGER, t DOUBLE PRECISION, value DOUBLE PRECISION) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_features (
  idx INTEGER, asset TEXT, channel TEXT, t DOUBLE PRECISION, sample_rate_hz DOUBLE PRECISION, length INTEGER, waveform_sha1 TEXT,
  ${STORE_FEATURE_COLUMNS.map((c) => `${c} DOUBLE PRECISION`).join(', ')}
) ON COMMIT DELETE ROWS;
`;

/** samples per COPY chunk (a string of about 0.3-0.5 MB): the batch's text is never built whole */
export const COPY_CHUNK_ROWS = 16_384;

/**
 * The batch's samples as COPY text lines `series<TAB>t<TAB>value`, COPY_CHUNK_ROWS lines a chunk.
 * Numbers only: nothing to escape. Each number is written by ToString, as the array literals of
 * the unnest() staging this replaced were (TypedArray join): the same text reaches the same float8
 * input function, so t and value are staged alike, non-finite ones included ("NaN", "Infinity",
 * "-Infinity", which float8 reads; the readers and checks never let one reach a batch).
 */
function* sampleCopyText(s: SampleColumns): Generator<string> {
  const { series, t, value } = s;
  const n = s.length;
  for (let i = 0; i < n;) {
    const end = Math.min(n, i + COPY_CHUNK_ROWS);
    let text = '';
    for (; i < end; i++) text += series[i] + '\t' + t[i] + '\t' + value[i] + '\n';
    yield text;
  }
}

const num = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));
/** text sorts bytewise, as in DuckDB, whatever the database's collation */
const C = 'COLLATE "C"';
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export class PgTelemetryStore implements TelemetryStore {
  /** connections that have their staging tables (temp tables live per connection) */
  private readonly staged = new WeakSet<PgClient>();
  /** the connection holding each open run's advisory lock (it says "this run's process is alive") */
  private readonly runLocks = new Map<number, PgClient>();

  private constructor(
    readonly location: string,
    private readonly pool: PgPool,
  ) {}

  /**
   * Connects, creates or migrates the schema, and marks as `interrupted` the runs left `running`
   * by a process that died: a live run holds an advisory lock on its id, a dead one's is released.
   */
  static async open(url: string): Promise<PgTelemetryStore> {
    const pool = await openPool(url, 'telemetry store');
    try {
      await migrate(pool, 'telemetry', PG_TELEMETRY_MIGRATIONS);
      await pool.query(
        `UPDATE ingest_runs SET status = 'interrupted'
         WHERE status = 'running' AND pg_try_advisory_xact_lock(${PG_LOCK_SPACE + PG_LOCK.ingestRun}, run_id)`,
      );
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PgTelemetryStore(redactUrl(url), pool);
  }

  async close(): Promise<void> {
    for (const c of this.runLocks.values()) c.release();
    this.runLocks.clear();
    await this.pool.end();
  }

  async beginRun(source: string, format: string, timeUnit: TimeUnit, options: unknown): Promise<number> {
    const c = await this.pool.connect();
    try {
      const r = await c.query<{ run_id: number }>(
        `INSERT INTO ingest_runs (source, format, time_unit, code_version, options) VALUES ($1, $2, $3, $4, $5) RETURNING run_id`,
        [source, format, timeUnit, codeVersion(), JSON.stringify(options ?? {})],
      );
      const runId = r.rows[0].run_id;
      await c.query('SELECT pg_advisory_lock($1, $2)', [PG_LOCK_SPACE + PG_LOCK.ingestRun, runId]);
      this.runLocks.set(runId, c);
      return runId;
    } catch (err) {
      c.release();
      throw err;
    }
  }

  async finishRun(runId: number, status: 'finished' | 'failed' | 'interrupted'): Promise<RunInfo> {
    await this.pool.query(`UPDATE ingest_runs SET finished_at = now(), status = $2 WHERE run_id = $1`, [
      runId,
      status,
    ]);
    const c = this.runLocks.get(runId);
    if (c) {
      this.runLocks.delete(runId);
      await c
        .query('SELECT pg_advisory_unlock($1, $2)', [PG_LOCK_SPACE + PG_LOCK.ingestRun, runId])
        .finally(() => c.release());
    }
    return (await this.runs(runId))[0];
  }

  async reportRun(runId: number, report: unknown): Promise<void> {
    await this.pool.query(`UPDATE ingest_runs SET report = $2 WHERE run_id = $1`, [
      runId,
      JSON.stringify(report),
    ]);
  }

  /** Stores a batch in one transaction: new keys stored, same-value repeats counted, conflicting values rejected. */
  async commit(runId: number, source: string, timeUnit: TimeUnit, batch: StoreBatch): Promise<BatchOutcome> {
    const rejected: RejectedRecord[] = [...batch.rejected];
    let duplicates = batch.duplicates;
    let stored = 0;
    await pgTx(this.pool, async (db) => {
      if (!this.staged.has(db)) {
        await db.query(STAGING_SQL);
        this.staged.add(db);
      }
      if (batch.samples.length > 0) {
        const s = batch.samples;
        const n = s.length;
        // The samples go up by COPY as numbers only (series id, t, value): no name, so nothing to
        // escape. The series dictionary goes up as two short text arrays, joined in the server.
        const used: number[] = [];
        for (let id = 0; id < s.seriesAsset.length; id++) if (s.hasSamples(id)) used.push(id);
        const dict = [used, used.map((id) => s.seriesAsset[id]), used.map((id) => s.seriesChannel[id])];
        const D = (p: number): string =>
          `unnest($${p}::int[], $${p + 1}::text[], $${p + 2}::text[]) AS d(series, asset, channel)`;
        await pgCopyFrom(db, `COPY stage_samples (series, t, value) FROM STDIN`, sampleCopyText(s));
        const ins = await db.query(
          `INSERT INTO samples SELECT d.asset, d.channel, CAST(s.t AS BIGINT), s.value, $1 FROM stage_samples s JOIN ${D(2)} USING (series) ON CONFLICT DO NOTHING`,
          [runId, ...dict],
        );
        // after the insert: a key committed by another process meanwhile is visible here. When every
        // staged row went in (the batch's keys are distinct), none was there before: nothing to check.
        // A conflicting row is found again in the batch by its (series, t), distinct in a batch.
        let conflicts: { idx: number; value: number }[] = [];
        if ((ins.rowCount ?? 0) !== n) {
          const r = await db.query<{ series: number; t: number; value: number }>(
            `SELECT s.series, s.t, x.value FROM stage_samples s JOIN ${D(1)} USING (series) JOIN samples x ON x.asset = d.asset AND x.channel = d.channel AND x.t = CAST(s.t AS BIGINT) WHERE x.value IS DISTINCT FROM s.value`,
            dict,
          );
          conflicts = r.rows
            .map((row) => ({ idx: s.indexOf(row.series, num(row.t)), value: row.value }))
            .sort((a, b) => a.idx - b.idx);
        }
        for (const { idx, value } of conflicts) {
          const x = {
            asset: s.asset(idx),
            channel: s.channel(idx),
            t: s.t[idx],
            value: s.value[idx],
            ref: s.ref[idx],
          };
          const ref = batch.refs[x.ref];
          rejected.push({
            source,
            position: ref.position,
            raw: ref.raw,
            field: x.channel,
            reason: `conflicting duplicate: ${x.asset}/${x.channel} at t=${x.t} is already stored with value ${num(value)}, this record says ${x.value}; correct the source or delete the stored value first`,
          });
        }
        const inserted = ins.rowCount ?? 0;
        stored += inserted;
        duplicates += s.length - inserted - conflicts.length;
        await db.query(
          `INSERT INTO series SELECT asset, channel, 'scalar', $3 FROM unnest($1::text[], $2::text[]) AS d(asset, channel) ON CONFLICT DO NOTHING`,
          [dict[1], dict[2], timeUnit],
        );
      }
      if (batch.features.length > 0) {
        const f = batch.features;
        const k = STORE_FEATURE_COLUMNS.length;
        const columns: unknown[][] = [
          f.map((_, i) => i),
          f.map((x) => x.asset),
          f.map((x) => x.channel),
          f.map((x) => x.t),
          f.map((x) => x.sampleRateHz),
          f.map((x) => x.length),
          f.map((x) => x.waveformSha1),
          ...Array.from({ length: k }, (_, j) =>
            f.map((x) => (Number.isFinite(x.values[j]) ? x.values[j] : null)),
          ),
        ];
        const types = [
          'int',
          'text',
          'text',
          'float8',
          'float8',
          'int',
          'text',
          ...new Array(k).fill('float8'),
        ];
        await db.query(
          `INSERT INTO stage_features SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
          columns,
        );
        const cols = STORE_FEATURE_COLUMNS.join(', ');
        const ins = await db.query(
          `INSERT INTO features SELECT asset, channel, CAST(t AS BIGINT), sample_rate_hz, length, waveform_sha1, ${cols}, $1 FROM stage_features ON CONFLICT DO NOTHING`,
          [runId],
        );
        const conflicts = await db.query<{ idx: number }>(
          `SELECT s.idx FROM stage_features s JOIN features x ON x.asset = s.asset AND x.channel = s.channel AND x.t = CAST(s.t AS BIGINT) WHERE x.waveform_sha1 <> s.waveform_sha1 ORDER BY s.idx`,
        );
        for (const { idx } of conflicts.rows) {
          const x = f[idx];
          const ref = batch.refs[x.ref];
          rejected.push({
            source,
            position: ref.position,
            raw: ref.raw,
            field: x.channel,
            reason: `conflicting duplicate: a different ${x.asset}/${x.channel} snapshot at t=${x.t} is already stored; correct the timestamp or delete the stored snapshot first`,
          });
        }
        const inserted = ins.rowCount ?? 0;
        stored += inserted;
        duplicates += f.length - inserted - conflicts.rows.length;
        await db.query(
          `INSERT INTO series SELECT DISTINCT asset, channel, 'waveform', 'ms' FROM stage_features ON CONFLICT DO NOTHING`,
        );
      }
      if (rejected.length > 0) {
        await db.query(
          `INSERT INTO rejected (run_id, source, position, field, reason, raw)
           SELECT $1, source, position, field, reason, raw
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(source, position, field, reason, raw, n) ORDER BY n`,
          [
            runId,
            rejected.map((r) => r.source),
            rejected.map((r) => r.position),
            rejected.map((r) => r.field ?? null),
            rejected.map((r) => r.reason),
            rejected.map((r) => clipRaw(r.raw)),
          ],
        );
      }
      const items = stored + duplicates + rejected.length;
      await db.query(
        `UPDATE ingest_runs SET records = records + $2, items = items + $3, stored = stored + $4, duplicates = duplicates + $5, rejected = rejected + $6 WHERE run_id = $1`,
        [runId, batch.records, items, stored, duplicates, rejected.length],
      );
    });
    return { stored, duplicates, rejected: rejected.length };
  }

  async runs(runId?: number): Promise<RunInfo[]> {
    const r = await this.pool.query(
      `SELECT run_id, source, format, time_unit, code_version, options, report, to_char(started_at AT TIME ZONE 'UTC', ${ISO}) AS started_at,
              to_char(finished_at AT TIME ZONE 'UTC', ${ISO}) AS finished_at, status, records, items, stored, duplicates, rejected
       FROM ingest_runs ${runId === undefined ? '' : 'WHERE run_id = $1'} ORDER BY run_id`,
      runId === undefined ? [] : [runId],
    );
    return r.rows.map(runInfo);
  }

  async series(
    asset: string,
    channel: string,
    range: TimeRange = {},
  ): Promise<{ t: number; value: number }[]> {
    const r = await this.pool.query<{ t: number; value: number }>(
      `SELECT CAST(t AS DOUBLE PRECISION) AS t, value FROM samples WHERE asset = $1 AND channel = $2 AND t >= $3 AND t <= $4 ORDER BY t`,
      [asset, channel, range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER],
    );
    return r.rows.map(({ t, value }) => ({ t: num(t), value: num(value) }));
  }

  async featureMatrix(
    options: { assets?: string[]; channel?: string } & TimeRange = {},
  ): Promise<FeatureMatrix> {
    const where: string[] = ['t >= $1', 't <= $2'];
    const params: unknown[] = [
      options.from ?? Number.MIN_SAFE_INTEGER,
      options.to ?? Number.MAX_SAFE_INTEGER,
    ];
    if (options.channel) where.push(`channel = $${params.push(options.channel)}`);
    if (options.assets?.length) where.push(`asset = ANY($${params.push(options.assets)}::text[])`);
    const r = await this.pool.query({
      text: `SELECT asset, channel, CAST(t AS DOUBLE PRECISION) AS t, ${STORE_FEATURE_COLUMNS.join(', ')} FROM features WHERE ${where.join(' AND ')} ORDER BY asset ${C}, channel ${C}, t`,
      values: params,
      rowMode: 'array',
    });
    return {
      columns: [...STORE_FEATURE_COLUMNS],
      rows: (r.rows as unknown[][]).map((row) => ({
        asset: row[0] as string,
        channel: row[1] as string,
        t: num(row[2]),
        values: row.slice(3).map((v) => (v === null ? null : num(v))),
      })),
    };
  }

  async assets(): Promise<AssetSpan[]> {
    const r = await this.pool.query(`
      WITH rows AS (
        SELECT asset, t, 1 AS s, 0 AS f FROM samples
        UNION ALL SELECT asset, t, 0, 1 FROM features
      ), spans AS (
        SELECT asset, CAST(min(t) AS DOUBLE PRECISION) AS first, CAST(max(t) AS DOUBLE PRECISION) AS last, sum(s) AS samples, sum(f) AS feature_rows FROM rows GROUP BY asset
      )
      SELECT sp.asset, min(se.time_unit) AS time_unit, array_agg(se.channel ORDER BY se.channel ${C}) AS channels, sp.first, sp.last, sp.samples, sp.feature_rows
      FROM spans sp JOIN series se USING (asset) GROUP BY sp.asset, sp.first, sp.last, sp.samples, sp.feature_rows ORDER BY sp.asset ${C}`);
    return r.rows.map(assetSpan);
  }

  async rejected(
    options: { runId?: number; source?: string; limit?: number; offset?: number } = {},
  ): Promise<RejectedRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.runId !== undefined) where.push(`run_id = $${params.push(options.runId)}`);
    if (options.source !== undefined) where.push(`source = $${params.push(options.source)}`);
    const r = await this.pool.query(
      `SELECT id, run_id, source, position, field, reason, raw FROM rejected ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ${Math.max(0, Math.floor(options.limit ?? 1e9))} OFFSET ${Math.max(0, Math.floor(options.offset ?? 0))}`,
      params,
    );
    return r.rows.map(rejectedRow);
  }

  async rejectedCount(options: { runId?: number; source?: string } = {}): Promise<number> {
    const r = await this.pool.query(
      `SELECT count(*) AS n FROM rejected WHERE ($1::int IS NULL OR run_id = $1) AND ($2::text IS NULL OR source = $2)`,
      [options.runId ?? null, options.source ?? null],
    );
    return num(r.rows[0].n);
  }

  async counts(): Promise<{ samples: number; features: number; rejected: number; runs: number }> {
    const r = await this.pool.query(
      `SELECT (SELECT count(*) FROM samples) AS s, (SELECT count(*) FROM features) AS f, (SELECT count(*) FROM rejected) AS x, (SELECT count(*) FROM ingest_runs) AS n`,
    );
    const o = r.rows[0];
    return { samples: num(o.s), features: num(o.f), rejected: num(o.x), runs: num(o.n) };
  }

  async storedKeys(runId: number): Promise<StoredKey[]> {
    const r = await this.pool.query(
      `SELECT asset, channel, CAST(t AS DOUBLE PRECISION) AS t FROM samples WHERE run_id = $1
       UNION ALL SELECT asset, channel, CAST(t AS DOUBLE PRECISION) FROM features WHERE run_id = $1`,
      [runId],
    );
    return r.rows.map((o) => ({ asset: o.asset as string, channel: o.channel as string, t: num(o.t) }));
  }
}
