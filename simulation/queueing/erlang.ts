/**
 * Erlang C: the probability that an arrival to an M/M/c queue has to wait,
 *
 *   C(c, a) = [a^c / c! * c/(c-a)] / [sum_{k=0}^{c-1} a^k/k! + a^c/c! * c/(c-a)],
 *
 * with offered load a = lambda/mu Erlangs and c servers (A. K. Erlang, "Solution of some problems
 * in the theory of probabilities of significance in automatic telephone exchanges", 1917; Gross &
 * Harris, Fundamentals of Queueing Theory, 4th ed., eq. 2.36). Terms are built by the recurrence
 * a^k/k! = a^(k-1)/(k-1)! * a/k, so large c does not overflow. Requires a < c (a stable queue).
 */
export function erlangC(c: number, a: number): number {
  if (!(Number.isInteger(c) && c >= 1)) throw new RangeError(`servers must be an integer >= 1, got ${c}`);
  if (!(a >= 0 && a < c))
    throw new RangeError(`offered load must be in [0, c) for a stable queue, got ${a} with c = ${c}`);
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

/**
 * Mean wait in queue of M/M/c FCFS: Wq = C(c, a) / (c mu - lambda) (Gross & Harris, eq. 2.38).
 * Arrival rate lambda and service rate mu per server in any one time unit; the wait is in that unit.
 */
export function erlangCMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/**
 * Staffing from Erlang C: the fewest servers c for which the M/M/c queue is stable and
 * P(wait <= target) = 1 - C(c, a) e^{-(c mu - lambda) target} reaches `attainment`
 * (Gross & Harris, eq. 2.40). Used to seed rosters and sweeps.
 */
export function erlangCServersFor(lambda: number, mu: number, target: number, attainment: number): number {
  let c = Math.max(1, Math.floor(lambda / mu) + 1);
  for (;;) {
    const p = 1 - erlangC(c, lambda / mu) * Math.exp(-(c * mu - lambda) * target);
    if (p >= attainment) return c;
    c++;
  }
}
