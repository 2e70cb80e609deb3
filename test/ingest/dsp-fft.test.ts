import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { amplitudeSpectrum, ComplexFft, envelope } from '../../ingest/index.ts';

/** The O(n^2) DFT from its definition, as the independent reference. */
function naiveDft(re: number[], im: number[], sign = -1): [number[], number[]] {
  const n = re.length;
  const outRe: number[] = [],
    outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0,
      si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return [outRe, outIm];
}

describe('ComplexFft', () => {
  it.each([1, 2, 7, 64, 100, 243, 1000])(
    'matches the DFT definition for n = %i, forward and inverse',
    (n) => {
      const s = new RandomStream(n, 'fft');
      const re = Array.from({ length: n }, () => s.normal());
      const im = Array.from({ length: n }, () => s.normal());
      const input = new Float64Array(2 * n);
      re.forEach((v, i) => ((input[2 * i] = v), (input[2 * i + 1] = im[i])));
      const fft = new ComplexFft(n);
      const out = new Float64Array(2 * n);
      fft.forward(out, input);
      const [er, ei] = naiveDft(re, im);
      const scale = Math.sqrt(n);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(out[2 * k] - er[k]) / scale).toBeLessThan(1e-9);
        expect(Math.abs(out[2 * k + 1] - ei[k]) / scale).toBeLessThan(1e-9);
      }
      const back = new Float64Array(2 * n);
      fft.inverse(back, out);
      for (let i = 0; i < 2 * n; i++) expect(back[i]).toBeCloseTo(input[i], 9);
    },
  );
});

describe('envelope analysis', () => {
  it('recovers the modulation of an AM signal (any length)', () => {
    // x = (1 + 0.5 cos(2 pi 37 t)) cos(2 pi 1500 t): envelope 1 + 0.5 cos(2 pi 37 t)
    const fs = 20_000,
      n = 20_480;
    const x = Array.from(
      { length: n },
      (_, i) => (1 + 0.5 * Math.cos((2 * Math.PI * 37 * i) / fs)) * Math.cos((2 * Math.PI * 1500 * i) / fs),
    );
    const env = envelope(x);
    // away from the edges the analytic envelope is exact up to leakage
    for (let i = 2000; i < n - 2000; i += 97) {
      expect(env[i]).toBeCloseTo(1 + 0.5 * Math.cos((2 * Math.PI * 37 * i) / fs), 2);
    }
    const spec = amplitudeSpectrum(env);
    const bin = Math.round((37 * n) / fs);
    let peak = 1;
    for (let k = 1; k < spec.length; k++) if (spec[k] > spec[peak]) peak = k;
    expect(Math.abs(peak - bin)).toBeLessThanOrEqual(1);
    expect(spec[peak]).toBeGreaterThan(0.4);
  });
});
