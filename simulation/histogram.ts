/**
 * A streaming histogram for durations with fixed log-spaced bins, so quantiles of millions of
 * clocks cost constant memory (about 20 KB) whatever the ticket count. Zero gets its own bin (a
 * ticket picked up at once has respond time exactly 0, which is common); positive values fall in
 * bins [MIN*G^i, MIN*G^(i+1)) with G = 1.01, so a quantile read back is within 1% of the exact
 * sample quantile (relative), plus the linear interpolation inside the bin. The same idea as
 * HdrHistogram / DDSketch with a fixed relative accuracy.
 */
const MIN = 1e-4; // smallest positive value resolved (in the model's time unit: 6 ms for minutes)
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BINS = Math.ceil(Math.log(1e9 / MIN) / LOG_GROWTH); // up to 1e9 units (1900 years in minutes)
const INV_LOG_GROWTH = 1 / LOG_GROWTH;
const INV_MIN = 1 / MIN;

export class LogHistogram {
  /** counts[0]: zeros; counts[1]: (0, MIN); counts[2 + i]: bin i; counts[BINS + 2]: overflow */
  readonly counts = new Float64Array(BINS + 3);
  n = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number): void {
    this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    let bin: number;
    if (value <= 0) bin = 0;
    else if (value < MIN) bin = 1;
    else {
      bin = 2 + Math.floor(Math.log(value * INV_MIN) * INV_LOG_GROWTH);
      if (bin > BINS + 2) bin = BINS + 2;
    }
    this.counts[bin]++;
  }

  get mean(): number {
    return this.n > 0 ? this.sum / this.n : NaN;
  }

  /** Fraction of values strictly above zero (e.g. the probability that a ticket waited). */
  get positiveFraction(): number {
    return this.n > 0 ? (this.n - this.counts[0]) / this.n : NaN;
  }

  /** Fraction of values <= x, exact at 0 and at bin edges, interpolated inside a bin. */
  fractionAtMost(x: number): number {
    if (this.n === 0) return NaN;
    if (x < 0) return 0;
    if (x >= this.max) return 1;
    let below = this.counts[0];
    if (x === 0) return below / this.n;
    if (x < MIN) return (below + this.counts[1] * (x / MIN)) / this.n;
    below += this.counts[1];
    const pos = Math.log(x * INV_MIN) * INV_LOG_GROWTH;
    const bin = Math.min(Math.floor(pos), BINS);
    for (let i = 0; i < bin; i++) below += this.counts[2 + i];
    const lo = MIN * Math.pow(GROWTH, bin);
    const part = (x - lo) / (lo * (GROWTH - 1));
    return Math.min(1, (below + this.counts[2 + bin] * Math.min(1, part)) / this.n);
  }

  /**
   * The q-quantile (0 < q < 1): the value below which a fraction q of the clocks fall, by linear
   * interpolation inside the bin that holds it, clamped to the observed min and max.
   */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const target = q * this.n;
    let cum = this.counts[0];
    if (cum >= target) return 0;
    if (cum + this.counts[1] >= target) {
      const f = (target - cum) / this.counts[1];
      return clamp(MIN * f, this.min, this.max);
    }
    cum += this.counts[1];
    for (let i = 0; i < BINS; i++) {
      const c = this.counts[2 + i];
      if (c > 0 && cum + c >= target) {
        const lo = MIN * Math.pow(GROWTH, i);
        const f = (target - cum) / c;
        return clamp(lo + f * lo * (GROWTH - 1), this.min, this.max);
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

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
