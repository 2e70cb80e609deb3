/**
 * The telemetry store's tables (DuckDB). Keys make re-ingest idempotent: a sample or a snapshot's
 * feature row is identified by (asset, channel, t); storing the same key twice keeps the first and
 * counts the second as a duplicate, a different value under the same key is rejected.
 *   samples       scalar readings; (asset, channel, t) is unique because every write goes through
 *                 commit-samples.ts, which checks it in bulk (no primary-key index: it made the
 *                 insert ~3.5x slower; stores made before keep theirs, which does no harm)
 *   features      condition indicators of vibration snapshots, one row per snapshot, with the hash
 *                 of the snapshot's samples (to tell a repeat from a conflicting snapshot)
 *   series        each (asset, channel) with its time unit and kind, for listing assets
 *   rejected      every input record that was not stored: raw text, source, position, reason
 *   ingest_runs   one row per ingest: source, format, counts, started/finished, code version, status,
 *                 and the reader's report (MQTT: per-publisher sequence gaps)
 */
import { DEFECT_NAMES } from '../contracts.ts';
import { SPECTRAL_COLUMNS, TIME_DOMAIN_COLUMNS } from '../features/columns.ts';

/** The feature columns the store keeps: time-domain, spectral, and envelope amplitude at each named defect frequency. */
export const STORE_FEATURE_COLUMNS: readonly string[] = [
  ...TIME_DOMAIN_COLUMNS,
  ...SPECTRAL_COLUMNS,
  ...DEFECT_NAMES.map((d) => `env_${d}`),
];

export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS rejected_id_seq START 1;
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS ingest_runs (
  run_id INTEGER PRIMARY KEY,
  source VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  time_unit VARCHAR NOT NULL,
  code_version VARCHAR NOT NULL,
  options VARCHAR,
  started_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  finished_at TIMESTAMPTZ,
  status VARCHAR NOT NULL DEFAULT 'running',
  records BIGINT NOT NULL DEFAULT 0,
  items BIGINT NOT NULL DEFAULT 0,
  stored BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  report VARCHAR
);
CREATE TABLE IF NOT EXISTS samples (
  asset VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  t BIGINT NOT NULL,
  value DOUBLE NOT NULL,
  run_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS features (
  asset VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  t BIGINT NOT NULL,
  sample_rate_hz DOUBLE NOT NULL,
  length INTEGER NOT NULL,
  waveform_sha1 VARCHAR NOT NULL,
  ${STORE_FEATURE_COLUMNS.map((c) => `${c} DOUBLE`).join(',\n  ')},
  run_id INTEGER NOT NULL,
  PRIMARY KEY (asset, channel, t)
);
CREATE TABLE IF NOT EXISTS series (
  asset VARCHAR NOT NULL,
  channel VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  time_unit VARCHAR NOT NULL,
  PRIMARY KEY (asset, channel)
);
CREATE TABLE IF NOT EXISTS rejected (
  id BIGINT PRIMARY KEY DEFAULT nextval('rejected_id_seq'),
  run_id INTEGER NOT NULL,
  source VARCHAR NOT NULL,
  position VARCHAR NOT NULL,
  field VARCHAR,
  reason VARCHAR NOT NULL,
  raw VARCHAR NOT NULL
);
INSERT INTO meta VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT DO NOTHING;
`;

/**
 * Columns added after a store file was first made, each `[table, column, type]`: added on opening
 * when missing (ingest_runs.report: what the reader saw beyond the counts, MQTT's per-publisher
 * sequence gaps, as JSON).
 */
export const ADDED_COLUMNS: readonly [string, string, string][] = [['ingest_runs', 'report', 'VARCHAR']];

export const STAGING_SQL = `
CREATE TEMP TABLE IF NOT EXISTS stage_series (series INTEGER, asset VARCHAR, channel VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_known (series INTEGER, asset VARCHAR, channel VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_samples (series INTEGER, t DOUBLE, value DOUBLE);
CREATE TEMP TABLE IF NOT EXISTS stage_existing (series INTEGER, t DOUBLE, stored DOUBLE);
CREATE TEMP TABLE IF NOT EXISTS stage_rejected (source VARCHAR, position VARCHAR, field VARCHAR, reason VARCHAR, raw VARCHAR);
CREATE TEMP TABLE IF NOT EXISTS stage_features (
  idx INTEGER, asset VARCHAR, channel VARCHAR, t DOUBLE, sample_rate_hz DOUBLE, length INTEGER, waveform_sha1 VARCHAR,
  ${STORE_FEATURE_COLUMNS.map((c) => `${c} DOUBLE`).join(', ')}
);
`;
