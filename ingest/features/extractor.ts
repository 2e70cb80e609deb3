/**
 * Waveform snapshot -> condition-indicator feature row, for a fixed snapshot length and sample
 * rate. Plans (FFT twiddles, band edges, buffers) are built once and reused across snapshots, which
 * is what makes a fleet of snapshots cheap. The columns and definitions are those of
 * `numpy_features.py`; see columns.ts, time-domain.ts, spectral.ts, envelope-spectrum.ts.
 */
import { RealFft } from '../dsp/real-fft.ts';
import { featureColumns, type DefectFrequency } from './columns.ts';
import { envelopeFromSpectrum, defectBins, peakAmplitude } from './envelope-spectrum.ts';
import { bandEdges, spectralFeatures } from './spectral.ts';
import { removeMean, timeDomainFeatures, mean } from './time-domain.ts';

export const MIN_SNAPSHOT_LENGTH = 64;

export class FeatureExtractor {
  readonly columns: string[];
  private readonly fft: RealFft;
  private readonly edges: Int32Array;
  private readonly ranges: [number, number][];
  private readonly xc: Float64Array;
  private readonly spec: Float64Array;
  private readonly work: Float64Array;
  private readonly env: Float64Array;
  private readonly envSpec: Float64Array;

  constructor(
    readonly length: number,
    readonly rateHz: number,
    readonly defects: readonly DefectFrequency[] = [],
  ) {
    if (!Number.isInteger(length) || length < MIN_SNAPSHOT_LENGTH) {
      throw new RangeError(`snapshot length must be an integer >= ${MIN_SNAPSHOT_LENGTH}, got ${length}`);
    }
    if (!(rateHz > 0) || !Number.isFinite(rateHz))
      throw new RangeError(`sample rate must be a positive number of Hz, got ${rateHz}`);
    for (const d of defects) {
      if (!(d.hz > 0) || !Number.isFinite(d.hz))
        throw new RangeError(`defect frequency ${d.name} must be a positive number of Hz, got ${d.hz}`);
    }
    this.columns = featureColumns(defects);
    this.fft = new RealFft(length);
    this.edges = bandEdges(length);
    this.ranges = defects.map((d) => defectBins(d.hz, length, rateHz, this.fft.bins));
    this.xc = new Float64Array(length);
    this.spec = new Float64Array(2 * this.fft.bins);
    this.work = new Float64Array(2 * this.fft.bins);
    this.env = new Float64Array(length);
    this.envSpec = new Float64Array(2 * this.fft.bins);
  }

  /** The feature row of one snapshot, values in `columns` order. */
  compute(x: ArrayLike<number>, out: Float64Array = new Float64Array(this.columns.length)): Float64Array {
    if (x.length !== this.length)
      throw new RangeError(`snapshot has ${x.length} samples, expected ${this.length}`);
    const n = this.length;
    const xc = removeMean(x, this.xc);
    const td = timeDomainFeatures(xc);
    out[0] = td.rms;
    out[1] = td.peak;
    out[2] = td.p2p;
    out[3] = td.crest;
    out[4] = td.kurtosis;
    out[5] = td.skewness;
    out[6] = td.shape;
    out[7] = td.impulse;
    this.fft.forward(xc, this.spec);
    const sp = spectralFeatures(this.spec, n, this.rateHz, this.edges);
    out.set(sp.bands, 8);
    let col = 8 + sp.bands.length;
    out[col++] = sp.centroid;
    if (this.defects.length > 0) {
      const env = envelopeFromSpectrum(xc, this.spec, this.fft, this.work, this.env);
      const m = mean(env);
      for (let i = 0; i < n; i++) env[i] -= m;
      this.fft.forward(env, this.envSpec);
      for (const [lo, hi] of this.ranges) out[col++] = peakAmplitude(this.envSpec, n, lo, hi);
    }
    return out;
  }

  /** The feature row as a name -> value record. */
  computeRecord(x: ArrayLike<number>): Record<string, number> {
    const row = this.compute(x);
    return Object.fromEntries(this.columns.map((c, i) => [c, row[i]]));
  }
}
