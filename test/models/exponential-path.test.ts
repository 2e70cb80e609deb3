import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { fitExponentialPath, initialPath, type PathNoise } from '../../models/rul/exponential-path.ts';

/**
 * Planted paths HI_i = d + exp(a + b tau_i)(1 + e_i) + u_i with known (a, b, d): the fit must find
 * them, its posterior sd must match the spread of the estimates over replications (the Laplace
 * approximation is the uncertainty the RUL intervals are built from), and the baseline offset must
 * be what keeps the growth rate unbiased.
 */
const A = Math.log(0.5); // level now
const B = 2; // growth per time unit
const rows = 40; // tau from -1.95 to 0
const tau = Float64Array.from({ length: rows }, (_, i) => (i - (rows - 1)) * 0.05);
const noise: PathNoise = { rowVar: 0.02 ** 2, multVar: 0.08 ** 2, offsetVar: 0.02 ** 2 / 10 };
const vague = { mean: [0, 0] as [number, number], sd: [100, 100] as [number, number] };

function planted(rng: RandomStream, d: number): Float64Array {
  return Float64Array.from(
    tau,
    (x) => d + Math.exp(A + B * x) * (1 + 0.08 * rng.normal()) + 0.02 * rng.normal(),
  );
}

describe('exponential path on the index scale (Laplace posterior)', () => {
  it('recovers a planted level and growth rate, and its posterior sd is the spread of the estimates', () => {
    const rng = new RandomStream(21, 'path');
    const reps = 300;
    let insideA = 0,
      insideB = 0;
    const bs: number[] = [];
    let sdB = 0;
    for (let k = 0; k < reps; k++) {
      const d = Math.sqrt(noise.offsetVar) * rng.normal();
      const h = planted(rng, d);
      const f = fitExponentialPath(tau, h, noise, vague, initialPath(tau, h, 0.04, 1));
      // 90% posterior intervals of each parameter hold the planted value about 90% of the time
      if (Math.abs(f.mean[0] - A) <= 1.645 * Math.sqrt(f.cov[0][0])) insideA++;
      if (Math.abs(f.mean[1] - B) <= 1.645 * Math.sqrt(f.cov[1][1])) insideB++;
      bs.push(f.mean[1]);
      sdB += Math.sqrt(f.cov[1][1]) / reps;
    }
    expect(insideA / reps).toBeGreaterThan(0.84);
    expect(insideA / reps).toBeLessThan(0.96);
    expect(insideB / reps).toBeGreaterThan(0.84);
    expect(insideB / reps).toBeLessThan(0.96);
    const mean = bs.reduce((s, v) => s + v, 0) / reps;
    const sd = Math.sqrt(bs.reduce((s, v) => s + (v - mean) ** 2, 0) / (reps - 1));
    expect(Math.abs(mean - B)).toBeLessThan(3 * (sd / Math.sqrt(reps)) + 0.01);
    // the Laplace sd is the Monte-Carlo sd within 20%
    expect(sdB / sd).toBeGreaterThan(0.8);
    expect(sdB / sd).toBeLessThan(1.2);
  });

  it("a baseline offset shared by every row is estimated; ignoring it bends the path's growth rate", () => {
    const rng = new RandomStream(4, 'offset');
    let withErr = 0,
      withoutErr = 0;
    const reps = 100;
    for (let k = 0; k < reps; k++) {
      // the asset's baseline mean came out 1.5 healthy sds high: every row sits 0.03 low
      const h = planted(rng, -0.03);
      const init = initialPath(tau, h, 0.04, 1);
      const fit = fitExponentialPath(tau, h, { ...noise, offsetVar: 0.03 ** 2 }, vague, init);
      const none = fitExponentialPath(tau, h, { ...noise, offsetVar: 0 }, vague, init);
      expect(none.offset).toBe(0);
      withErr += Math.abs(fit.mean[1] - B) / reps;
      withoutErr += Math.abs(none.mean[1] - B) / reps;
      expect(fit.offset).toBeLessThan(0);
    }
    expect(withErr).toBeLessThan(0.7 * withoutErr);
  });

  it('the prior decides what the rows cannot: one row leaves the growth rate at its prior', () => {
    const f = fitExponentialPath(
      Float64Array.of(0),
      Float64Array.of(0.5),
      noise,
      { mean: [0, 1.5], sd: [3, 0.3] },
      [Math.log(0.5), 1.5],
    );
    expect(f.mean[1]).toBeCloseTo(1.5, 6);
    expect(Math.sqrt(f.cov[1][1])).toBeCloseTo(0.3, 4);
    expect(f.mean[0]).toBeCloseTo(Math.log(0.5), 1);
  });

  it('refuses mismatched rows', () => {
    expect(() => fitExponentialPath(Float64Array.of(0, 1), Float64Array.of(1), noise, vague, [0, 1])).toThrow(
      /2 times and 1 values/,
    );
  });
});
