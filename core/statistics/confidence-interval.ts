import { studentTQuantile } from './student-t.ts';

/** A mean across replications with its 95% confidence interval (null where it cannot be computed). */
export interface Interval {
  mean: number | null;
  lower: number | null;
  upper: number | null;
  halfWidth: number | null;
  /** replications that contributed a finite value */
  n: number;
}

/**
 * The Student t confidence interval for the mean of independent replications:
 * mean +- t_{1-alpha/2, n-1} * s / sqrt(n), s the sample standard deviation (Law, Simulation
 * Modeling and Analysis, 5th ed., section 9.4.1). Non-finite values (a tier with no tickets in a
 * replication) are left out and `n` says how many remained. One value gives a mean and no interval.
 */
export function confidenceInterval(values: ArrayLike<number>, level = 0.95): Interval {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      n++;
      sum += values[i];
    }
  }
  if (n === 0) return { mean: null, lower: null, upper: null, halfWidth: null, n: 0 };
  const mean = sum / n;
  if (n === 1) return { mean, lower: null, upper: null, halfWidth: null, n: 1 };
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) ss += (values[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, lower: mean - halfWidth, upper: mean + halfWidth, halfWidth, n };
}
