/**
 * The residual-life distribution of an exponential degradation path with normal parameters
 * (Gebraeel, Lawley, Li & Ryan, "Residual-life distributions from component degradation signals: a
 * Bayesian approach", IIE Transactions 37 (2005), eq. 10-11). On the log scale the path is
 * L(tau) = a + b tau with (a, b) ~ N(mean, cov); it fails when L crosses the threshold D. With
 * observation noise s2 and a threshold that itself varies from unit to unit (variance sD2):
 *
 *   P(T <= tau) = Phi( g(tau) ),   g(tau) = (m_a + m_b tau - D) / sqrt(v_aa + 2 tau v_ab + tau^2 v_bb + s2 + sD2)
 *
 * and, given the unit has not failed by `now`, the residual life R = T - now has
 *
 *   P(R <= r) = (Phi(g(now + r)) - Phi(g(now))) / (1 - Phi(g(now)))        (eq. 11, truncated at now)
 *
 * Quantiles are found by bisection; a quantile the distribution never reaches within `maxRul`
 * (a flat or falling path) is reported as `maxRul`.
 */
import type { Gaussian2 } from './bayesian-linear.ts';

/**
 * Complementary error function, Chebyshev fit with relative error < 1.2e-7 everywhere, so the far
 * tails keep their precision (Press et al., Numerical Recipes in C, 2nd ed., 6.2, erfcc).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export const standardNormalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** Upper quantile z with Phi(z) = p, by bisection on the cdf (p in (0, 1)). */
export function standardNormalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile: p must be in (0, 1), got ${p}`);
  let lo = -40,
    hi = 40;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (standardNormalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface ExponentialPath {
  /** posterior of (log-intercept, slope) on the log scale */
  params: Gaussian2;
  /** observation noise variance on the log scale */
  noiseVar: number;
  /** log-scale failure threshold, its mean and its unit-to-unit variance */
  threshold: number;
  thresholdVar: number;
}

/** g(tau) of the file comment: P(T <= tau) = Phi(g(tau)). */
export function crossingScore(p: ExponentialPath, tau: number): number {
  const { mean, cov } = p.params;
  const v = cov[0][0] + 2 * tau * cov[0][1] + tau * tau * cov[1][1] + p.noiseVar + p.thresholdVar;
  return (mean[0] + mean[1] * tau - p.threshold) / Math.sqrt(Math.max(v, 1e-300));
}

/** P(T <= tau): the path has crossed its threshold by tau (in the path's time unit). */
export const crossingCdf = (p: ExponentialPath, tau: number): number =>
  standardNormalCdf(crossingScore(p, tau));

/** Quantiles of the residual life after `now`, given no crossing by then (Gebraeel eq. 11). */
export function residualLifeQuantiles(
  p: ExponentialPath,
  now: number,
  qs: number[],
  maxRul: number,
): number[] {
  // survival computed as Phi(-g) keeps its relative precision when the path is already past D
  const survive = standardNormalCdf(-crossingScore(p, now));
  const cdf = (r: number) => (survive > 0 ? 1 - standardNormalCdf(-crossingScore(p, now + r)) / survive : 1);
  const top = cdf(maxRul);
  return qs.map((q) => {
    if (top < q) return maxRul;
    let lo = 0,
      hi = maxRul;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < q) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  });
}
