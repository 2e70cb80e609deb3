import { requirePositive, type Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/**
 * Gamma given mean and sd: shape k = mean^2/sd^2, scale = sd^2/mean. Sampled by Marsaglia & Tsang,
 * "A simple method for generating gamma variables", ACM TOMS 26(3), 2000; for k < 1 the boost
 * G(k) = G(k+1) * U^(1/k) from the same paper.
 */
export class Gamma implements Distribution {
  readonly kind = 'gamma';
  readonly shape: number;
  readonly scale: number;
  constructor(
    readonly mean: number,
    readonly sd: number,
  ) {
    requirePositive(mean, 'gamma mean');
    requirePositive(sd, 'gamma sd');
    this.shape = (mean * mean) / (sd * sd);
    this.scale = (sd * sd) / mean;
  }
  get variance(): number {
    return this.sd * this.sd;
  }
  sample(rng: RandomStream): number {
    return this.scale * sampleStandardGamma(rng, this.shape);
  }
}

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000). */
export function sampleStandardGamma(rng: RandomStream, shape: number): number {
  if (shape < 1) return sampleStandardGamma(rng, shape + 1) * Math.pow(rng.uniformPositive(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniformPositive();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
