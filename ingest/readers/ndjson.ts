/**
 * NDJSON telemetry: one JSON object per line in the contract of telemetry-json.ts (a sample, a
 * wide `values` object, or a waveform). Blank lines are skipped; every other line is stored or
 * rejected with its line number.
 */
import type { TimeUnit } from '../contracts.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { readLines } from './lines.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';
import { parseTelemetryJson } from './telemetry-json.ts';

export interface NdjsonOptions {
  timeUnit?: TimeUnit;
  /** longest accepted line, bytes (default 16 MiB) */
  maxRecordBytes?: number;
}

export class NdjsonReader implements TelemetryReader {
  readonly format = 'ndjson';
  readonly timeUnit: TimeUnit;
  private readonly maxBytes: number;

  constructor(
    readonly source: string,
    options: NdjsonOptions = {},
  ) {
    this.timeUnit = options.timeUnit ?? 'ms';
    this.maxBytes = options.maxRecordBytes ?? 16 * 1024 * 1024;
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    for await (const { line, text, oversize } of readLines(this.source, this.maxBytes)) {
      const position = `line ${line}`;
      if (oversize) {
        yield {
          kind: 'rejected',
          position,
          raw: text,
          reason: `line is ${oversize} bytes, over the ${this.maxBytes}-byte limit; split the record or raise --max-record-bytes`,
        };
        continue;
      }
      if (text.trim() === '') continue;
      yield telemetryRecord(text, position, this.timeUnit);
    }
  }
}

/** One JSON text -> a reader record (parsed, or rejected with the reason). */
export function telemetryRecord(text: string, position: string, timeUnit: TimeUnit): ReaderRecord {
  try {
    const item = parseTelemetryJson(text, timeUnit);
    return item.kind === 'waveform'
      ? { kind: 'waveform', position, raw: text, waveform: item.waveform }
      : { kind: 'samples', position, raw: text, samples: item.samples, problems: item.problems };
  } catch (err) {
    if (!(err instanceof RecordProblem)) throw err;
    return { kind: 'rejected', position, raw: text, reason: err.message, field: err.field };
  }
}
