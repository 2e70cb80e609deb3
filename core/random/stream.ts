/**
 * Reproducible random streams. Each stream is a xoroshiro128+ generator, seeded by hashing
 * (seed, name) with cyrb128, so streams with different names are independent and adding a new
 * stream never shifts the numbers an existing one produces (common random numbers across plans).
 *
 * The generator is pure-rand's xoroshiro128+ (`xoroshiro128plusFromState`, the same 32-bit halves
 * and the same step), written out here with its state in the stream's own fields, and the stream
 * draws its uniforms 64 at a time into a block it then hands out in order: the sequence is the one
 * pure-rand's `uniformFloat64` gives (test/core/random-stream.test.ts checks it draw for draw),
 * but the simulator's hottest path, a sampler asking for one uniform, becomes an array read
 * instead of two generator calls with their state stores.
 */

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
/** uniforms drawn per refill: a stream that draws one number pays for 64 (about 0.2 us) */
const BLOCK = 64;
const EMPTY = new Float64Array(0);

/** One named random stream: uniform doubles with 53 random bits and standard normals. */
export class RandomStream {
  // xoroshiro128+ state as pure-rand holds it: s0 = (s01:s00), s1 = (s11:s10), high:low 32-bit words
  private s00: number;
  private s01: number;
  private s10: number;
  private s11: number;
  // uniforms drawn ahead (refill) and the next one to hand out: block[pos..end)
  private block = EMPTY;
  private pos = 0;
  private end = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(
    readonly seed: number,
    readonly name: string,
  ) {
    const state = cyrb128(`leadtime:${seed}:${name}`);
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[3] = 1; // all-zero state is degenerate
    // pure-rand's xoroshiro128plusFromState(state) takes [s01, s00, s11, s10]
    this.s01 = state[0];
    this.s00 = state[1];
    this.s11 = state[2];
    this.s10 = state[3];
  }

  /**
   * Uniform on [0, 1), a multiple of 2^-53 (same construction as pure-rand's uniformFloat64): the
   * next number of the stream's block (`refill`). Small on purpose: V8 inlines it into every
   * sampler, where a call would box the double it returns.
   */
  uniform(): number {
    if (this.pos < this.end) return this.block[this.pos++];
    return this.refill();
  }

  /**
   * Draws the next BLOCK uniforms in one go, in the order `uniform()` hands them out, and returns
   * the first. Each is the top 26 bits of one output over the top 27 of the next, each output the
   * low 32 bits of s0 + s1; the state stays in local variables for the whole block.
   */
  private refill(): number {
    if (this.block.length === 0) this.block = new Float64Array(BLOCK);
    const block = this.block;
    let s00 = this.s00;
    let s01 = this.s01;
    let s10 = this.s10;
    let s11 = this.s11;
    for (let i = 0; i < BLOCK; i++) {
      const hi = ((s00 + s10) | 0) & 0x3ffffff;
      let a0 = s10 ^ s00;
      let a1 = s11 ^ s01;
      let n00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      let n01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      s00 = n00;
      s01 = n01;
      const lo = ((s00 + s10) | 0) & 0x7ffffff;
      a0 = s10 ^ s00;
      a1 = s11 ^ s01;
      n00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      n01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      s00 = n00;
      s01 = n01;
      block[i] = hi * SCALE26 + lo * SCALE53;
    }
    this.s00 = s00;
    this.s01 = s01;
    this.s10 = s10;
    this.s11 = s11;
    this.pos = 1;
    this.end = BLOCK;
    return block[0];
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
