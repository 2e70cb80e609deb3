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
import { plainDecimal } from './decimal.ts';
import { readLines } from './lines.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';

type RowParser = (cells: string[], raw: string, position: string) => ReaderRecord;

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
    const delimiter = this.options.delimiter ?? ',';
    let header: string[] | undefined;
    let rowOf: RowParser | undefined;
    const take = (cells: string[], raw: string, position: string): ReaderRecord | undefined => {
      if (!header) {
        header = cells.map((h) => h.trim());
        rowOf = this.rowParser(header);
        return undefined;
      }
      if (cells.length !== header.length) {
        return {
          kind: 'rejected',
          position,
          raw,
          reason: `expected ${header.length} columns as in the header (${header.join(',')}), found ${cells.length}`,
        };
      }
      return rowOf!(cells, raw, position);
    };
    // A line with no quote character needs no CSV state machine: its cells are the text between
    // delimiters, what csv-parse gives for it too, for a fraction of the cost (profiled: csv-parse
    // was two thirds of a wide CSV's ingest). From the first line that needs more (a quote, a lone
    // \r, a line ending unlike the first line's, a huge line), csv-parse reads the rest of the file,
    // with the line ending the file began with, so every file reads exactly as csv-parse reads it.
    let rest: { offset: number; line: number } | undefined;
    let ending: '\n' | '\r\n' | undefined;
    const simple = !/["\r\n]/.test(delimiter);
    try {
      for await (const { line, text, offset, end, oversize } of readLines(this.source, 1 << 20)) {
        if (
          !simple ||
          oversize ||
          text.includes('"') ||
          text.includes('\r') ||
          end === '\r' ||
          (ending !== undefined && end !== '' && end !== ending)
        ) {
          rest = { offset, line };
          break;
        }
        if (end !== '') ending ??= end;
        if (text === '') continue; // skip_empty_lines
        const rec = take(text.split(delimiter), text, `line ${line}`);
        if (rec) yield rec;
      }
      if (rest) {
        // records csv-parse skipped as invalid, yielded in line order among the good ones
        const skipped: { line: number; rec: ReaderRecord }[] = [];
        const lineOf = (n: number): string => `line ${rest!.line - 1 + n}`;
        const parser = createReadStream(this.source, { start: rest.offset }).pipe(
          parse({
            delimiter,
            raw: true,
            info: true,
            relax_column_count: true,
            skip_empty_lines: true,
            skip_records_with_error: true,
            bom: rest.offset === 0,
            ...(ending && { record_delimiter: ending }),
            on_skip: (err: CsvError | undefined, raw?: string) => {
              if (err)
                skipped.push({
                  line: Number(err.lines),
                  rec: {
                    kind: 'rejected',
                    position: lineOf(Number(err.lines)),
                    raw: raw ?? '',
                    // csv-parse counts lines from where it started reading
                    reason: `not valid CSV: ${err.message.replace(/\bline (\d+)/g, (_, n: string) => lineOf(Number(n)))}`,
                  },
                });
            },
          }),
        );
        for await (const item of parser as AsyncIterable<{
          record: string[];
          raw: string;
          info: { lines: number };
        }>) {
          while (skipped.length && skipped[0].line < item.info.lines) yield skipped.shift()!.rec;
          const rec = take(item.record, item.raw.replace(/\r?\n$/, ''), lineOf(item.info.lines));
          if (rec) yield rec;
        }
        while (skipped.length) yield skipped.shift()!.rec;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new InputError(`${this.source}: no such file`);
      throw err;
    }
    if (!header) throw new InputError(`${this.source}: empty file (a header row is required)`);
  }

  private rowParser(header: string[]): RowParser {
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
    const channels = channelCols.map((c) => c.name);
    const columns = channelCols.map((c) => c.i);
    return (cells, raw, position) => {
      try {
        const asset = assetOf(cells);
        const t = timeOf(cells);
        const values = new Float64Array(channels.length);
        let problems: { field: string; reason: string }[] | undefined;
        for (let k = 0; k < channels.length; k++) {
          const text = cells[columns[k]];
          const v = plainDecimal(text, 0, text.length);
          if (v !== undefined) {
            values[k] = v;
            continue;
          }
          try {
            values[k] = parseNumber(text, channels[k]);
          } catch (err) {
            if (!(err instanceof RecordProblem)) throw err;
            values[k] = NaN;
            (problems ??= []).push({ field: channels[k], reason: err.message });
          }
        }
        return { kind: 'row', position, raw, asset, t, channels, values, ...(problems && { problems }) };
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        return { kind: 'rejected', position, raw, reason: err.message, field: err.field };
      }
    };
  }
}
