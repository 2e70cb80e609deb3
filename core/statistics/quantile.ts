/**
 * The empirical p-quantile of a sample by linear interpolation between order statistics:
 * Q(p) = x_(j) + g (x_(j+1) - x_(j)) with h = (n - 1) p, j = floor(h), g = h - j (0-based order
 * statistics). This is definition 7 of R. J. Hyndman & Y. Fan, "Sample quantiles in statistical
 * packages", The American Statistician 50(4), 1996 — R's and numpy's default. NaN for an empty sample.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  const s = Float64Array.from(values).sort();
  return quantileSorted(s, p);
}

/** `quantile` of values already sorted ascending (no copy). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const j = Math.floor(h);
  const k = Math.min(n - 1, j + 1);
  return sorted[j] + (h - j) * (sorted[k] - sorted[j]);
}
