/**
 * The p-quantile as the inverse of the empirical distribution function: the smallest sample value x
 * with F_n(x) >= p, i.e. the order statistic x_(ceil(n p)) (1-based). Definition 1 of Hyndman & Fan,
 * "Sample quantiles in statistical packages", The American Statistician 50(4), 1996. Unlike the
 * interpolating `quantile`, it always returns a sample value and at most a share 1 - p of the sample
 * lies above it: the alarm threshold for a false-alarm rate alpha is its (1 - alpha) quantile.
 */
export function inverseEcdfQuantile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}
