import { gammaln } from 'simple-statistics';
import { requirePositive, type Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/**
 * Weibull(shape k, scale lambda) by inversion: X = lambda * (-ln U)^(1/k).
 * Mean lambda*Gamma(1+1/k), variance lambda^2*(Gamma(1+2/k) - Gamma(1+1/k)^2).
 */
export class Weibull implements Distribution {
  readonly kind = 'weibull';
  constructor(
    readonly shape: number,
    readonly scale: number,
  ) {
    requirePositive(shape, 'weibull shape');
    requirePositive(scale, 'weibull scale');
  }
  get mean(): number {
    return this.scale * Math.exp(gammaln(1 + 1 / this.shape));
  }
  get variance(): number {
    const g1 = Math.exp(gammaln(1 + 1 / this.shape));
    const g2 = Math.exp(gammaln(1 + 2 / this.shape));
    return this.scale * this.scale * (g2 - g1 * g1);
  }
  sample(rng: RandomStream): number {
    return this.scale * Math.pow(-Math.log(rng.uniformPositive()), 1 / this.shape);
  }
}
