/**
 * Bayesian linear regression y = a + b x + e, e ~ N(0, s2), with a bivariate normal prior on (a, b)
 * and known noise variance: the conjugate update (Bishop, Pattern Recognition and Machine Learning,
 * eq. 3.50-3.51):  Sn = (S0^-1 + X'X / s2)^-1,  mn = Sn (S0^-1 m0 + X'y / s2). With one variance
 * per row (heteroscedastic noise) X'X / s2 becomes X' diag(1/s2_i) X, and likewise X'y.
 * Used by the degradation models to update fleet-level parameters with one asset's data.
 */
export interface Gaussian2 {
  mean: [number, number];
  /** covariance [[saa, sab], [sab, sbb]] */
  cov: [[number, number], [number, number]];
}

function inv2(m: [[number, number], [number, number]]): [[number, number], [number, number]] {
  const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
  return [
    [m[1][1] / det, -m[0][1] / det],
    [-m[1][0] / det, m[0][0] / det],
  ];
}

export function posterior(
  prior: Gaussian2,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  noiseVar: number | ArrayLike<number>,
): Gaussian2 {
  // sums weighted by each row's precision 1/s2_i
  let n = 0,
    sx = 0,
    sxx = 0,
    sy = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const w = 1 / (typeof noiseVar === 'number' ? noiseVar : noiseVar[i]);
    n += w;
    sx += w * x[i];
    sxx += w * x[i] * x[i];
    sy += w * y[i];
    sxy += w * x[i] * y[i];
  }
  const p0 = inv2(prior.cov);
  const prec: [[number, number], [number, number]] = [
    [p0[0][0] + n, p0[0][1] + sx],
    [p0[1][0] + sx, p0[1][1] + sxx],
  ];
  const cov = inv2(prec);
  const r0 = p0[0][0] * prior.mean[0] + p0[0][1] * prior.mean[1] + sy;
  const r1 = p0[1][0] * prior.mean[0] + p0[1][1] * prior.mean[1] + sxy;
  return { mean: [cov[0][0] * r0 + cov[0][1] * r1, cov[1][0] * r0 + cov[1][1] * r1], cov };
}

/** Ordinary least squares a + b x, and the residual variance. */
export function ols(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { a: number; b: number; residualVar: number } {
  const n = x.length;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - a - b * x[i]) ** 2;
  return { a, b, residualVar: n > 2 ? rss / (n - 2) : 0 };
}

/** Draws from a bivariate normal with a Cholesky factor, given two standard normals. */
export function drawGaussian2(g: Gaussian2, z1: number, z2: number): [number, number] {
  const l11 = Math.sqrt(Math.max(g.cov[0][0], 0));
  const l21 = l11 > 0 ? g.cov[1][0] / l11 : 0;
  const l22 = Math.sqrt(Math.max(g.cov[1][1] - l21 * l21, 0));
  return [g.mean[0] + l11 * z1, g.mean[1] + l21 * z1 + l22 * z2];
}
