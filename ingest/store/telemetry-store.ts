/**
 * What the stages need of a telemetry store, whatever holds it (the embedded DuckDB file by default;
 * a shared database when one machine is not enough). No backend's types or SQL cross this line:
 * times are numbers in the asset's unit, results are plain objects.
 */
import type { RejectedRecord, TimeUnit } from '../contracts.ts';
import type { BatchOutcome, StoreBatch } from './batch.ts';

export interface RunInfo {
  runId: number;
  source: string;
  format: string;
  timeUnit: TimeUnit;
  codeVersion: string;
  options: string | null;
  /** what the reader saw beyond the counts, as JSON (MQTT: `{"publishers": [...]}`, per-publisher sequence gaps); null if nothing */
  report: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  records: number;
  items: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface RejectedRow extends RejectedRecord {
  id: number;
  runId: number;
}

export interface AssetSpan {
  asset: string;
  timeUnit: TimeUnit;
  channels: string[];
  first: number;
  last: number;
  samples: number;
  featureRows: number;
}

export interface FeatureMatrix {
  columns: string[];
  rows: { asset: string; channel: string; t: number; values: (number | null)[] }[];
}

export interface TimeRange {
  from?: number;
  to?: number;
}

/** The key of one stored value: a sample or a feature row is stored once per (asset, channel, t). */
export interface StoredKey {
  asset: string;
  channel: string;
  t: number;
}

export interface TelemetryStore {
  /** where the data lives, for messages: a file path, or a database URL without its password */
  readonly location: string;
  close(): Promise<void>;
  /** starts an ingest run (its options are recorded for reproducibility); returns its id */
  beginRun(source: string, format: string, timeUnit: TimeUnit, options: unknown): Promise<number>;
  finishRun(runId: number, status: 'finished' | 'failed' | 'interrupted'): Promise<RunInfo>;
  /** records the reader's report on the run (replacing the previous one; a live run updates it as it goes) */
  reportRun(runId: number, report: unknown): Promise<void>;
  /** stores a batch atomically: new keys stored, same-value repeats counted, conflicting values rejected */
  commit(runId: number, source: string, timeUnit: TimeUnit, batch: StoreBatch): Promise<BatchOutcome>;
  runs(runId?: number): Promise<RunInfo[]>;
  /** one series of an asset/channel over [from, to] (inclusive), ordered by time */
  series(asset: string, channel: string, range?: TimeRange): Promise<{ t: number; value: number }[]>;
  /** the feature rows of a fleet (all assets, or the given ones), ordered by asset, channel and time */
  featureMatrix(options?: { assets?: string[]; channel?: string } & TimeRange): Promise<FeatureMatrix>;
  /** every asset with its time unit, channels, first and last t, and row counts */
  assets(): Promise<AssetSpan[]>;
  rejected(options?: {
    runId?: number;
    source?: string;
    limit?: number;
    offset?: number;
  }): Promise<RejectedRow[]>;
  rejectedCount(options?: { runId?: number; source?: string }): Promise<number>;
  counts(): Promise<{ samples: number; features: number; rejected: number; runs: number }>;
  /** the keys a run stored (samples and feature rows), to tell a client which of its records landed */
  storedKeys(runId: number): Promise<StoredKey[]>;
}
