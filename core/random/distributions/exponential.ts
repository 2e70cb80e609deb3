import { requirePositive, type Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/** Exponential with the given mean, by inversion: X = -mean * ln(U), U on (0,1]. Variance mean^2. */
export class Exponential implements Distribution {
  readonly kind = 'exponential';
  constructor(readonly mean: number) {
    requirePositive(mean, 'exponential mean');
  }
  get variance(): number {
    return this.mean * this.mean;
  }
  sample(rng: RandomStream): number {
    return -this.mean * Math.log(rng.uniformPositive());
  }
}
