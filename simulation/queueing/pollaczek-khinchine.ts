/**
 * Pollaczek-Khinchine mean-value formula: mean wait in queue of an M/G/1 queue,
 *
 *   Wq = lambda E[S^2] / (2 (1 - rho)),  rho = lambda E[S],  E[S^2] = Var[S] + E[S]^2
 *
 * (F. Pollaczek 1930, A. Y. Khinchine 1932; Gross & Harris, Fundamentals of Queueing Theory,
 * 4th ed., eq. 5.10). With deterministic service D (M/D/1) this is rho D / (2 (1 - rho)).
 */
export function pollaczekKhinchineWait(lambda: number, meanService: number, varianceService: number): number {
  const rho = lambda * meanService;
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`utilisation must be in [0, 1), got ${rho}`);
  return (lambda * (varianceService + meanService * meanService)) / (2 * (1 - rho));
}
