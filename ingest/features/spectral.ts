/**
 * Spectral indicators from the one-sided FFT X[0..n/2] of a mean-removed snapshot: 16 band energies
 * (bins 1..n/2 split into equal contiguous groups with edges floor(linspace(1, n/2 + 1, 17)), each
 * the sum of |X_k|^2 / n^2) and the spectral centroid sum(f_k |X_k|^2) / sum(|X_k|^2) over bins
 * 1..n/2, f_k = k rate / n (Peeters, "A large set of audio features", IRCAM 2004, sec. 6.1.1).
 */
import { BAND_COUNT } from './columns.ts';

/** Band edges exactly as numpy's linspace(1, half + 1, 17).astype(int): start + i*step, last = stop. */
export function bandEdges(n: number, bands = BAND_COUNT): Int32Array {
  const half = n >> 1;
  const step = half / bands;
  const edges = new Int32Array(bands + 1);
  for (let i = 0; i < bands; i++) edges[i] = Math.trunc(i * step + 1);
  edges[bands] = half + 1;
  return edges;
}

export interface SpectralFeatures {
  bands: Float64Array;
  centroid: number;
}

export function spectralFeatures(
  spec: Float64Array,
  n: number,
  rateHz: number,
  edges: Int32Array = bandEdges(n),
): SpectralFeatures {
  const scale = 1 / (n * n);
  const bands = new Float64Array(edges.length - 1);
  let total = 0,
    weighted = 0;
  for (let b = 0; b < bands.length; b++) {
    let s = 0;
    for (let k = edges[b]; k < edges[b + 1]; k++) {
      const p = (spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1]) * scale;
      s += p;
      weighted += ((k * rateHz) / n) * p;
    }
    bands[b] = s;
    total += s;
  }
  // edges cover bins 1..n/2 exactly, so total is the sum the centroid needs
  return { bands, centroid: weighted / total };
}
