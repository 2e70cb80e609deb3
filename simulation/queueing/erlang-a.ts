/**
 * Erlang A: the M/M/c+M queue (Palm 1943; Garnett, Mandelbaum & Reiman, "Designing a call center
 * with impatient customers", M&SOM 4(3), 2002), computed exactly as a birth-death process rather
 * than through the incomplete-gamma closed forms or the usual approximations.
 *
 * State n = callers in the system. Births at rate lambda; deaths at min(n, c) mu + max(n - c, 0)
 * theta, where theta = 1 / mean patience. The stationary distribution is pi_n proportional to
 * prod_{k=1..n} lambda / death(k); it is summed in log-free scaled form until the terms are below
 * 1e-16 of the total (the chain is positive recurrent for any theta > 0, and for theta = 0 when
 * lambda < c mu, which is Erlang C).
 *
 * An arrival sees the stationary state (PASTA). One who finds k callers ahead in the queue moves up
 * while waiting at rate c mu + j theta (j callers still ahead) and abandons at rate theta; the time
 * spent at each position and which event ends it are independent (competing exponentials), so
 *   P(served | k)          = prod_{j=0..k} (c mu + j theta) / (c mu + (j + 1) theta),
 *   E[wait | served, k]    = sum_{j=0..k} 1 / (c mu + (j + 1) theta),
 *   P(served within t | k) solves the backward equations of that pure-death chain, computed by
 *                            uniformisation (Grassmann 1977) to 1e-12.
 */

export interface ErlangAResult {
  /** probability that an arrival finds every agent busy (has to wait at all) */
  pWait: number;
  /** probability that an arrival abandons before being answered */
  pAbandon: number;
  /** mean wait of answered arrivals (the average speed of answer), in the rates' time unit */
  asa: number;
  /** mean wait of all arrivals, answered or abandoned (E[Lq] / lambda) */
  meanWaitAll: number;
  /** mean queue length and mean number of busy agents */
  meanQueue: number;
  meanBusy: number;
  /** busy agents / agents */
  occupancy: number;
  /** stationary distribution over callers in the system, truncated where it is negligible */
  distribution: Float64Array;
}

const NEGLIGIBLE = 1e-16;
const MAX_STATES = 5_000_000;

/** The stationary distribution of the M/M/c+M birth-death chain. */
export function erlangADistribution(c: number, lambda: number, mu: number, theta: number): Float64Array {
  checkArguments(c, lambda, mu, theta);
  if (theta === 0 && !(lambda < c * mu)) {
    throw new RangeError(
      `without abandonment the queue needs lambda < c mu, got lambda = ${lambda}, c mu = ${c * mu}`,
    );
  }
  const terms: number[] = [1];
  let term = 1;
  let total = 1;
  for (let n = 1; ; n++) {
    const death = Math.min(n, c) * mu + Math.max(n - c, 0) * theta;
    term *= lambda / death;
    // rescale to keep the running terms finite (the ratio between terms is what matters)
    if (term > 1e250) {
      for (let k = 0; k < terms.length; k++) terms[k] /= 1e250;
      total /= 1e250;
      term /= 1e250;
    }
    terms.push(term);
    total += term;
    if (n > c && term < NEGLIGIBLE * total && lambda < death) break;
    if (n > MAX_STATES)
      throw new RangeError(`the queue is too heavily loaded to sum (over ${MAX_STATES} states)`);
  }
  const pi = Float64Array.from(terms);
  for (let k = 0; k < pi.length; k++) pi[k] /= total;
  return pi;
}

function checkArguments(c: number, lambda: number, mu: number, theta: number): void {
  if (!(Number.isInteger(c) && c >= 1)) throw new RangeError(`agents must be an integer >= 1, got ${c}`);
  if (!(lambda >= 0 && Number.isFinite(lambda)))
    throw new RangeError(`arrival rate must be >= 0, got ${lambda}`);
  if (!(mu > 0 && Number.isFinite(mu))) throw new RangeError(`service rate must be > 0, got ${mu}`);
  if (!(theta >= 0 && Number.isFinite(theta)))
    throw new RangeError(`abandonment rate must be >= 0, got ${theta}`);
}

/** Waiting measures of M/M/c+M (theta = 0 gives Erlang C). Rates in any one time unit. */
export function erlangA(c: number, lambda: number, mu: number, theta: number): ErlangAResult {
  const pi = erlangADistribution(c, lambda, mu, theta);
  const cmu = c * mu;
  let pWait = 0;
  let pServed = 0;
  let servedWaitSum = 0;
  let meanQueue = 0;
  let meanBusy = 0;
  let served = 1; // P(served | k ahead), built up along k
  let waitIfServed = 0; // E[wait | served, k]
  for (let n = 0; n < pi.length; n++) {
    meanBusy += Math.min(n, c) * pi[n];
    if (n < c) {
      pServed += pi[n];
      continue;
    }
    const k = n - c;
    meanQueue += k * pi[n];
    pWait += pi[n];
    served *= (cmu + k * theta) / (cmu + (k + 1) * theta);
    waitIfServed += 1 / (cmu + (k + 1) * theta);
    pServed += pi[n] * served;
    servedWaitSum += pi[n] * served * waitIfServed;
  }
  return {
    pWait,
    pAbandon: 1 - pServed,
    asa: pServed > 0 ? servedWaitSum / pServed : NaN,
    meanWaitAll: lambda > 0 ? meanQueue / lambda : 0,
    meanQueue,
    meanBusy,
    occupancy: meanBusy / c,
    distribution: pi,
  };
}

/**
 * P(answered within t) for an arrival to M/M/c+M: the share of all arrivals whose wait ends in
 * service no later than t (abandoned arrivals count as not answered).
 */
export function erlangAAnsweredWithin(
  c: number,
  lambda: number,
  mu: number,
  theta: number,
  t: number,
  pi: Float64Array = erlangADistribution(c, lambda, mu, theta),
): number {
  let immediate = 0;
  for (let n = 0; n < Math.min(c, pi.length); n++) immediate += pi[n];
  const K = pi.length - c; // arrivals can find 0..K-1 ahead
  if (K <= 0 || t <= 0) return immediate;
  const cmu = c * mu;
  // uniformised chain on positions j = 0..K-1 (callers ahead); from j: move up w.p. (c mu + j theta)/R,
  // abandon w.p. theta/R, stay otherwise. v[j] = P(answered within the jumps so far | j ahead).
  const R = cmu + K * theta;
  const up = new Float64Array(K);
  const stay = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    up[j] = (cmu + j * theta) / R;
    stay[j] = 1 - up[j] - theta / R;
  }
  let v = new Float64Array(K);
  let next = new Float64Array(K);
  const rt = R * t;
  // Poisson(rt) weights, computed in log space and summed until the tail is below 1e-12
  const result = new Float64Array(K);
  let logWeight = -rt;
  let cumulative = 0;
  const maxSteps = Math.ceil(rt + 12 * Math.sqrt(rt) + 50);
  for (let step = 0; step <= maxSteps; step++) {
    const w = Math.exp(logWeight);
    if (step > 0) {
      // one more jump
      for (let j = 0; j < K; j++) next[j] = up[j] * (j === 0 ? 1 : v[j - 1]) + stay[j] * v[j];
      [v, next] = [next, v];
    }
    for (let j = 0; j < K; j++) result[j] += w * v[j];
    cumulative += w;
    if (step > rt && 1 - cumulative < 1e-12) break;
    logWeight += Math.log(rt) - Math.log(step + 1);
  }
  let answered = immediate;
  for (let j = 0; j < K; j++) answered += pi[c + j] * result[j];
  return answered;
}
