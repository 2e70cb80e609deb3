/**
 * Statistics shared by every stage, one function a file with the definition it follows. Where
 * simple-statistics already has the estimator (mean, sampleStandardDeviation, ...) callers use it directly.
 */
export { quantile, quantileSorted } from './quantile.ts';
export { median } from './median.ts';
export { inverseEcdfQuantile } from './inverse-ecdf-quantile.ts';
export { weightedQuantile } from './weighted-quantile.ts';
export { incompleteBeta, studentTCdf, studentTQuantile } from './student-t.ts';
export { confidenceInterval, type Interval } from './confidence-interval.ts';
