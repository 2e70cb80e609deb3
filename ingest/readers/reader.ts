/**
 * The one interface every telemetry source implements. A reader turns its input into a stream of
 * records, each either parsed (samples or a waveform) or rejected with a reason, so the pipeline
 * can account for every input record: stored, duplicate, or rejected, never dropped.
 */
import type { Sample, TimeUnit, Waveform } from '../contracts.ts';

interface RecordBase {
  /** where in the source: `line 12`, `snapshot 3 (byte 393216)`, ... */
  position: string;
  /** the raw text of the record (for waveforms: their metadata), kept if any part is rejected */
  raw: string;
  /**
   * Called once the record is durably stored or rejected (MQTT acknowledges the message then);
   * readers of files leave it out.
   */
  settle?: () => void;
}

export interface SamplesRecord extends RecordBase {
  kind: 'samples';
  samples: Sample[];
  /** per-field problems found while parsing the record (a bad cell in a wide row), the rest stored */
  problems?: { field: string; reason: string }[];
}

/**
 * One row of a wide source (C-MAPSS, a wide CSV): one asset and time, a value per channel. The same
 * samples as a SamplesRecord, without an object per sample: `channels` is shared by every row of the
 * source, so the pipeline resolves its series once per asset instead of once per sample.
 */
export interface RowRecord extends RecordBase {
  kind: 'row';
  asset: string;
  t: number;
  /** channel names, the same array for every row of a source */
  channels: readonly string[];
  /** values[i] is channels[i]'s value; NaN marks a cell that failed to parse (listed in problems) */
  values: Float64Array;
  /** per-field problems found while parsing (a bad cell), the rest stored */
  problems?: { field: string; reason: string }[];
}

export interface WaveformRecord extends RecordBase {
  kind: 'waveform';
  waveform: Waveform;
}

export interface RejectedInput extends RecordBase {
  kind: 'rejected';
  reason: string;
  field?: string;
}

export type ReaderRecord = SamplesRecord | RowRecord | WaveformRecord | RejectedInput;

export interface TelemetryReader {
  /** format name, as on the command line */
  readonly format: string;
  /** file path, directory or broker URL, stored with every rejection and run */
  readonly source: string;
  /** what `t` counts in this source */
  readonly timeUnit: TimeUnit;
  records(): AsyncIterable<ReaderRecord>;
  /** stop reading (MQTT: disconnect); the pipeline calls it when done or interrupted */
  close?(): Promise<void>;
  /**
   * What the reader saw beyond the record counts (MQTT: per-publisher sequence gaps), kept on the
   * run record (`report`); the pipeline asks at the end, and every few seconds of a live run.
   */
  report?(): Record<string, unknown>;
}
