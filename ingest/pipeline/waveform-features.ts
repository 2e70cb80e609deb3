/**
 * Waveform -> stored feature row during ingest: the same FeatureExtractor as `leadtime features`,
 * with the envelope read at the defect frequencies the asset's machine context implies (bearing
 * geometry and shaft speed, or listed frequencies). Extractors are cached per (length, rate, defects).
 */
import { createHash } from 'node:crypto';
import type { Waveform } from '../contracts.ts';
import { FeatureExtractor, MIN_SNAPSHOT_LENGTH } from '../features/extractor.ts';
import { STORE_FEATURE_COLUMNS } from '../store/schema.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { MAX_SAMPLE_RATE_HZ, timeRangeProblem } from '../validate/storable.ts';
import { contextDefects } from '../waveform/machine-context.ts';

export class WaveformFeaturizer {
  private readonly cache = new Map<string, { extractor: FeatureExtractor; slots: number[] }>();

  constructor(private readonly expectedLength?: number) {}

  /** Feature values in STORE_FEATURE_COLUMNS order (NaN where no defect frequency is known), and the snapshot's SHA-1. */
  featurize(w: Waveform): { values: Float64Array; sha1: string } {
    const n = w.samples.length;
    if (this.expectedLength !== undefined && n !== this.expectedLength) {
      throw new RecordProblem(
        `waveform has ${n} samples, expected ${this.expectedLength} (--length)`,
        'samples',
      );
    }
    if (n < MIN_SNAPSHOT_LENGTH)
      throw new RecordProblem(
        `waveform has ${n} samples; condition indicators need at least ${MIN_SNAPSHOT_LENGTH}`,
        'samples',
      );
    const tProblem = timeRangeProblem(w.t, 'ms');
    if (tProblem) throw tProblem;
    if (!Number.isFinite(w.sampleRateHz) || !(w.sampleRateHz > 0) || w.sampleRateHz > MAX_SAMPLE_RATE_HZ)
      throw new RecordProblem(
        `sampleRateHz must be > 0 and at most ${MAX_SAMPLE_RATE_HZ}, got ${w.sampleRateHz}`,
        'sampleRateHz',
      );
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(w.samples[i]))
        throw new RecordProblem(`samples[${i}] is ${w.samples[i]} (not finite)`, 'samples');
    }
    const defects = contextDefects(w.context);
    const key = `${n}|${w.sampleRateHz}|${defects.map((d) => `${d.name}=${d.hz}`).join(',')}`;
    let entry = this.cache.get(key);
    if (!entry) {
      let extractor: FeatureExtractor;
      try {
        extractor = new FeatureExtractor(n, w.sampleRateHz, defects);
      } catch (err) {
        throw new RecordProblem((err as Error).message, 'context');
      }
      entry = { extractor, slots: extractor.columns.map((c) => STORE_FEATURE_COLUMNS.indexOf(c)) };
      if (this.cache.size > 64) this.cache.clear();
      this.cache.set(key, entry);
    }
    const row = entry.extractor.compute(w.samples);
    const values = new Float64Array(STORE_FEATURE_COLUMNS.length).fill(NaN);
    entry.slots.forEach((slot, i) => (values[slot] = row[i]));
    const sha1 = createHash('sha1')
      .update(new Uint8Array(w.samples.buffer, w.samples.byteOffset, w.samples.byteLength))
      .digest('hex');
    return { values, sha1 };
  }
}
