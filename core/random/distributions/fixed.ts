import type { Distribution } from './distribution.ts';
import type { RandomStream } from '../stream.ts';

/** A constant: every draw is `value` (deterministic service, e.g. M/D/1). */
export class Fixed implements Distribution {
  readonly kind = 'fixed';
  readonly variance = 0;
  constructor(readonly mean: number) {
    if (!Number.isFinite(mean)) throw new RangeError(`fixed value must be finite, got ${mean}`);
  }
  sample(_rng: RandomStream): number {
    return this.mean;
  }
}
