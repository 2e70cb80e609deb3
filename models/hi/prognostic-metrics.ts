/**
 * The three prognostic-parameter metrics of Coble & Hines, "Identifying optimal prognostic
 * parameters from data: a genetic algorithms approach", PHM Society 2009, each in [0, 1]:
 *
 *   monotonicity    M = mean_j | #(dx > 0) - #(dx < 0) | / (n_j - 1)
 *   prognosability  P = exp( -sd_j(x_j at failure) / mean_j |x_j at start - x_j at failure| )
 *   trendability    T = min_{j,k} | corr(x_j, x_k) |, trajectories resampled to a common
 *                       life-fraction grid so units of different lengths can be correlated
 *
 * Computed on run-to-failure histories of one candidate indicator (one array per unit).
 */
export function monotonicity(units: ArrayLike<number>[]): number {
  let total = 0;
  for (const x of units) {
    let pos = 0,
      neg = 0;
    for (let i = 1; i < x.length; i++) {
      const d = x[i] - x[i - 1];
      if (d > 0) pos++;
      else if (d < 0) neg++;
    }
    total += x.length > 1 ? Math.abs(pos - neg) / (x.length - 1) : 0;
  }
  return units.length ? total / units.length : 0;
}

export function prognosability(units: ArrayLike<number>[]): number {
  const ends = units.map((x) => x[x.length - 1]);
  const mean = ends.reduce((s, v) => s + v, 0) / ends.length;
  const sd = Math.sqrt(ends.reduce((s, v) => s + (v - mean) ** 2, 0) / ends.length);
  const range = units.reduce((s, x) => s + Math.abs(x[0] - x[x.length - 1]), 0) / units.length;
  return range > 0 ? Math.exp(-sd / range) : 0;
}

/** Linear interpolation of x onto `points` equally spaced life fractions 0..1. */
export function resampleToLife(x: ArrayLike<number>, points = 100): Float64Array {
  const out = new Float64Array(points);
  const n = x.length;
  for (let i = 0; i < points; i++) {
    const pos = n === 1 ? 0 : (i / (points - 1)) * (n - 1);
    const lo = Math.floor(pos),
      hi = Math.min(n - 1, lo + 1);
    out[i] = x[lo] + (x[hi] - x[lo]) * (pos - lo);
  }
  return out;
}

function corr(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0,
    mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

export function trendability(units: ArrayLike<number>[], points = 100): number {
  const r = units.map((x) => resampleToLife(x, points));
  let min = 1;
  for (let j = 0; j < r.length; j++)
    for (let k = j + 1; k < r.length; k++) min = Math.min(min, Math.abs(corr(r[j], r[k])));
  return r.length > 1 ? min : 0;
}

export interface PrognosticScore {
  name: string;
  monotonicity: number;
  trendability: number;
  prognosability: number;
  /** the sum of the three, Coble & Hines' fitness (0..3) */
  fitness: number;
}

export function scoreIndicator(name: string, units: ArrayLike<number>[]): PrognosticScore {
  const m = monotonicity(units),
    t = trendability(units),
    p = prognosability(units);
  return { name, monotonicity: m, trendability: t, prognosability: p, fitness: m + t + p };
}
