/**
 * Time-domain condition indicators of a vibration snapshot, on the mean-removed signal with the
 * population (1/N) moment convention (as numpy's mean/std): RMS, peak |x|, peak-to-peak, crest
 * factor peak/RMS, kurtosis E[x^4]/sigma^4 (normal = 3), skewness E[x^3]/sigma^3, shape factor
 * RMS/mean|x| and impulse factor peak/mean|x| (Randall, Vibration-based Condition Monitoring, 2nd
 * ed., 2021, ch. 5; the definitions in numpy_features.py). One pass for the moments after the mean.
 */
export interface TimeDomainFeatures {
  rms: number;
  peak: number;
  p2p: number;
  crest: number;
  kurtosis: number;
  skewness: number;
  shape: number;
  impulse: number;
}

/** Mean of x. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Writes x - mean(x) into out and returns out. */
export function removeMean(
  x: ArrayLike<number>,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const m = mean(x);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - m;
  return out;
}

/** Indicators of a signal that already has its mean removed. */
export function timeDomainFeatures(xc: Float64Array): TimeDomainFeatures {
  const n = xc.length;
  let s2 = 0,
    s3 = 0,
    s4 = 0,
    sAbs = 0,
    max = -Infinity,
    min = Infinity;
  for (let i = 0; i < n; i++) {
    const v = xc[i];
    const v2 = v * v;
    s2 += v2;
    s3 += v2 * v;
    s4 += v2 * v2;
    sAbs += Math.abs(v);
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const m2 = s2 / n;
  const rms = Math.sqrt(m2);
  const peak = Math.max(max, -min);
  const mabs = sAbs / n;
  // numpy's x.std() re-centres; the residual mean of xc is ~1e-17 and cannot move m2 by 1e-6
  return {
    rms,
    peak,
    p2p: max - min,
    crest: peak / rms,
    kurtosis: s4 / n / (m2 * m2),
    skewness: s3 / n / (m2 * rms),
    shape: rms / mabs,
    impulse: peak / mabs,
  };
}
