/**
 * Causal smoothers (each output uses only past and present rows, so a smoothed history never sees
 * the future it is asked to predict).
 */

/** Exponentially weighted moving average with smoothing weight alpha in (0, 1]. */
export function ewma(x: ArrayLike<number>, alpha: number): Float64Array {
  const out = new Float64Array(x.length);
  let s = x[0] ?? 0;
  for (let i = 0; i < x.length; i++) out[i] = s = i === 0 ? x[0] : alpha * x[i] + (1 - alpha) * s;
  return out;
}

/** Trailing moving average over up to `window` rows. */
export function trailingMean(x: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    if (i >= window) sum -= x[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}
