/**
 * FFT of a real signal of any length, returning (and taking back) the one-sided spectrum
 * X[0..floor(n/2)] as interleaved [re, im] pairs. For even n the signal is packed into a complex
 * signal of n/2 points, z[j] = x[2j] + i x[2j+1], transformed once, and split into the even- and
 * odd-sample spectra (Brigham, The Fast Fourier Transform and its Applications, 1988, sec. 9.3;
 * Press et al., Numerical Recipes, 3rd ed., 12.3.1), which halves the work of a complex transform.
 * Odd n goes through a full complex transform. The inverse assumes a Hermitian spectrum (a real
 * signal) and includes the 1/n factor, so inverse(forward(x)) = x.
 */
import { ComplexFft } from './fft.ts';

export class RealFft {
  readonly n: number;
  /** number of one-sided bins, floor(n/2) + 1 */
  readonly bins: number;
  private readonly half?: ComplexFft;
  private readonly full?: ComplexFft;
  /** twiddles W^k = exp(-2 pi i k / n), k = 0..n/2 */
  private readonly twiddle?: Float64Array;
  private readonly z: Float64Array;
  private readonly zf: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 2)
      throw new RangeError(`real FFT length must be an integer >= 2, got ${n}`);
    this.n = n;
    this.bins = (n >> 1) + 1;
    if (n % 2 === 0) {
      const m = n / 2;
      this.half = new ComplexFft(m);
      const tw = new Float64Array(2 * (m + 1));
      for (let k = 0; k <= m; k++) {
        const a = (-2 * Math.PI * k) / n;
        tw[2 * k] = Math.cos(a);
        tw[2 * k + 1] = Math.sin(a);
      }
      this.twiddle = tw;
      this.z = new Float64Array(2 * m);
      this.zf = new Float64Array(2 * m);
    } else {
      this.full = new ComplexFft(n);
      this.z = new Float64Array(2 * n);
      this.zf = new Float64Array(2 * n);
    }
  }

  /** One-sided spectrum of the real signal x (length n) into out (length 2 * bins). */
  forward(x: ArrayLike<number>, out: Float64Array = new Float64Array(2 * this.bins)): Float64Array {
    const n = this.n;
    const z = this.z,
      zf = this.zf;
    if (this.full) {
      for (let i = 0; i < n; i++) {
        z[2 * i] = x[i];
        z[2 * i + 1] = 0;
      }
      this.full.forward(zf, z);
      out.set(zf.subarray(0, 2 * this.bins));
      return out;
    }
    const m = n >> 1;
    for (let j = 0; j < 2 * m; j++) z[j] = x[j];
    this.half!.forward(zf, z);
    const tw = this.twiddle!;
    for (let k = 0; k <= m; k++) {
      const k1 = k === m ? 0 : k;
      const k2 = k === 0 ? 0 : m - k;
      const ar = zf[2 * k1],
        ai = zf[2 * k1 + 1];
      const br = zf[2 * k2],
        bi = -zf[2 * k2 + 1]; // conj(Z[m-k])
      // E = (a + b)/2, O = (a - b)/(2i)
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      const or = 0.5 * (ai - bi),
        oi = -0.5 * (ar - br);
      const wr = tw[2 * k],
        wi = tw[2 * k + 1];
      out[2 * k] = er + wr * or - wi * oi;
      out[2 * k + 1] = ei + wr * oi + wi * or;
    }
    return out;
  }

  /** The real signal (length n) whose one-sided spectrum is spec, including the 1/n factor. */
  inverse(spec: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const n = this.n;
    const z = this.z,
      zf = this.zf;
    if (this.full) {
      for (let k = 0; k < this.bins; k++) {
        zf[2 * k] = spec[2 * k];
        zf[2 * k + 1] = spec[2 * k + 1];
      }
      for (let k = this.bins; k < n; k++) {
        zf[2 * k] = spec[2 * (n - k)];
        zf[2 * k + 1] = -spec[2 * (n - k) + 1];
      }
      this.full.inverse(z, zf);
      for (let i = 0; i < n; i++) out[i] = z[2 * i];
      return out;
    }
    const m = n >> 1;
    const tw = this.twiddle!;
    for (let k = 0; k < m; k++) {
      const ar = spec[2 * k],
        ai = spec[2 * k + 1];
      const br = spec[2 * (m - k)],
        bi = -spec[2 * (m - k) + 1]; // conj(X[m-k])
      // E = (a + b)/2, O = (a - b) W^-k / 2, Z = E + i O
      const er = 0.5 * (ar + br),
        ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br),
        di = 0.5 * (ai - bi);
      const wr = tw[2 * k],
        wi = -tw[2 * k + 1];
      const or = dr * wr - di * wi,
        oi = dr * wi + di * wr;
      zf[2 * k] = er - oi;
      zf[2 * k + 1] = ei + or;
    }
    this.half!.inverse(z, zf);
    for (let j = 0; j < 2 * m; j++) out[j] = z[j];
    return out;
  }
}
