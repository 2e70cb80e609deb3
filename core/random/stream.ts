/**
 * Reproducible random streams. Each stream is a xoroshiro128+ generator from `pure-rand`, seeded by
 * hashing (seed, name) with cyrb128, so streams with different names are independent and adding a
 * new stream never shifts the numbers an existing one produces (common random numbers across plans).
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

interface Generator {
  next(): number;
}

/**
 * cyrb128: a fast 128-bit non-cryptographic string hash (bryc, public domain), used only to spread
 * (seed, name) over the generator's 128-bit state.
 */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}

const SCALE26 = 2 ** -26;
const SCALE53 = 2 ** -53;

/** One named random stream: uniform doubles with 53 random bits and standard normals. */
export class RandomStream {
  private readonly gen: Generator;
  private spare = 0;
  private hasSpare = false;

  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    const state = cyrb128(`leadtime:${seed}:${name}`);
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[3] = 1; // all-zero state is degenerate
    this.gen = xoroshiro128plusFromState(state);
  }

  /** Uniform on [0, 1), a multiple of 2^-53 (same construction as pure-rand's uniformFloat64). */
  uniform(): number {
    const hi = this.gen.next() & 0x3ffffff;
    const lo = this.gen.next() & 0x7ffffff;
    return hi * SCALE26 + lo * SCALE53;
  }

  /** Uniform on (0, 1]: safe inside a logarithm. */
  uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal by Marsaglia's polar method; the spare value is kept per stream. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** A child stream, independent of this one and of its siblings, e.g. per replication or per asset. */
  child(name: string | number): RandomStream {
    return new RandomStream(this.seed, `${this.name}/${name}`);
  }
}

/** The streams of one run: `streams.get('arrivals')` always yields the same sequence for a seed. */
export class RandomStreams {
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  }

  get(name: string): RandomStream {
    return new RandomStream(this.seed, name);
  }
}
