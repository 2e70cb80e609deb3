import type { RandomStream } from '../stream.ts';

/** A univariate distribution that can be sampled from a stream and states its first two moments. */
export interface Distribution {
  readonly kind: string;
  /** Draws one value using the stream's uniforms (the stream holds all state). */
  sample(rng: RandomStream): number;
  readonly mean: number;
  readonly variance: number;
}

export function requirePositive(value: number, what: string): void {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`${what} must be a finite number > 0, got ${value}`);
}
