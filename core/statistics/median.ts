import { quantile } from './quantile.ts';

/**
 * The sample median: the 0.5 quantile of definition 7 (Hyndman & Fan 1996), i.e. the middle order
 * statistic for odd n and the mean of the two middle ones for even n. NaN for an empty sample.
 */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
