/**
 * Rows as both SQL backends return them, turned into the store's records. Integers arrive as
 * bigint from DuckDB and as strings from PostgreSQL (BIGINT, sums), as numbers otherwise.
 */
import type { TimeUnit } from '../contracts.ts';
import type { AssetSpan, RejectedRow, RunInfo } from './telemetry-store.ts';

type Row = Record<string, unknown>;

export const int = (v: unknown): number =>
  typeof v === 'bigint' || typeof v === 'string' ? Number(v) : (v as number);

export const runInfo = (o: Row): RunInfo => ({
  runId: int(o.run_id),
  source: o.source as string,
  format: o.format as string,
  timeUnit: o.time_unit as TimeUnit,
  codeVersion: o.code_version as string,
  options: o.options as string | null,
  report: (o.report as string | null) ?? null,
  startedAt: o.started_at as string,
  finishedAt: (o.finished_at as string | null) ?? null,
  status: o.status as string,
  records: int(o.records),
  items: int(o.items),
  stored: int(o.stored),
  duplicates: int(o.duplicates),
  rejected: int(o.rejected),
});

export const assetSpan = (o: Row): AssetSpan => ({
  asset: o.asset as string,
  timeUnit: o.time_unit as TimeUnit,
  channels: o.channels as string[],
  first: int(o.first),
  last: int(o.last),
  samples: int(o.samples),
  featureRows: int(o.feature_rows),
});

export const rejectedRow = (o: Row): RejectedRow => ({
  id: int(o.id),
  runId: int(o.run_id),
  source: o.source as string,
  position: o.position as string,
  field: (o.field as string | null) ?? undefined,
  reason: o.reason as string,
  raw: o.raw as string,
});
