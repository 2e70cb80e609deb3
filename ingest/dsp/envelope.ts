/**
 * Envelope analysis for bearing diagnostics: the envelope is |analytic signal|, with the analytic
 * signal built in the frequency domain exactly as scipy.signal.hilbert does (Marple 1999: keep DC
 * and Nyquist, double positive frequencies, zero negative ones).
 */
import { ComplexFft, realToComplex } from './fft.ts';

/** |hilbert(x)| for a real signal of any length. */
export function envelope(x: ArrayLike<number>, fft = new ComplexFft(x.length)): Float64Array {
  const n = x.length;
  const spec = new Float64Array(2 * n);
  fft.forward(spec, realToComplex(x));
  const half = n >> 1;
  // h: 1 at 0 (and n/2 when n is even), 2 for 1..ceil(n/2)-1, 0 above
  const last = n % 2 === 0 ? half : half + 1;
  for (let k = 1; k < last; k++) {
    spec[2 * k] *= 2;
    spec[2 * k + 1] *= 2;
  }
  for (let k = n % 2 === 0 ? half + 1 : half + 1; k < n; k++) {
    spec[2 * k] = 0;
    spec[2 * k + 1] = 0;
  }
  const analytic = new Float64Array(2 * n);
  fft.inverse(analytic, spec);
  const env = new Float64Array(n);
  for (let i = 0; i < n; i++) env[i] = Math.hypot(analytic[2 * i], analytic[2 * i + 1]);
  return env;
}

/**
 * One-sided amplitude spectrum 2|X_k|/n of the mean-removed signal, k = 0..floor(n/2), with the
 * frequency resolution rate/n. Used on envelopes to find defect frequencies.
 */
export function amplitudeSpectrum(x: ArrayLike<number>, fft = new ComplexFft(x.length)): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const buf = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) buf[2 * i] = x[i] - mean;
  const spec = new Float64Array(2 * n);
  fft.forward(spec, buf);
  const out = new Float64Array((n >> 1) + 1);
  for (let k = 0; k < out.length; k++) out[k] = (2 * Math.hypot(spec[2 * k], spec[2 * k + 1])) / n;
  return out;
}
