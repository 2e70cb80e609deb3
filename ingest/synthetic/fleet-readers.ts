/**
 * How a fleet directory written by `leadtime generate fleet` is read: the wide scalars CSV, then the
 * waveform index (its snapshots become feature rows, with defect frequencies from assets.json).
 */
import { join } from 'node:path';
import { CsvReader } from '../readers/csv.ts';
import { F32Reader } from '../readers/f32.ts';
import type { TelemetryReader } from '../readers/reader.ts';

export function fleetReaders(dir: string): TelemetryReader[] {
  return [
    new CsvReader(join(dir, 'scalars.csv'), { layout: 'wide', timestampFormat: 'epoch-ms' }),
    new F32Reader(join(dir, 'waveforms', 'index.csv')),
  ];
}
