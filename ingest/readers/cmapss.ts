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
import type { Sample } from '../contracts.ts';
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
      if (text.trim() === '') continue;
      try {
        yield { kind: 'samples', position, raw: text, ...this.parse(text) };
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        yield { kind: 'rejected', position, raw: text, reason: err.message, field: err.field };
      }
    }
  }

  /** One row -> 24 samples; a bad sensor cell is a per-field problem, a bad unit/cycle or column count rejects the row. */
  parse(text: string): { samples: Sample[]; problems: { field: string; reason: string }[] } {
    const cells = text.trim().split(/\s+/);
    if (cells.length !== COLUMNS) {
      throw new RecordProblem(
        `expected ${COLUMNS} space-separated columns (unit, cycle, 3 settings, 21 sensors), found ${cells.length}`,
      );
    }
    const unit = parseNumber(cells[0], 'unit');
    if (!Number.isInteger(unit) || unit < 1)
      throw new RecordProblem(`unit must be a positive integer, got "${cells[0]}"`, 'unit');
    const cycle = parseNumber(cells[1], 'cycle');
    if (!Number.isInteger(cycle) || cycle < 0)
      throw new RecordProblem(`cycle must be an integer >= 0, got "${cells[1]}"`, 'cycle');
    const range = timeRangeProblem(cycle, 'cycle', 'cycle');
    if (range) throw range;
    const asset = this.prefix + String(unit).padStart(3, '0');
    const samples: Sample[] = [];
    const problems: { field: string; reason: string }[] = [];
    for (let i = 0; i < CMAPSS_CHANNELS.length; i++) {
      const channel = CMAPSS_CHANNELS[i];
      try {
        samples.push({ asset, channel, t: cycle, value: parseNumber(cells[i + 2], channel) });
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        problems.push({ field: channel, reason: err.message });
      }
    }
    return { samples, problems };
  }
}
