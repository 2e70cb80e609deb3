import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { ComplexFft, RealFft } from '../../ingest/index.ts';
import { MixedRadixFft, mixedRadixSuits, primeFactors, radixPlan } from '../../ingest/dsp/mixed-radix-fft.ts';

/** One bin of the DFT from its definition (angles reduced mod n so they stay exact). */
function dftBin(x: Float64Array, k: number, sign = -1): [number, number] {
  const n = x.length / 2;
  let sr = 0,
    si = 0;
  for (let j = 0; j < n; j++) {
    const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
    const c = Math.cos(a),
      s = Math.sin(a);
    sr += x[2 * j] * c - x[2 * j + 1] * s;
    si += x[2 * j] * s + x[2 * j + 1] * c;
  }
  return [sr, si];
}

function randomComplex(n: number, seed: string): Float64Array {
  const s = new RandomStream(n, seed);
  return Float64Array.from({ length: 2 * n }, () => s.normal());
}

/** Largest |a - b| over the buffer, relative to sqrt(n) (the size of a DFT bin of unit-variance noise). */
function maxError(a: Float64Array, b: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < 2 * n; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e / Math.sqrt(n);
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 31, 97, 101];
const SMOOTH = [
  1, 4, 6, 8, 9, 12, 15, 16, 25, 27, 32, 45, 60, 72, 120, 125, 144, 225, 243, 360, 625, 1000, 1080,
];
const ODD_COMPOSITE = [21, 35, 49, 77, 91, 121, 143, 187, 209, 1155, 2 * 7 * 7 * 11];

describe('MixedRadixFft against the DFT definition', () => {
  it.each([...PRIMES, ...SMOOTH, ...ODD_COMPOSITE])(
    'n = %i: forward equals the naive DFT, inverse returns the input',
    (n) => {
      const x = randomComplex(n, 'mixed');
      const fft = new MixedRadixFft(n);
      const out = new Float64Array(2 * n);
      fft.forward(out, x);
      const ref = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) [ref[2 * k], ref[2 * k + 1]] = dftBin(x, k);
      expect(maxError(out, ref, n)).toBeLessThan(1e-12);
      // the inverse against the definition with the opposite sign and 1/n
      const inv = new Float64Array(2 * n);
      fft.inverse(inv, x);
      for (let k = 0; k < n; k++) {
        const [r, i] = dftBin(x, k, 1);
        expect(Math.abs(inv[2 * k] - r / n)).toBeLessThan(1e-12);
        expect(Math.abs(inv[2 * k + 1] - i / n)).toBeLessThan(1e-12);
      }
      const back = new Float64Array(2 * n);
      fft.inverse(back, out);
      expect(maxError(back, x, n)).toBeLessThan(1e-14);
    },
  );

  it.each([10240, 12800, 20000, 25600])(
    'n = %i: 24 bins equal the DFT sum, and Parseval holds (sum |x|^2 = sum |X|^2 / n)',
    (n) => {
      const x = randomComplex(n, 'large');
      const out = new Float64Array(2 * n);
      new MixedRadixFft(n).forward(out, x);
      const s = new RandomStream(n, 'bins');
      for (const k of [
        0,
        1,
        n - 1,
        n >> 1,
        ...Array.from({ length: 20 }, () => Math.floor(s.uniform() * n)),
      ]) {
        const [r, i] = dftBin(x, k);
        expect(Math.abs(out[2 * k] - r) / Math.sqrt(n)).toBeLessThan(1e-11);
        expect(Math.abs(out[2 * k + 1] - i) / Math.sqrt(n)).toBeLessThan(1e-11);
      }
      let ex = 0,
        eX = 0;
      for (let i = 0; i < 2 * n; i++) {
        ex += x[i] * x[i];
        eX += out[i] * out[i];
      }
      expect(Math.abs(eX / n - ex) / ex).toBeLessThan(1e-13);
    },
  );

  it('a complex exponential at bin 37 of 20,480 puts n there and nothing elsewhere', () => {
    const n = 20480,
      k0 = 37;
    const x = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      const a = (2 * Math.PI * ((j * k0) % n)) / n;
      x[2 * j] = Math.cos(a);
      x[2 * j + 1] = Math.sin(a);
    }
    const out = new Float64Array(2 * n);
    new MixedRadixFft(n).forward(out, x);
    for (let k = 0; k < n; k++) {
      expect(Math.abs(out[2 * k] - (k === k0 ? n : 0))).toBeLessThan(1e-9);
      expect(Math.abs(out[2 * k + 1])).toBeLessThan(1e-9);
    }
  });

  it('transforms in place when out is the input', () => {
    const n = 360;
    const x = randomComplex(n, 'inplace');
    const expected = new Float64Array(2 * n);
    const fft = new MixedRadixFft(n);
    fft.forward(expected, x);
    const buf = x.slice();
    fft.forward(buf, buf);
    expect(maxError(buf, expected, n)).toBe(0);
  });
});

describe('mixed-radix plans', () => {
  it.each([1, 2, 97, 360, 1155, 20480, 25600, 2 * 3 * 5 * 7 * 11 * 13, 65537])(
    'n = %i: the prime factors and the radices multiply back to n',
    (n) => {
      const primes = primeFactors(n);
      expect(primes.reduce((a, b) => a * b, 1)).toBe(n);
      for (const p of primes) expect(primeFactors(p)).toEqual([p]);
      expect(radixPlan(n).reduce((a, b) => a * b, 1)).toBe(n);
    },
  );

  it('uses 4s first, one 2 for an odd power of two, then odd primes', () => {
    expect(radixPlan(20480)).toEqual([4, 4, 4, 4, 4, 4, 5]);
    expect(radixPlan(10240)).toEqual([4, 4, 4, 4, 4, 2, 5]);
    expect(radixPlan(10000)).toEqual([4, 4, 5, 5, 5, 5]);
    expect(radixPlan(2 * 3 * 7)).toEqual([2, 3, 7]);
  });

  it('keeps Bluestein only for large prime factors', () => {
    for (const n of [10000, 20480, 25600, 51200, 20000, 1000, 2 * 31, 64 * 53])
      expect(mixedRadixSuits(n)).toBe(true);
    for (const n of [1009, 65537, 1024 * 127, 2 * 4099]) expect(mixedRadixSuits(n)).toBe(false);
  });
});

describe('ComplexFft on every path (fft.js, mixed radix, Bluestein)', () => {
  it.each([1024, 20480 / 2, 2 * 3 * 5 * 7, 1009, 2 * 4099, 127 * 8])(
    'n = %i agrees with the DFT at 24 bins and round-trips',
    (n) => {
      const x = randomComplex(n, 'paths');
      const fft = new ComplexFft(n);
      const out = new Float64Array(2 * n);
      fft.forward(out, x);
      const s = new RandomStream(n, 'paths-bins');
      for (const k of [0, 1, n - 1, ...Array.from({ length: 21 }, () => Math.floor(s.uniform() * n))]) {
        const [r, i] = dftBin(x, k);
        expect(Math.abs(out[2 * k] - r) / Math.sqrt(n)).toBeLessThan(1e-10);
        expect(Math.abs(out[2 * k + 1] - i) / Math.sqrt(n)).toBeLessThan(1e-10);
      }
      const back = new Float64Array(2 * n);
      fft.inverse(back, out);
      expect(maxError(back, x, n)).toBeLessThan(1e-13);
    },
  );
});

describe('RealFft at practical snapshot lengths', () => {
  it.each([10000, 20000, 20480, 25600, 51200, 999, 1155])(
    'n = %i: one-sided bins equal the real DFT, Parseval holds, inverse returns the signal',
    (n) => {
      const s = new RandomStream(n, 'real');
      const x = Float64Array.from({ length: n }, (_, i) => s.normal() + Math.sin(i * 0.01));
      const fft = new RealFft(n);
      const spec = fft.forward(x);
      expect(spec.length).toBe(2 * ((n >> 1) + 1));
      const cx = new Float64Array(2 * n);
      x.forEach((v, i) => (cx[2 * i] = v));
      for (const k of [0, 1, 2, (n >> 1) - 1, n >> 1, 1234 % (n >> 1), 777 % (n >> 1)]) {
        const [r, i] = dftBin(cx, k);
        expect(Math.abs(spec[2 * k] - r) / Math.sqrt(n)).toBeLessThan(1e-11);
        expect(Math.abs(spec[2 * k + 1] - i) / Math.sqrt(n)).toBeLessThan(1e-11);
      }
      // Parseval on the one-sided spectrum: bins 1..ceil(n/2)-1 count twice
      let ex = 0;
      for (const v of x) ex += v * v;
      let eX = 0;
      for (let k = 0; k <= n >> 1; k++) {
        const p = spec[2 * k] ** 2 + spec[2 * k + 1] ** 2;
        eX += k === 0 || (n % 2 === 0 && k === n >> 1) ? p : 2 * p;
      }
      expect(Math.abs(eX / n - ex) / ex).toBeLessThan(1e-12);
      const back = fft.inverse(spec);
      let e = 0;
      for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(back[i] - x[i]));
      expect(e).toBeLessThan(1e-12);
    },
  );
});
