/** Public entry of core/: what every stage shares. Imports nothing of ours. */
export * from './errors.ts';
export * from './duration.ts';
export * from './home.ts';
export * from './version.ts';
export * from './config.ts';
export * from './progress.ts';
export * from './random/stream.ts';
export * from './random/spec.ts';
export type { Distribution } from './random/distributions/distribution.ts';
export { Fixed } from './random/distributions/fixed.ts';
export { Uniform } from './random/distributions/uniform.ts';
export { Exponential } from './random/distributions/exponential.ts';
export { Normal } from './random/distributions/normal.ts';
export { Lognormal } from './random/distributions/lognormal.ts';
export { Gamma, sampleStandardGamma } from './random/distributions/gamma.ts';
export { Weibull } from './random/distributions/weibull.ts';
export { Triangular } from './random/distributions/triangular.ts';
export { Empirical } from './random/distributions/empirical.ts';
