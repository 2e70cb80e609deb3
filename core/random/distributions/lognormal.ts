import { requirePositive, type Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/**
 * Lognormal given the mean and standard deviation of the variable itself (as service times are
 * usually quoted). With s2 = ln(1 + sd^2/mean^2): X = exp(mu + s Z), mu = ln(mean) - s2/2
 * (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions, vol. 1, ch. 14).
 */
export class Lognormal implements Distribution {
  readonly kind = 'lognormal';
  readonly mu: number;
  readonly sigma: number;
  constructor(
    readonly mean: number,
    readonly sd: number,
  ) {
    requirePositive(mean, 'lognormal mean');
    requirePositive(sd, 'lognormal sd');
    const s2 = Math.log(1 + (sd * sd) / (mean * mean));
    this.sigma = Math.sqrt(s2);
    this.mu = Math.log(mean) - s2 / 2;
  }
  get variance(): number {
    return this.sd * this.sd;
  }
  sample(rng: RandomStream): number {
    return Math.exp(this.mu + this.sigma * rng.normal());
  }
}
