import type { Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/** Normal(mean, sd) from the stream's Marsaglia polar standard normals. */
export class Normal implements Distribution {
  readonly kind = 'normal';
  constructor(
    readonly mean: number,
    readonly sd: number,
  ) {
    if (!(sd >= 0 && Number.isFinite(sd))) throw new RangeError(`normal sd must be >= 0, got ${sd}`);
  }
  get variance(): number {
    return this.sd * this.sd;
  }
  sample(rng: RandomStream): number {
    return this.mean + this.sd * rng.normal();
  }
}
