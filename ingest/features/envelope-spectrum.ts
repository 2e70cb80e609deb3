/**
 * Envelope analysis of a mean-removed snapshot (Randall & Antoni, MSSP 25 (2011), sec. 3): the
 * envelope |x + i H{x}| with the Hilbert transform taken in the frequency domain as scipy's
 * `hilbert` does (positive bins doubled, DC and Nyquist kept once, negative bins zeroed), so
 * H{x} = IFFT(-i sgn(k) X_k) with sgn = 0 at DC and Nyquist. Built from the one-sided spectrum with
 * one inverse real FFT instead of a full complex transform pair. The envelope's own amplitude
 * spectrum 2|E_k|/n (after removing its mean) is read at each defect frequency as the maximum over
 * +-2 bins of the nearest bin, like numpy_features.py.
 */
import type { RealFft } from '../dsp/real-fft.ts';

/** The envelope of the real signal xc, given its one-sided spectrum. */
export function envelopeFromSpectrum(
  xc: Float64Array,
  spec: Float64Array,
  fft: RealFft,
  work: Float64Array,
  out: Float64Array,
): Float64Array {
  const n = xc.length;
  const half = n >> 1;
  // -i * X_k = (im, -re); zero at DC and (even n) Nyquist
  work[0] = 0;
  work[1] = 0;
  for (let k = 1; k < fft.bins; k++) {
    work[2 * k] = spec[2 * k + 1];
    work[2 * k + 1] = -spec[2 * k];
  }
  if (n % 2 === 0) {
    work[2 * half] = 0;
    work[2 * half + 1] = 0;
  }
  fft.inverse(work, out);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(xc[i] * xc[i] + out[i] * out[i]);
  return out;
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The bin range [lo, hi) the reference reads for a frequency: nearest bin +-2, never DC. */
export function defectBins(hz: number, n: number, rateHz: number, bins: number): [number, number] {
  const k = roundHalfEven((hz * n) / rateHz);
  return [Math.max(1, k - 2), Math.min(bins, k + 3)];
}

/** max 2|E_k|/n over [lo, hi) of the one-sided spectrum of the (mean-removed) envelope; NaN when the range is empty. */
export function peakAmplitude(envSpec: Float64Array, n: number, lo: number, hi: number): number {
  let best = NaN;
  for (let k = lo; k < hi; k++) {
    const a = (2 * Math.hypot(envSpec[2 * k], envSpec[2 * k + 1])) / n;
    if (!(a <= best)) best = a;
  }
  return best;
}
