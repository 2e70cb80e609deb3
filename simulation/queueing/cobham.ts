import { erlangC } from './erlang.ts';

/**
 * Cobham's formula: mean wait in queue per class of an M/M/c queue with non-preemptive priorities
 * and the same service rate mu for every class,
 *
 *   W_k = C(c, a) / (c mu (1 - sigma_{k-1}) (1 - sigma_k)),  sigma_k = sum_{i<=k} lambda_i / (c mu),
 *
 * class 1 having the highest precedence, a = sum lambda_i / mu, C the Erlang C probability
 * (A. Cobham, "Priority assignment in waiting line problems", Operations Research 2(1), 1954;
 * Gross & Harris, Fundamentals of Queueing Theory, 4th ed., section 3.4.1, eq. 3.33).
 * `lambdas` are the per-class arrival rates in precedence order; waits come in the same time unit.
 */
export function cobhamWaits(c: number, mu: number, lambdas: readonly number[]): number[] {
  const total = lambdas.reduce((s, l) => s + l, 0);
  const pw = erlangC(c, total / mu);
  const waits: number[] = [];
  let sigmaPrev = 0;
  for (const l of lambdas) {
    const sigma = sigmaPrev + l / (c * mu);
    waits.push(pw / (c * mu * (1 - sigmaPrev) * (1 - sigma)));
    sigmaPrev = sigma;
  }
  return waits;
}
