/**
 * Weighted quantile: the smallest value whose cumulative weight reaches p of the total, i.e. the
 * inverse of the weighted empirical distribution function (the weighted form of Hyndman & Fan's
 * definition 1). Weights need not sum to 1; they must be >= 0.
 */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, p: number): number {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const total = idx.reduce((s, i) => s + weights[i], 0);
  let acc = 0;
  for (const i of idx) {
    acc += weights[i];
    if (acc >= p * total) return values[i];
  }
  return values[idx[idx.length - 1]];
}
