/**
 * Feature binning for histogram-based tree learning (Ke et al., "LightGBM", NeurIPS 2017): each
 * feature's values are replaced by the index of their quantile bin, so a split search scans at most
 * `maxBins` bins instead of every distinct value. Bin b holds the values in (edges[b-1], edges[b]];
 * a split "bin <= b" is the same as "value <= edges[b]", which is how fitted trees store it.
 */

export interface BinnedMatrix {
  /** rows */
  n: number;
  /** features */
  p: number;
  /** column-major bin indices: feature f of row i at f * n + i */
  bins: Uint8Array;
  /** per feature, the sorted upper edges of every bin but the last */
  edges: Float64Array[];
}

/** Upper bin edges of one feature: distinct quantiles of its values, at most maxBins - 1 of them. */
export function binEdges(values: ArrayLike<number>, maxBins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let j = 1; j < maxBins; j++) {
    // the value with a fraction j / maxBins of the values at or below it
    const v = sorted[Math.max(0, Math.floor((j * sorted.length) / maxBins) - 1)];
    // an edge at the maximum would leave the last bin empty
    if (v < sorted[sorted.length - 1] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v);
  }
  // few distinct values: one bin each, so no split between two of them is lost
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length < maxBins; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length < maxBins) return Float64Array.from(distinct.slice(0, -1));
  return Float64Array.from(edges);
}

/** The bin of a value: the number of edges below it (binary search). */
export function binOf(edges: Float64Array, v: number): number {
  let lo = 0,
    hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins a row-major n x p matrix; every value must be finite. */
export function binMatrix(x: Float64Array, n: number, p: number, maxBins = 64): BinnedMatrix {
  if (maxBins < 2 || maxBins > 256) throw new Error(`maxBins: expected 2..256, got ${maxBins}`);
  const bins = new Uint8Array(n * p);
  const edges: Float64Array[] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) {
      const v = x[i * p + f];
      if (!Number.isFinite(v)) throw new Error(`feature ${f} of row ${i} is ${v}: expected a finite number`);
      col[i] = v;
    }
    const e = binEdges(col, maxBins);
    edges.push(e);
    for (let i = 0; i < n; i++) bins[f * n + i] = binOf(e, col[i]);
  }
  return { n, p, bins, edges };
}
