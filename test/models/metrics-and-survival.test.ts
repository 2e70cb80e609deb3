import { describe, expect, it } from 'vitest';
import { RandomStream, Weibull } from '../../core/index.ts';
import {
  conditionalRemainingLifeQuantile,
  fitWeibull,
  intervalCoverage,
  mae,
  monotonicity,
  phm08Score,
  prognosability,
  rmse,
  trendability,
  weibullLogLikelihood,
} from '../../models/index.ts';

describe('RUL metrics', () => {
  it('PHM08 score on a hand-computed case', () => {
    // d = -13 (early): e^1 - 1; d = 0: 0; d = +10 (late): e^1 - 1; d = +20: e^2 - 1
    const truth = [50, 50, 50, 50];
    const pred = [37, 50, 60, 70];
    expect(phm08Score(pred, truth)).toBeCloseTo(2 * (Math.E - 1) + (Math.E ** 2 - 1), 12);
    expect(rmse(pred, truth)).toBeCloseTo(Math.sqrt((169 + 0 + 100 + 400) / 4), 12);
    expect(mae(pred, truth)).toBeCloseTo((13 + 0 + 10 + 20) / 4, 12);
    expect(intervalCoverage([0, 45, 55], [10, 55, 60], [5, 60, 55])).toBeCloseTo(2 / 3, 12);
  });
});

describe('prognostic metrics (Coble & Hines 2009)', () => {
  it('monotonicity counts signed steps', () => {
    expect(monotonicity([[1, 2, 3, 4]])).toBe(1);
    expect(monotonicity([[1, 2, 3, 2]])).toBeCloseTo(1 / 3, 12);
    expect(monotonicity([[1, 2, 1, 2, 1]])).toBe(0);
  });
  it('prognosability is 1 when all units fail at the same value', () => {
    expect(
      prognosability([
        [0, 0.5, 1],
        [0.2, 1],
      ]),
    ).toBeCloseTo(Math.exp(0), 12);
    // failure values 1 and 2 (sd 0.5), mean range (1 + 2)/2 = 1.5
    expect(
      prognosability([
        [0, 1],
        [0, 2],
      ]),
    ).toBeCloseTo(Math.exp(-0.5 / 1.5), 12);
  });
  it('trendability is 1 for units with the same shape over different lengths', () => {
    const a = Array.from({ length: 50 }, (_, i) => (i / 49) ** 2);
    const b = Array.from({ length: 200 }, (_, i) => 3 * (i / 199) ** 2 + 1);
    expect(trendability([a, b])).toBeCloseTo(1, 3);
    expect(trendability([a, a.map((v) => -v)])).toBeCloseTo(1, 3);
  });
});

describe('Weibull survival model', () => {
  it('reproduces the published MLE for the Lieblein-Zelen ball-bearing data', () => {
    // 23 fatigue lives (millions of revolutions); Lawless (2003) reports shape 2.102, scale 81.88
    const t = [
      17.88, 28.92, 33.0, 41.52, 42.12, 45.6, 48.48, 51.84, 51.96, 54.12, 55.56, 67.8, 68.64, 68.64, 68.88,
      84.12, 93.12, 98.64, 105.12, 105.84, 127.92, 128.04, 173.4,
    ];
    const fit = fitWeibull(t.map((time) => ({ time, failed: true })));
    expect(fit.shape).toBeCloseTo(2.102, 3);
    expect(fit.scale).toBeCloseTo(81.88, 2);
  });

  it('maximises the censored likelihood (a grid around it is never higher) and recovers the truth', () => {
    const rng = new RandomStream(3, 'weibull-fit');
    const truth = new Weibull(1.8, 100);
    const data = Array.from({ length: 4000 }, () => {
      const life = truth.sample(rng);
      const inspection = 150 * rng.uniform(); // random right-censoring
      return life <= inspection ? { time: life, failed: true } : { time: inspection, failed: false };
    });
    expect(data.filter((d) => !d.failed).length).toBeGreaterThan(1000);
    const fit = fitWeibull(data);
    for (const dk of [-0.02, 0, 0.02])
      for (const dl of [-0.02, 0, 0.02]) {
        expect(weibullLogLikelihood(data, fit.shape * (1 + dk), fit.scale * (1 + dl))).toBeLessThanOrEqual(
          fit.logLikelihood + 1e-9,
        );
      }
    expect(fit.shape).toBeGreaterThan(1.8 * 0.94);
    expect(fit.shape).toBeLessThan(1.8 * 1.06);
    expect(Math.abs(fit.scale / 100 - 1)).toBeLessThan(0.05);
  });

  it('gives conditional remaining-life quantiles with the right survival ratio and coverage', () => {
    const fit = { shape: 2.5, scale: 100 };
    const S = (x: number) => Math.exp(-((x / fit.scale) ** fit.shape));
    const age = 60;
    for (const q of [0.05, 0.5, 0.95]) {
      const x = conditionalRemainingLifeQuantile(fit, age, q);
      expect(S(age + x) / S(age)).toBeCloseTo(1 - q, 10);
    }
    // coverage on lifetimes drawn from the model, conditional on surviving to the age
    const rng = new RandomStream(8, 'coverage');
    const w = new Weibull(fit.shape, fit.scale);
    const lo = conditionalRemainingLifeQuantile(fit, age, 0.05);
    const hi = conditionalRemainingLifeQuantile(fit, age, 0.95);
    let inside = 0,
      n = 0;
    while (n < 20_000) {
      const life = w.sample(rng);
      if (life <= age) continue;
      n++;
      if (life - age >= lo && life - age <= hi) inside++;
    }
    // binomial sd sqrt(0.9*0.1/20000) = 0.0021
    expect(Math.abs(inside / n - 0.9)).toBeLessThan(0.01);
  });
});
