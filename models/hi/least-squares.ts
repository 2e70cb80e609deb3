/**
 * Ridge-regularised linear least squares via the normal equations (X'X + lambda I) w = X'y, with an
 * unpenalised intercept. The p x p system is small (one row per indicator), solved by mathjs.
 */
import type * as MathJs from 'mathjs';
import { onDemand } from '../../core/on-demand.ts';

/** loaded on first use: most importers of models/ never invert a matrix */
const mathjs = onDemand<typeof MathJs>('mathjs');

export interface LinearFit {
  weights: number[];
  intercept: number;
}

/** rows: n observations of p features (row-major in one array); y: n targets. */
export function fitLinear(x: Float64Array, y: Float64Array, p: number, lambda = 1e-6): LinearFit {
  const n = y.length;
  const q = p + 1; // last column is the intercept
  const xtx = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const xty = new Array<number>(q).fill(0);
  const row = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = x[i * p + j];
    row[p] = 1;
    for (let a = 0; a < q; a++) {
      xty[a] += row[a] * y[i];
      for (let b = a; b < q; b++) xtx[a][b] += row[a] * row[b];
    }
  }
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < a; b++) xtx[a][b] = xtx[b][a];
    if (a < p) xtx[a][a] += lambda * n;
  }
  const sol = mathjs().lusolve(xtx, xty) as number[][];
  const w = sol.map((r) => r[0]);
  return { weights: w.slice(0, p), intercept: w[p] };
}
