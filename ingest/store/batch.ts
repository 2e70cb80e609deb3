/**
 * One unit of durable work for the store: samples, feature rows and rejections that are committed
 * in one transaction, with counts. `refs` lets the store reject a sample that conflicts with what is
 * already stored, using its record's raw text and position.
 */
import type { RejectedRecord } from '../contracts.ts';
import { SampleColumns } from './sample-columns.ts';

export { SampleColumns };

export interface RecordRef {
  position: string;
  raw: string;
}

export interface StagedFeatureRow {
  asset: string;
  channel: string;
  t: number;
  sampleRateHz: number;
  length: number;
  waveformSha1: string;
  /** values in STORE_FEATURE_COLUMNS order; NaN where not computed (no defect frequency known) */
  values: Float64Array;
  ref: number;
}

export interface StoreBatch {
  refs: RecordRef[];
  /** scalar samples, column-wise (sample-columns.ts) */
  samples: SampleColumns;
  features: StagedFeatureRow[];
  rejected: RejectedRecord[];
  /** input records in this batch */
  records: number;
  /** items already counted as duplicates before the store saw them (repeats within the batch) */
  duplicates: number;
}

export interface BatchOutcome {
  stored: number;
  duplicates: number;
  rejected: number;
}

/**
 * sampleCapacity: samples expected in the batch (columns are allocated for that many up front);
 * reuse: the columns of a batch the store is done with, cleared and used again instead
 */
export function emptyBatch(sampleCapacity = 0, reuse?: SampleColumns): StoreBatch {
  reuse?.clear();
  return {
    refs: [],
    samples: reuse ?? new SampleColumns(sampleCapacity),
    features: [],
    rejected: [],
    records: 0,
    duplicates: 0,
  };
}

export function batchItems(b: StoreBatch): number {
  return b.samples.length + b.features.length + b.rejected.length + b.duplicates;
}
