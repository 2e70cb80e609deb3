import { describe, expect, it } from 'vitest';
import {
  Empirical,
  Exponential,
  Fixed,
  Gamma,
  Lognormal,
  Normal,
  RandomStream,
  Triangular,
  Uniform,
  Weibull,
  type Distribution,
} from '../../core/index.ts';

const N = 200_000;

function moments(d: Distribution, seed = 11): { mean: number; variance: number; min: number } {
  const s = new RandomStream(seed, d.kind);
  let sum = 0,
    ss = 0,
    min = Infinity;
  for (let i = 0; i < N; i++) {
    const x = d.sample(s);
    sum += x;
    ss += x * x;
    if (x < min) min = x;
  }
  const mean = sum / N;
  return { mean, variance: ss / N - mean * mean, min };
}

/**
 * Each case: the distribution, its mean and variance from textbook closed forms written out here
 * (independently of the classes' own mean/variance getters), and the lower bound of its support.
 */
const cases: [string, Distribution, number, number, number][] = [
  ['uniform(2,5)', new Uniform(2, 5), 3.5, 9 / 12, 2],
  ['exponential(mean 3)', new Exponential(3), 3, 9, 0],
  ['normal(10, 2)', new Normal(10, 2), 10, 4, -Infinity],
  // lognormal quoted by its own mean and sd
  ['lognormal(mean 4, sd 2)', new Lognormal(4, 2), 4, 4, 0],
  // gamma shape 4 scale 0.5 -> mean 2, var 1; shape 0.25 exercises the k<1 boost (mean 1, sd 2)
  ['gamma(mean 2, sd 1)', new Gamma(2, 1), 2, 1, 0],
  ['gamma(mean 1, sd 2) shape<1', new Gamma(1, 2), 1, 4, 0],
  // weibull shape 1 is exponential(scale); shape 2 is Rayleigh: mean s*sqrt(pi)/2, var s^2 (4-pi)/4
  ['weibull(1, 5)', new Weibull(1, 5), 5, 25, 0],
  ['weibull(2, 3)', new Weibull(2, 3), (3 * Math.sqrt(Math.PI)) / 2, (9 * (4 - Math.PI)) / 4, 0],
  // triangular(0, 1, 4): mean 5/3, var (0+16+1-0-0-4)/18 = 13/18
  ['triangular(0,1,4)', new Triangular(0, 1, 4), 5 / 3, 13 / 18, 0],
];

describe('distributions match their known moments', () => {
  it.each(cases)('%s', (_name, d, mean, variance, lower) => {
    const m = moments(d);
    const se = Math.sqrt(variance / N);
    expect(Math.abs(m.mean - mean)).toBeLessThan(5 * se);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.05);
    expect(m.min).toBeGreaterThanOrEqual(lower);
    // the classes' own stated moments agree with the closed forms
    expect(d.mean).toBeCloseTo(mean, 9);
    expect(d.variance).toBeCloseTo(variance, 9);
  });

  it('fixed always returns its value', () => {
    const s = new RandomStream(1, 'f');
    const d = new Fixed(30);
    expect([d.sample(s), d.sample(s), d.mean, d.variance]).toEqual([30, 30, 30, 0]);
  });

  it('empirical resamples only observed values, in proportion', () => {
    const d = new Empirical([1, 2, 2, 7]);
    const s = new RandomStream(3, 'e');
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const v = d.sample(s);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 7]);
    expect(counts.get(2)! / N).toBeCloseTo(0.5, 2);
    expect(d.mean).toBe(3);
    expect(d.variance).toBeCloseTo((4 + 1 + 1 + 16) / 4, 12);
  });

  it('rejects bad parameters', () => {
    expect(() => new Exponential(0)).toThrow(/mean must be/);
    expect(() => new Triangular(3, 1, 2)).toThrow(/min <= mode <= max/);
    expect(() => new Empirical([])).toThrow(/at least one/);
    expect(() => new Weibull(-1, 1)).toThrow(/shape/);
  });
});
