import type { Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/**
 * Empirical: resamples the observed values with equal probability (the bootstrap distribution, as
 * Ciw's and SimPy users' "Empirical"). Mean and variance are those of the sample (1/n convention).
 */
export class Empirical implements Distribution {
  readonly kind = 'empirical';
  private readonly values: Float64Array;
  readonly mean: number;
  readonly variance: number;
  constructor(values: ArrayLike<number>) {
    if (values.length === 0) throw new RangeError('empirical distribution needs at least one value');
    this.values = Float64Array.from(values);
    let sum = 0;
    for (const v of this.values) {
      if (!Number.isFinite(v)) throw new RangeError(`empirical values must be finite, got ${v}`);
      sum += v;
    }
    this.mean = sum / this.values.length;
    let ss = 0;
    for (const v of this.values) ss += (v - this.mean) ** 2;
    this.variance = ss / this.values.length;
  }
  sample(rng: RandomStream): number {
    return this.values[rng.int(this.values.length)];
  }
}
