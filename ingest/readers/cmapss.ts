/**
 * NASA C-MAPSS turbofan run-to-failure text (Saxena et al., PHM08): space separated, no header,
 * trailing blanks, 26 columns: unit, cycle, 3 operational settings, 21 sensors. One row per engine
 * and cycle; time unit: cycle. Assets are `<prefix><unit>` (unit zero-padded to 3 digits, prefix
 * defaulting to the file name, e.g. `train_FD001-001`); channels `setting1..3`, `s1..s21`.
 */
import { basename } from 'node:path';
import { parseNumber } from '../validate/sample-checks.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { timeRangeProblem } from '../validate/storable.ts';
import { plainDecimal } from './decimal.ts';
import { readLines } from './lines.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';

export const CMAPSS_CHANNELS: readonly string[] = [
  'setting1',
  'setting2',
  'setting3',
  ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`),
];
const COLUMNS = 2 + CMAPSS_CHANNELS.length;

export interface CmapssOptions {
  assetPrefix?: string;
}

export function cmapssAssetPrefix(file: string): string {
  return basename(file).replace(/\.[^.]*$/, '') + '-';
}

export class CmapssReader implements TelemetryReader {
  readonly format = 'cmapss';
  readonly timeUnit = 'cycle' as const;
  private readonly prefix: string;
  private readonly bounds = new Int32Array(2 * COLUMNS);
  private lastUnit = -1;
  private lastAsset = '';

  constructor(
    readonly source: string,
    options: CmapssOptions = {},
  ) {
    this.prefix = options.assetPrefix ?? cmapssAssetPrefix(source);
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    for await (const { line, text, oversize } of readLines(this.source, 64 * 1024)) {
      const position = `line ${line}`;
      if (oversize) {
        yield {
          kind: 'rejected',
          position,
          raw: text,
          reason: `line is ${oversize} bytes, far longer than a C-MAPSS row; is this the right file?`,
        };
        continue;
      }
      try {
        const row = this.parse(text);
        if (row) yield { kind: 'row', position, raw: text, channels: CMAPSS_CHANNELS, ...row };
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        yield { kind: 'rejected', position, raw: text, reason: err.message, field: err.field };
      }
    }
  }

  /**
   * One row -> 24 values (undefined for a blank line); a bad sensor cell is a per-field problem (its
   * value NaN), a bad unit/cycle or column count rejects the row. Cells are read in place from the
   * line (cells() and plainDecimal), which profiling showed to cost a third of the split-and-Number
   * way; non-ASCII lines and unusual numbers take the general path, with the same results.
   */
  parse(
    text: string,
  ):
    | { asset: string; t: number; values: Float64Array; problems?: { field: string; reason: string }[] }
    | undefined {
    const bounds = this.bounds;
    const found = cells(text, bounds);
    if (found < 0) return this.parseSplit(text);
    if (found === 0) return undefined;
    if (found !== COLUMNS) throw columnCountProblem(found);
    const unit =
      plainDecimal(text, bounds[0], bounds[1]) ?? parseNumber(text.slice(bounds[0], bounds[1]), 'unit');
    const asset = this.assetOf(unit, text, bounds[0], bounds[1]);
    const cycle =
      plainDecimal(text, bounds[2], bounds[3]) ?? parseNumber(text.slice(bounds[2], bounds[3]), 'cycle');
    checkCycle(cycle, text, bounds[2], bounds[3]);
    const values = new Float64Array(CMAPSS_CHANNELS.length);
    let problems: { field: string; reason: string }[] | undefined;
    for (let i = 0; i < values.length; i++) {
      const a = bounds[2 * i + 4],
        b = bounds[2 * i + 5];
      const v = plainDecimal(text, a, b);
      if (v !== undefined) values[i] = v;
      else {
        const channel = CMAPSS_CHANNELS[i];
        try {
          values[i] = parseNumber(text.slice(a, b), channel);
        } catch (err) {
          if (!(err instanceof RecordProblem)) throw err;
          values[i] = NaN;
          (problems ??= []).push({ field: channel, reason: err.message });
        }
      }
    }
    return { asset, t: cycle, values, ...(problems && { problems }) };
  }

  /** The general path: split on any white space (Unicode included), as the format is defined. */
  private parseSplit(text: string): ReturnType<CmapssReader['parse']> {
    if (text.trim() === '') return undefined;
    const split = text.trim().split(/\s+/);
    if (split.length !== COLUMNS) throw columnCountProblem(split.length);
    const asset = this.assetOf(parseNumber(split[0], 'unit'), split[0], 0, split[0].length);
    const cycle = parseNumber(split[1], 'cycle');
    checkCycle(cycle, split[1], 0, split[1].length);
    const values = new Float64Array(CMAPSS_CHANNELS.length);
    let problems: { field: string; reason: string }[] | undefined;
    for (let i = 0; i < values.length; i++) {
      const channel = CMAPSS_CHANNELS[i];
      try {
        values[i] = parseNumber(split[i + 2], channel);
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        values[i] = NaN;
        (problems ??= []).push({ field: channel, reason: err.message });
      }
    }
    return { asset, t: cycle, values, ...(problems && { problems }) };
  }

  /** Checks the unit (its cell is text[start, end)) and names its asset, cached: a unit's rows come together. */
  private assetOf(unit: number, text: string, start: number, end: number): string {
    if (!Number.isInteger(unit) || unit < 1)
      throw new RecordProblem(`unit must be a positive integer, got "${text.slice(start, end)}"`, 'unit');
    if (unit !== this.lastUnit) {
      this.lastUnit = unit;
      this.lastAsset = this.prefix + String(unit).padStart(3, '0');
    }
    return this.lastAsset;
  }
}

function checkCycle(cycle: number, text: string, start: number, end: number): void {
  if (!Number.isInteger(cycle) || cycle < 0)
    throw new RecordProblem(`cycle must be an integer >= 0, got "${text.slice(start, end)}"`, 'cycle');
  const range = timeRangeProblem(cycle, 'cycle', 'cycle');
  if (range) throw range;
}

/** Start and end of each cell, for rows of up to COLUMNS cells (more are counted, not kept). */
function cells(text: string, bounds: Int32Array): number {
  let n = 0,
    start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    // ASCII white space as \s matches it; any non-ASCII character sends the line to the general path
    if (c === 32 || (c >= 9 && c <= 13)) {
      if (start >= 0) {
        if (n < COLUMNS) {
          bounds[2 * n] = start;
          bounds[2 * n + 1] = i;
        }
        n++;
        start = -1;
      }
    } else if (c >= 128) return -1;
    else if (start < 0) start = i;
  }
  return n;
}

function columnCountProblem(found: number): RecordProblem {
  return new RecordProblem(
    `expected ${COLUMNS} space-separated columns (unit, cycle, 3 settings, 21 sensors), found ${found}`,
  );
}
