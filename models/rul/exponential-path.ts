/**
 * One asset's exponential degradation path fitted on the health index's own scale, with the noise
 * a baseline-relative index really has (Gebraeel et al. 2005's model, without taking the log of
 * noisy values):
 *
 *   HI_i = d + exp(a + b tau_i) (1 + e_i) + u_i,   e_i ~ N(0, m2),  u_i ~ N(0, s2),  d ~ N(0, d2)
 *
 *  - tau_i = (t_i - now) / timeScale, so a is the log level now and b the growth rate;
 *  - u_i is the index's healthy (additive) noise and e_i the multiplicative noise of a growing
 *    defect, so the faint rows after the anomaly onset weigh by their true precision instead of
 *    as logs of noise (the log of an index near its noise is biased and selected by the FPT);
 *  - d is the error of the asset's own baseline mean, shared by every row: the index is each
 *    indicator minus the mean of the asset's first rows, so that mean's error (variance s2 / B)
 *    shifts the whole path and bends its log at the low end.
 *
 * The posterior of (a, b, d) under a normal prior on (a, b) is found by Gauss-Newton with step
 * halving and approximated by a normal at its mode (Laplace; the Gauss-Newton information as the
 * precision). Its (a, b) block feeds Gebraeel's residual-life distribution (residual-life.ts).
 */
import type { Gaussian2 } from './bayesian-linear.ts';

export interface PathNoise {
  /** additive (healthy) row variance of the index */
  rowVar: number;
  /** multiplicative variance: relative noise of a grown defect's level */
  multVar: number;
  /** variance of the baseline-mean offset shared by every row (0: no offset term) */
  offsetVar: number;
}

export interface PathPrior {
  /** prior means of (log level now, growth rate per time unit) */
  mean: [number, number];
  /** prior sds of the same */
  sd: [number, number];
}

export interface PathFit extends Gaussian2 {
  /** the fitted baseline offset d */
  offset: number;
  /** the negative log posterior at the fit (up to a constant) */
  objective: number;
}

type M3 = [[number, number, number], [number, number, number], [number, number, number]];

function inverse3(m: M3): M3 {
  const c = (r0: number, r1: number, c0: number, c1: number) => m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
  const det = m[0][0] * c(1, 2, 1, 2) - m[0][1] * c(1, 2, 0, 2) + m[0][2] * c(1, 2, 0, 1);
  return [
    [c(1, 2, 1, 2) / det, -c(0, 2, 1, 2) / det, c(0, 1, 1, 2) / det],
    [-c(1, 2, 0, 2) / det, c(0, 2, 0, 2) / det, -c(0, 1, 0, 2) / det],
    [c(1, 2, 0, 1) / det, -c(0, 2, 0, 1) / det, c(0, 1, 0, 1) / det],
  ];
}

/**
 * A starting point: the least-squares line through the logs of the rows above `floor` (at least
 * 3 of them, rising), else the last row's level at the given growth rate.
 */
export function initialPath(
  tau: ArrayLike<number>,
  h: ArrayLike<number>,
  floor: number,
  rate: number,
): [number, number] {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < tau.length; i++) {
    if (!(h[i] > floor)) continue;
    const y = Math.log(h[i]);
    n++;
    sx += tau[i];
    sy += y;
    sxx += tau[i] * tau[i];
    sxy += tau[i] * y;
  }
  if (n >= 3) {
    const b = (sxy - (sx * sy) / n) / (sxx - (sx * sx) / n);
    if (b > 0 && Number.isFinite(b)) return [(sy - b * sx) / n, b];
  }
  return [Math.log(Math.max(h[h.length - 1], floor)), rate];
}

/** The Laplace posterior of the path; throws when the rows cannot identify it. */
export function fitExponentialPath(
  tau: ArrayLike<number>,
  h: ArrayLike<number>,
  noise: PathNoise,
  prior: PathPrior,
  init: [number, number],
): PathFit {
  if (tau.length !== h.length || tau.length === 0)
    throw new RangeError(`exponential path: ${tau.length} times and ${h.length} values`);
  const pa = 1 / prior.sd[0] ** 2,
    pb = 1 / prior.sd[1] ** 2;
  const withOffset = noise.offsetVar > 0;
  const pd = withOffset ? 1 / noise.offsetVar : 1;
  const objective = (a: number, b: number, d: number): number => {
    let f = 0.5 * (pa * (a - prior.mean[0]) ** 2 + pb * (b - prior.mean[1]) ** 2 + pd * d * d);
    for (let i = 0; i < tau.length; i++) {
      const mu = Math.exp(a + b * tau[i]);
      const v = noise.rowVar + noise.multVar * mu * mu;
      const r = h[i] - d - mu;
      f += 0.5 * ((r * r) / v + Math.log(v));
    }
    return f;
  };
  // Gauss-Newton information (upper triangle: aa ab ad bb bd dd) and score at (a, b, d)
  const info = new Float64Array(6);
  const g = new Float64Array(3);
  const derivatives = (a: number, b: number, d: number): void => {
    let aa = pa,
      ab = 0,
      ad = 0,
      bb = pb,
      bd = 0,
      dd = pd,
      ga = -pa * (a - prior.mean[0]),
      gb = -pb * (b - prior.mean[1]),
      gd = -pd * d;
    for (let i = 0; i < tau.length; i++) {
      const mu = Math.exp(a + b * tau[i]);
      const w = 1 / (noise.rowVar + noise.multVar * mu * mu);
      const ja = mu,
        jb = mu * tau[i];
      const wr = w * (h[i] - d - mu);
      aa += w * ja * ja;
      ab += w * ja * jb;
      bb += w * jb * jb;
      ga += ja * wr;
      gb += jb * wr;
      if (withOffset) {
        ad += w * ja;
        bd += w * jb;
        dd += w;
        gd += wr;
      }
    }
    info[0] = aa;
    info[1] = ab;
    info[2] = ad;
    info[3] = bb;
    info[4] = bd;
    info[5] = dd;
    g[0] = ga;
    g[1] = gb;
    g[2] = gd;
  };
  const matrix = (): M3 => [
    [info[0], info[1], info[2]],
    [info[1], info[3], info[4]],
    [info[2], info[4], info[5]],
  ];
  let [a, b] = init;
  let d = 0;
  let f = objective(a, b, d);
  for (let iter = 0; iter < 100; iter++) {
    derivatives(a, b, d);
    const inv = inverse3(matrix());
    const step = inv.map((row) => row[0] * g[0] + row[1] * g[1] + row[2] * g[2]);
    // at most one log unit at a time: exp() turns larger steps into overflow
    const big = Math.max(Math.abs(step[0]), Math.abs(step[1]));
    if (big > 1) for (let x = 0; x < 3; x++) step[x] /= big;
    let k = 1,
      next = objective(a + step[0], b + step[1], d + step[2]);
    while (!(next <= f) && k > 1e-4) {
      k /= 2;
      next = objective(a + k * step[0], b + k * step[1], d + k * step[2]);
    }
    if (!(next <= f)) break;
    a += k * step[0];
    b += k * step[1];
    d += k * step[2];
    f = next;
    // converged: the step moved the log level and rate by under 1e-6
    if (k * Math.max(Math.abs(step[0]), Math.abs(step[1])) < 1e-6) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b))
    throw new Error('exponential path: the fit diverged (rows without a rising level)');
  derivatives(a, b, d);
  const cov = inverse3(matrix());
  return {
    mean: [a, b],
    cov: [
      [cov[0][0], cov[0][1]],
      [cov[1][0], cov[1][1]],
    ],
    offset: withOffset ? d : 0,
    objective: f,
  };
}
