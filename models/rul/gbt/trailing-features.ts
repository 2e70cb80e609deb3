/**
 * Window features of a history at every row, from the rows up to it only (so a truncated history
 * gives the same features at its last row as the full trajectory did there): per channel the
 * trailing mean, standard deviation and least-squares slope over the last w rows (fewer at the
 * start), and the drift of the shortest trailing mean from the mean of the first `baseline` rows
 * (each engine's own healthy level); plus the asset's age. These are the usual inputs of
 * gradient-boosted RUL baselines on C-MAPSS (rolling statistics over the last N cycles plus the
 * cycle count).
 */

export interface TrailingFeatureSpec {
  /** trailing-mean windows, rows; the first is also the drift's numerator */
  means: number[];
  /** trailing standard-deviation windows */
  sds: number[];
  /** trailing least-squares slope windows */
  slopes: number[];
  /** rows averaged as the asset's own starting level (0 = no drift feature) */
  baseline: number;
}

/** Feature names in column order, for channels `channels`; the last is `age`. */
export function trailingFeatureNames(channels: string[], spec: TrailingFeatureSpec): string[] {
  const names: string[] = [];
  for (const c of channels) {
    for (const w of spec.means) names.push(`${c}:mean${w}`);
    for (const w of spec.sds) names.push(`${c}:sd${w}`);
    for (const w of spec.slopes) names.push(`${c}:slope${w}`);
    if (spec.baseline > 0) names.push(`${c}:drift`);
  }
  names.push('age');
  return names;
}

/**
 * Row-major features (rows x names) of columns `cols` (one per channel) over `t`; `from` skips the
 * first rows of the output (prediction needs only the last).
 */
export function trailingFeatures(
  cols: ArrayLike<number>[],
  t: ArrayLike<number>,
  spec: TrailingFeatureSpec,
  from = 0,
): { x: Float64Array; rows: number; p: number } {
  const n = t.length;
  const perChannel = spec.means.length + spec.sds.length + spec.slopes.length + (spec.baseline > 0 ? 1 : 0);
  const p = cols.length * perChannel + 1;
  const rows = Math.max(0, n - from);
  const x = new Float64Array(rows * p);
  // prefix sums: S[i] = sum of the first i values (of y, y^2, j y)
  const s1 = new Float64Array(n + 1),
    s2 = new Float64Array(n + 1),
    sj = new Float64Array(n + 1);
  cols.forEach((y, c) => {
    for (let i = 0; i < n; i++) {
      s1[i + 1] = s1[i] + y[i];
      s2[i + 1] = s2[i] + y[i] * y[i];
      sj[i + 1] = sj[i] + i * y[i];
    }
    const nb = Math.min(spec.baseline, n);
    for (let i = from; i < n; i++) {
      let k = (i - from) * p + c * perChannel;
      for (const w of spec.means) {
        const a = Math.max(0, i - w + 1);
        x[k++] = (s1[i + 1] - s1[a]) / (i + 1 - a);
      }
      for (const w of spec.sds) {
        const a = Math.max(0, i - w + 1);
        const m = i + 1 - a;
        const mean = (s1[i + 1] - s1[a]) / m;
        x[k++] = Math.sqrt(Math.max(0, (s2[i + 1] - s2[a]) / m - mean * mean));
      }
      for (const w of spec.slopes) {
        const a = Math.max(0, i - w + 1);
        const m = i + 1 - a;
        // least squares of y on the row index j over rows a..i
        const sx = ((a + i) * m) / 2;
        const sxx = (i * (i + 1) * (2 * i + 1) - (a - 1) * a * (2 * a - 1)) / 6;
        const den = m * sxx - sx * sx;
        x[k++] = den > 0 ? (m * (sj[i + 1] - sj[a]) - sx * (s1[i + 1] - s1[a])) / den : 0;
      }
      if (spec.baseline > 0) {
        const a = Math.max(0, i - spec.means[0] + 1);
        const base = Math.min(nb, i + 1);
        x[k++] = (s1[i + 1] - s1[a]) / (i + 1 - a) - s1[base] / base;
      }
    }
  });
  for (let i = from; i < n; i++) x[(i - from) * p + p - 1] = t[i];
  return { x, rows, p };
}
