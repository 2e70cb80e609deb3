/**
 * core/statistics against published values: Hyndman & Fan (1996) definitions 1 and 7 on a small
 * sample (R's quantile(type = 1 | 7) and numpy's default give the same numbers), Student t
 * quantiles from the standard table, and the t interval computed by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  confidenceInterval,
  inverseEcdfQuantile,
  median,
  quantile,
  studentTQuantile,
  weightedQuantile,
} from '../../core/index.ts';

// R: x <- c(2, 4, 4, 5, 7, 9, 10, 12); quantile(x, c(0, .1, .25, .5, .75, .9, 1), type = 7)
//    -> 2.00 3.40 4.00 6.00 9.25 10.60 12.00      (numpy.quantile gives the same)
//    type 1 (Hyndman & Fan: j = floor(n p), x_(j) when n p is whole, else x_(j+1)) -> 2 2 4 5 9 12 12
const x = [9, 2, 12, 4, 7, 5, 10, 4];

describe('quantiles', () => {
  it('definition 7 (interpolating) matches R type 7 / numpy', () => {
    const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
    expect(ps.map((p) => quantile(x, p))).toEqual(
      [2, 3.4, 4, 6, 9.25, 10.6, 12].map((v) => expect.closeTo(v, 12)),
    );
  });

  it('definition 1 (inverse ECDF) matches R type 1, and never more than 1 - p of the sample is above it', () => {
    const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
    expect(ps.map((p) => inverseEcdfQuantile(x, p))).toEqual([2, 2, 4, 5, 9, 12, 12]);
    for (const p of [0.9, 0.95, 0.99]) {
      const q = inverseEcdfQuantile(x, p);
      expect(x.filter((v) => v > q).length / x.length).toBeLessThanOrEqual(1 - p + 1e-12);
    }
  });

  it('median: middle value for odd n, mean of the two middle ones for even n; NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median(x)).toBe(6);
    expect(median([])).toBeNaN();
  });

  it('the weighted quantile with equal weights is the inverse-ECDF quantile', () => {
    const w = x.map(() => 0.125);
    for (const p of [0.1, 0.25, 0.5, 0.75, 0.9])
      expect(weightedQuantile(x, w, p)).toBe(inverseEcdfQuantile(x, p));
    // weight moves the quantile: all mass on 12 but a sliver
    expect(weightedQuantile([1, 12], [0.01, 0.99], 0.5)).toBe(12);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => quantile(x, 1.5)).toThrow(RangeError);
    expect(() => inverseEcdfQuantile(x, -0.1)).toThrow(RangeError);
  });
});

describe('Student t and the confidence interval', () => {
  it('t quantiles from the standard table', () => {
    // t_{0.975, df}: 12.706 (1), 2.776 (4), 2.262 (9), 2.042 (30); t_{0.95, 10} = 1.812
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
  });

  it('mean +- t s / sqrt(n), by hand', () => {
    // 10, 12, 14: mean 12, s = 2, half-width t_{0.975,2} * 2 / sqrt 3 = 4.303 * 1.1547 = 4.968
    const i = confidenceInterval([10, 12, 14]);
    expect(i.mean).toBe(12);
    expect(i.halfWidth!).toBeCloseTo(4.968, 3);
    expect(i.n).toBe(3);
    expect(confidenceInterval([NaN, 5])).toMatchObject({ mean: 5, lower: null, n: 1 });
  });
});
