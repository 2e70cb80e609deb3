/**
 * Complex FFT of any length. Power-of-two sizes go straight to fft.js (radix-4); lengths made of
 * small primes (IMS snapshots of 20,480 = 2^12 5 samples, 1 s at 25.6 kHz, 10,000) to the
 * mixed-radix transform (mixed-radix-fft.ts); lengths with a large prime factor use Bluestein's
 * chirp-z algorithm on a power-of-two fft.js transform (Bluestein 1970; see Oppenheim & Schafer,
 * Discrete-Time Signal Processing, 3rd ed., 9.6.2). Buffers are interleaved [re0, im0, re1, im1, ...].
 */
import FFT from 'fft.js';
import { MixedRadixFft, mixedRadixSuits } from './mixed-radix-fft.ts';

const isPow2 = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

export class ComplexFft {
  readonly n: number;
  private readonly direct?: FFT;
  private readonly mixed?: MixedRadixFft;
  // Bluestein state: chirp w_k = exp(-i*pi*k^2/n), FFT of the conjugate chirp filter, work buffers.
  private readonly m: number = 0;
  private readonly inner?: FFT;
  private readonly chirp?: Float64Array;
  private readonly filterSpectrum?: Float64Array;
  private readonly a?: Float64Array;
  private readonly b?: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`FFT length must be a positive integer, got ${n}`);
    this.n = n;
    if (isPow2(n)) {
      this.direct = new FFT(n);
      return;
    }
    if (mixedRadixSuits(n)) {
      this.mixed = new MixedRadixFft(n);
      return;
    }
    let m = 2;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.inner = new FFT(m);
    const chirp = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      // k^2 mod 2n keeps the angle small and exact for large k
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      chirp[2 * k] = Math.cos(angle);
      chirp[2 * k + 1] = -Math.sin(angle);
    }
    this.chirp = chirp;
    const filter = new Float64Array(2 * m);
    for (let k = 0; k < n; k++) {
      filter[2 * k] = chirp[2 * k];
      filter[2 * k + 1] = -chirp[2 * k + 1];
      if (k > 0) {
        filter[2 * (m - k)] = chirp[2 * k];
        filter[2 * (m - k) + 1] = -chirp[2 * k + 1];
      }
    }
    this.filterSpectrum = new Float64Array(2 * m);
    this.inner.transform(this.filterSpectrum, filter);
    this.a = new Float64Array(2 * m);
    this.b = new Float64Array(2 * m);
  }

  /** Forward transform: out[k] = sum_j in[j] exp(-2 pi i jk/n). */
  forward(out: Float64Array, input: Float64Array): void {
    this.run(out, input, false);
  }

  /** Inverse transform including the 1/n factor. */
  inverse(out: Float64Array, input: Float64Array): void {
    this.run(out, input, true);
  }

  private run(out: Float64Array, input: Float64Array, inverse: boolean): void {
    const n = this.n;
    if (this.direct) {
      if (inverse) this.direct.inverseTransform(out, input);
      else this.direct.transform(out, input);
      return;
    }
    if (this.mixed) {
      if (inverse) this.mixed.inverse(out, input);
      else this.mixed.forward(out, input);
      return;
    }
    // An inverse DFT is conj(DFT(conj(x)))/n: conjugate on the way in and out.
    const s = inverse ? -1 : 1;
    const chirp = this.chirp!,
      a = this.a!,
      b = this.b!,
      filterSpectrum = this.filterSpectrum!,
      inner = this.inner!,
      m = this.m;
    a.fill(0);
    for (let k = 0; k < n; k++) {
      const xr = input[2 * k],
        xi = s * input[2 * k + 1];
      const wr = chirp[2 * k],
        wi = chirp[2 * k + 1];
      a[2 * k] = xr * wr - xi * wi;
      a[2 * k + 1] = xr * wi + xi * wr;
    }
    inner.transform(b, a);
    for (let k = 0; k < m; k++) {
      const br = b[2 * k],
        bi = b[2 * k + 1];
      const fr = filterSpectrum[2 * k],
        fi = filterSpectrum[2 * k + 1];
      b[2 * k] = br * fr - bi * fi;
      b[2 * k + 1] = br * fi + bi * fr;
    }
    inner.inverseTransform(a, b);
    const scale = inverse ? 1 / n : 1;
    for (let k = 0; k < n; k++) {
      const cr = a[2 * k],
        ci = a[2 * k + 1];
      const wr = chirp[2 * k],
        wi = chirp[2 * k + 1];
      out[2 * k] = (cr * wr - ci * wi) * scale;
      out[2 * k + 1] = s * (cr * wi + ci * wr) * scale;
    }
  }
}

/** Packs a real signal into an interleaved complex buffer. */
export function realToComplex(x: ArrayLike<number>, out = new Float64Array(2 * x.length)): Float64Array {
  for (let i = 0; i < x.length; i++) {
    out[2 * i] = x[i];
    out[2 * i + 1] = 0;
  }
  return out;
}
