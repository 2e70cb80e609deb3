/**
 * `leadtime features`: a file of float32 snapshots -> a CSV with one feature row per snapshot, in
 * the column order and definitions of numpy_features.py.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { InputError } from '../../core/index.ts';
import { readF32Snapshots } from '../waveform/f32-file.ts';
import { numberedDefects } from './columns.ts';
import { FeatureExtractor, MIN_SNAPSHOT_LENGTH } from './extractor.ts';

export interface FeaturesFileOptions {
  input: string;
  output: string;
  length: number;
  rateHz: number;
  defectsHz?: number[];
  onSnapshot?: (done: number, total: number) => void;
}

export interface FeaturesFileSummary {
  input: string;
  output: string;
  snapshots: number;
  length: number;
  rateHz: number;
  columns: string[];
  seconds: number;
  samplesPerSecond: number;
}

/** Shortest text that reads back to the same double. */
const formatValue = (v: number): string => (Number.isNaN(v) ? 'nan' : String(v));

export function computeFeaturesFile(opts: FeaturesFileOptions): FeaturesFileSummary {
  if (!Number.isInteger(opts.length) || opts.length < MIN_SNAPSHOT_LENGTH) {
    throw new InputError(`--length must be an integer >= ${MIN_SNAPSHOT_LENGTH}, got ${opts.length}`);
  }
  if (!(opts.rateHz > 0)) throw new InputError(`--rate must be a positive number of Hz, got ${opts.rateHz}`);
  let size: number;
  try {
    size = statSync(opts.input).size;
  } catch (err) {
    throw new InputError(`${opts.input}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (size % (opts.length * 4) !== 0) {
    throw new InputError(
      `${opts.input}: ${size} bytes is not a whole number of snapshots of --length ${opts.length} float32 samples (${opts.length * 4} bytes each)`,
    );
  }
  const total = size / (opts.length * 4);
  const extractor = new FeatureExtractor(opts.length, opts.rateHz, numberedDefects(opts.defectsHz ?? []));
  const fd = openSync(opts.output, 'w');
  const t0 = performance.now();
  let done = 0;
  try {
    writeSync(fd, extractor.columns.join(',') + '\n');
    const row = new Float64Array(extractor.columns.length);
    let chunk: string[] = [];
    for (const snap of readF32Snapshots(opts.input, opts.length)) {
      extractor.compute(snap.samples, row);
      chunk.push(Array.from(row, formatValue).join(','));
      done++;
      if (chunk.length >= 256) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
      opts.onSnapshot?.(done, total);
    }
    if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    input: opts.input,
    output: opts.output,
    snapshots: done,
    length: opts.length,
    rateHz: opts.rateHz,
    columns: extractor.columns,
    seconds,
    samplesPerSecond: Math.round((done * opts.length) / seconds),
  };
}
