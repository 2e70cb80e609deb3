import type { Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/** Continuous uniform on [min, max): mean (a+b)/2, variance (b-a)^2/12. */
export class Uniform implements Distribution {
  readonly kind = 'uniform';
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!(max >= min)) throw new RangeError(`uniform needs min <= max, got ${min}, ${max}`);
  }
  get mean(): number {
    return (this.min + this.max) / 2;
  }
  get variance(): number {
    return (this.max - this.min) ** 2 / 12;
  }
  sample(rng: RandomStream): number {
    return this.min + (this.max - this.min) * rng.uniform();
  }
}
