/**
 * RUL accuracy metrics of the C-MAPSS protocol. d = predicted - true.
 * PHM08 score (Saxena et al., PHM 2008): sum of exp(-d/13) - 1 for d < 0 (early) and
 * exp(d/10) - 1 for d >= 0 (late), penalising late predictions more.
 */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - truth[i]) ** 2;
  return Math.sqrt(s / pred.length);
}

export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - truth[i]);
  return s / pred.length;
}

export function phm08Score(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - truth[i];
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return s;
}

/** Fraction of truths inside [lower, upper]. */
export function intervalCoverage(
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  truth: ArrayLike<number>,
): number {
  let c = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] >= lower[i] && truth[i] <= upper[i]) c++;
  return c / truth.length;
}

export function meanWidth(lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < lower.length; i++) s += upper[i] - lower[i];
  return s / lower.length;
}
