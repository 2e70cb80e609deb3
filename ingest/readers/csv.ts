/**
 * CSV telemetry, long (`asset,t,channel,value`) or wide (`asset,t,<channel>,<channel>...`), with a
 * header row. A column mapping names which header is the asset, time, channel and value (any export
 * works: `--map asset=machine,t=timestamp,channel=tag,value=reading`), a timestamp format says how to
 * read time (validate/timestamp.ts), and a fixed `asset` covers files of one machine. Quoted fields
 * follow RFC 4180 (csv-parse). A bad cell in a wide row rejects that cell only; a row whose asset or
 * time is bad, or whose column count is wrong, is rejected whole.
 */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { InputError, UsageError } from '../../core/index.ts';
import type { Sample, TimeUnit } from '../contracts.ts';
import { parseNumber } from '../validate/sample-checks.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { timeRangeProblem } from '../validate/storable.ts';
import { timestampParser, type TimestampParser } from '../validate/timestamp.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';

export interface CsvMapping {
  asset?: string;
  t?: string;
  channel?: string;
  value?: string;
}

export interface CsvOptions {
  layout?: 'long' | 'wide';
  mapping?: CsvMapping;
  /** wide layout: the channel columns to read (default: every column but asset and t) */
  channels?: string[];
  /** the asset of every row, when the file has no asset column */
  asset?: string;
  timestampFormat?: string;
  delimiter?: string;
}

/** `asset=machine,t=timestamp` -> mapping. */
export function parseMapping(spec: string | undefined): CsvMapping {
  const mapping: CsvMapping = {};
  if (!spec) return mapping;
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(asset|t|channel|value)=(.+)$/.exec(part);
    if (!m) throw new UsageError(`--map: expected asset=COL, t=COL, channel=COL or value=COL, got "${part}"`);
    mapping[m[1] as keyof CsvMapping] = m[2].trim();
  }
  return mapping;
}

export class CsvReader implements TelemetryReader {
  readonly format = 'csv';
  readonly timeUnit: TimeUnit;
  private readonly parseTime: TimestampParser;
  private readonly layout: 'long' | 'wide';
  private readonly mapping: Required<CsvMapping>;

  constructor(
    readonly source: string,
    private readonly options: CsvOptions = {},
  ) {
    this.parseTime = timestampParser(options.timestampFormat ?? 'iso');
    this.timeUnit = this.parseTime.timeUnit;
    this.layout = options.layout ?? 'long';
    const m = options.mapping ?? {};
    this.mapping = {
      asset: m.asset ?? 'asset',
      t: m.t ?? 't',
      channel: m.channel ?? 'channel',
      value: m.value ?? 'value',
    };
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    const skipped: ReaderRecord[] = [];
    const parser = createReadStream(this.source).pipe(
      parse({
        delimiter: this.options.delimiter ?? ',',
        raw: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        bom: true,
        on_skip: (err: CsvError | undefined, raw?: string) => {
          if (err)
            skipped.push({
              kind: 'rejected',
              position: `line ${err.lines}`,
              raw: raw ?? '',
              reason: `not valid CSV: ${err.message}`,
            });
        },
      }),
    );
    let header: string[] | undefined;
    let rowOf: ((cells: string[], raw: string, position: string) => ReaderRecord) | undefined;
    try {
      for await (const item of parser as AsyncIterable<{
        record: string[];
        raw: string;
        info: { lines: number };
      }>) {
        while (skipped.length) yield skipped.shift()!;
        const raw = item.raw.replace(/\r?\n$/, '');
        const position = `line ${item.info.lines}`;
        if (!header) {
          header = item.record.map((h) => h.trim());
          rowOf = this.rowParser(header);
          continue;
        }
        if (item.record.length !== header.length) {
          yield {
            kind: 'rejected',
            position,
            raw,
            reason: `expected ${header.length} columns as in the header (${header.join(',')}), found ${item.record.length}`,
          };
          continue;
        }
        yield rowOf!(item.record, raw, position);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new InputError(`${this.source}: no such file`);
      throw err;
    }
    while (skipped.length) yield skipped.shift()!;
    if (!header) throw new InputError(`${this.source}: empty file (a header row is required)`);
  }

  private rowParser(header: string[]): (cells: string[], raw: string, position: string) => ReaderRecord {
    const col = (name: string, role: string, required: boolean): number => {
      const i = header.indexOf(name);
      if (i < 0 && required) {
        throw new InputError(
          `${this.source}: no column "${name}" for ${role} in the header (${header.join(',')}); map it with --map ${role}=COLUMN`,
        );
      }
      return i;
    };
    const assetCol = this.options.asset
      ? col(this.mapping.asset, 'asset', false)
      : col(this.mapping.asset, 'asset', true);
    const tCol = col(this.mapping.t, 't', true);
    const fixedAsset = this.options.asset;
    const assetOf = (cells: string[]): string => {
      const a = assetCol >= 0 ? cells[assetCol].trim() : fixedAsset!;
      if (!a) throw new RecordProblem(`missing asset (column ${this.mapping.asset})`, this.mapping.asset);
      return a;
    };
    const timeOf = (cells: string[]): number => {
      const t = this.parseTime(cells[tCol], this.mapping.t);
      const range = timeRangeProblem(t, this.timeUnit, this.mapping.t);
      if (range) throw range;
      return t;
    };
    if (this.layout === 'long') {
      const channelCol = col(this.mapping.channel, 'channel', true);
      const valueCol = col(this.mapping.value, 'value', true);
      return (cells, raw, position) => {
        try {
          const channel = cells[channelCol].trim();
          if (!channel)
            throw new RecordProblem(`missing channel (column ${this.mapping.channel})`, this.mapping.channel);
          const sample: Sample = {
            asset: assetOf(cells),
            channel,
            t: timeOf(cells),
            value: parseNumber(cells[valueCol], this.mapping.value),
          };
          return { kind: 'samples', position, raw, samples: [sample] };
        } catch (err) {
          if (!(err instanceof RecordProblem)) throw err;
          return { kind: 'rejected', position, raw, reason: err.message, field: err.field };
        }
      };
    }
    const channelCols = (this.options.channels ?? header.filter((_, i) => i !== assetCol && i !== tCol)).map(
      (c) => ({ name: c, i: col(c, 'channel', true) }),
    );
    if (channelCols.length === 0)
      throw new InputError(`${this.source}: wide layout but no channel columns besides asset and t`);
    return (cells, raw, position) => {
      try {
        const asset = assetOf(cells);
        const t = timeOf(cells);
        const samples: Sample[] = [];
        const problems: { field: string; reason: string }[] = [];
        for (const { name, i } of channelCols) {
          try {
            samples.push({ asset, channel: name, t, value: parseNumber(cells[i], name) });
          } catch (err) {
            if (!(err instanceof RecordProblem)) throw err;
            problems.push({ field: name, reason: err.message });
          }
        }
        return { kind: 'samples', position, raw, samples, problems };
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        return { kind: 'rejected', position, raw, reason: err.message, field: err.field };
      }
    };
  }
}
