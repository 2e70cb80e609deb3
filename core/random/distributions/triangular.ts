import type { Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/**
 * Triangular(min a, mode c, max b) by inversion of its CDF. Mean (a+b+c)/3,
 * variance (a^2+b^2+c^2-ab-ac-bc)/18.
 */
export class Triangular implements Distribution {
  readonly kind = 'triangular';
  constructor(
    readonly min: number,
    readonly mode: number,
    readonly max: number,
  ) {
    if (!(min <= mode && mode <= max && min < max)) {
      throw new RangeError(`triangular needs min <= mode <= max and min < max, got ${min}, ${mode}, ${max}`);
    }
  }
  get mean(): number {
    return (this.min + this.mode + this.max) / 3;
  }
  get variance(): number {
    const { min: a, mode: c, max: b } = this;
    return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
  }
  sample(rng: RandomStream): number {
    const { min: a, mode: c, max: b } = this;
    const u = rng.uniform();
    const f = (c - a) / (b - a);
    return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
  }
}
