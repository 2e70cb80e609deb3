/**
 * IMS bearing run-to-failure snapshots (NASA / Univ. of Cincinnati IMS data set, Qiu et al., J. Sound
 * Vib. 289 (2006)): a directory of text files, each named by its timestamp `2004.02.12.10.32.39`,
 * one row per sample and one tab-separated column per channel, 20,480 rows at 20 kHz. Each file
 * gives one waveform per channel (`ch1`, `ch2`, ...). A file with a bad cell, a wrong row count or
 * a name that is not a timestamp is rejected whole, naming the file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../core/index.ts';
import type { MachineContext, TimeUnit, Waveform } from '../contracts.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { timestampParser } from '../validate/timestamp.ts';
import { loadMachineContexts } from '../waveform/machine-context.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';

export interface ImsOptions {
  /** expected rows per file (default 20480) */
  length?: number;
  /** sample rate, Hz (default 20000) */
  rateHz?: number;
  /** asset name (default: the directory name) */
  asset?: string;
  /** file name timestamp format (default YYYY.MM.DD.HH.mm.ss) */
  timestampFormat?: string;
  assetsFile?: string;
}

export class ImsReader implements TelemetryReader {
  readonly format = 'ims';
  readonly timeUnit: TimeUnit = 'ms';
  private readonly context?: MachineContext;

  constructor(
    readonly source: string,
    private readonly options: ImsOptions = {},
  ) {
    let isDir = false;
    try {
      isDir = statSync(source).isDirectory();
    } catch {
      throw new InputError(`${source}: no such directory`);
    }
    if (!isDir) throw new InputError(`${source}: --format ims reads a directory of snapshot files`);
    if (options.assetsFile) this.context = loadMachineContexts(options.assetsFile).get(this.asset);
  }

  private get asset(): string {
    return this.options.asset ?? basename(this.source.replace(/[\\/]+$/, ''));
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    const length = this.options.length ?? 20480;
    const rateHz = this.options.rateHz ?? 20000;
    const parseName = timestampParser(this.options.timestampFormat ?? 'YYYY.MM.DD.HH.mm.ss');
    const files = readdirSync(this.source)
      .filter((f) => !f.startsWith('.'))
      .sort();
    for (const name of files) {
      const path = join(this.source, name);
      if (!statSync(path).isFile()) continue;
      let t: number;
      try {
        t = parseName(name, 'file name');
      } catch (err) {
        yield {
          kind: 'rejected',
          position: name,
          raw: name,
          reason: `${(err as Error).message}; IMS snapshot files are named by their time`,
          field: 'file name',
        };
        continue;
      }
      const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
      try {
        for (const w of parseImsFile(text, name, this.asset, t, length, rateHz)) {
          yield {
            kind: 'waveform',
            position: `${name} (${w.channel})`,
            raw: JSON.stringify({ file: name, asset: w.asset, channel: w.channel, t, rows: length }),
            waveform: { ...w, context: this.context },
          };
        }
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        const m = /^line (\d+)/.exec(err.message);
        const raw = m ? (text.split('\n')[Number(m[1]) - 1] ?? '') : text.slice(0, 200);
        yield {
          kind: 'rejected',
          position: m ? `${name} line ${m[1]}` : name,
          raw,
          reason: err.message,
          field: err.field,
        };
      }
    }
  }
}

/** One IMS text file -> one waveform per column. Throws RecordProblem naming the line. */
export function parseImsFile(
  text: string,
  name: string,
  asset: string,
  t: number,
  length: number,
  rateHz: number,
): Waveform[] {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length !== length)
    throw new RecordProblem(
      `file ${name} has ${lines.length} rows, expected ${length} (one per sample); is --length right?`,
      'length',
    );
  const channels = lines[0].trim().split(/\s+/).length;
  const data = Array.from({ length: channels }, () => new Float32Array(length));
  for (let i = 0; i < length; i++) {
    const cells = lines[i].trim().split(/\s+/);
    if (cells.length !== channels)
      throw new RecordProblem(`line ${i + 1}: ${cells.length} columns, expected ${channels} like line 1`);
    for (let c = 0; c < channels; c++) {
      const v = Number(cells[c]);
      if (cells[c] === '' || !Number.isFinite(v))
        throw new RecordProblem(
          `line ${i + 1}: column ${c + 1} is not a finite number: "${cells[c]}"`,
          `ch${c + 1}`,
        );
      data[c][i] = v;
    }
  }
  return data.map((samples, c) => ({ asset, channel: `ch${c + 1}`, t, sampleRateHz: rateHz, samples }));
}
