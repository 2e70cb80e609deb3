/**
 * A streaming histogram for durations with fixed bins, so quantiles of millions of clocks cost
 * constant memory (about 45 KB) whatever the ticket count. Bins follow the binary floating-point
 * layout, as HdrHistogram does: each power of two [2^e, 2^(e+1)) is split into 128 equal
 * sub-bins, so a bin is at most 1/128 (0.8%) of its value wide and a quantile read back (linear
 * inside its bin) is within 0.8% of the exact sample quantile. The bin index comes from the
 * exponent and top mantissa bits, read through a typed-array view: no logarithm per value.
 * Zero gets its own bin (a ticket picked up at once has respond time exactly 0, which is common).
 */
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MIN_EXP = -14; // 2^-14 minutes = 3.7 ms: smaller positive values share one bin
const MAX_EXP = 30; // 2^31 minutes = 4000 years: larger values share the overflow bin
const OCTAVES = MAX_EXP - MIN_EXP + 1;
const FIRST = 2; // counts[0]: zeros, counts[1]: (0, 2^MIN_EXP)
const OVERFLOW = FIRST + OCTAVES * SUB;
const SMALLEST = 2 ** MIN_EXP;

// one shared scratch double, read as two 32-bit words (little-endian, as on every platform Node runs on)
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);

/** The bin of a positive value. */
function binOf(value: number): number {
  if (value < SMALLEST) return 1;
  scratch[0] = value;
  const hi = words[1];
  const octave = ((hi >>> 20) & 0x7ff) - 1023 - MIN_EXP;
  if (octave >= OCTAVES) return OVERFLOW;
  return FIRST + octave * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1));
}

/** Lower edge and width of bin b (FIRST <= b < OVERFLOW). */
function binLow(b: number): number {
  const i = b - FIRST;
  const base = 2 ** ((i >> SUB_BITS) + MIN_EXP);
  return base * (1 + (i & (SUB - 1)) / SUB);
}
function binWidth(b: number): number {
  return 2 ** (((b - FIRST) >> SUB_BITS) + MIN_EXP) / SUB;
}

export class LogHistogram {
  readonly counts = new Float64Array(OVERFLOW + 1);
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number): void {
    this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.counts[value > 0 ? binOf(value) : 0]++;
  }

  get mean(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }

  /** Fraction of values strictly above zero (e.g. the probability that a ticket waited). */
  get positiveFraction(): number {
    return this.n > 0 ? (this.n - this.counts[0]) / this.n : NaN;
  }

  /** Fraction of values <= x: exact at 0 and at bin edges, interpolated inside a bin. */
  fractionAtMost(x: number): number {
    if (this.n === 0) return NaN;
    if (x < 0) return 0;
    if (x >= this.max) return 1;
    if (x === 0) return this.counts[0] / this.n;
    const b = binOf(x);
    let below = 0;
    for (let i = 0; i < b; i++) below += this.counts[i];
    const part = b === 1 ? x / SMALLEST : b === OVERFLOW ? 0 : (x - binLow(b)) / binWidth(b);
    return Math.min(1, (below + this.counts[b] * part) / this.n);
  }

  /**
   * The q-quantile (0 < q < 1): the value below which a fraction q of the values fall, by linear
   * interpolation inside the bin that holds it, clamped to the observed min and max.
   */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const target = q * this.n;
    let cum = this.counts[0];
    if (cum >= target) return 0;
    for (let b = 1; b <= OVERFLOW; b++) {
      const c = this.counts[b];
      if (c > 0 && cum + c >= target) {
        const f = (target - cum) / c;
        const value = b === 1 ? f * SMALLEST : b === OVERFLOW ? this.max : binLow(b) + f * binWidth(b);
        return value < this.min ? this.min : value > this.max ? this.max : value;
      }
      cum += c;
    }
    return this.max;
  }

  clear(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }
}
