/**
 * The analytic queueing formulas the simulator exports, against hand-computed values and published
 * identities (Gross & Harris, Fundamentals of Queueing Theory, 4th ed.).
 */
import { describe, expect, it } from 'vitest';
import {
  cobhamWaits,
  erlangC,
  erlangCMeanWait,
  erlangCServersFor,
  pollaczekKhinchineWait,
} from '../../simulation/index.ts';

describe('queueing formulas', () => {
  it('Erlang C: C(2, 1) = 1/3 and M/M/1 P(wait) = rho', () => {
    // a = 1, c = 2: top = a^2/2! * 2/(2-1) = 1, sum = 1 + a = 2, C = 1 / (2 + 1)
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 14);
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 14);
  });

  it('Erlang C mean wait: M/M/1 Wq = rho / (mu - lambda); M/M/2 with a = 1: (1/3) / (2 - 1)', () => {
    expect(erlangCMeanWait(1, 0.5, 1)).toBeCloseTo(1, 14);
    expect(erlangCMeanWait(1, 3, 4)).toBeCloseTo(0.75 / 1, 14);
    expect(erlangCMeanWait(2, 1, 1)).toBeCloseTo(1 / 3, 14);
  });

  it('servers for a target: the fewest c with 1 - C e^{-(c mu - lambda) t} >= attainment', () => {
    const c = erlangCServersFor(10, 1, 0.1, 0.8);
    const level = (k: number) => 1 - erlangC(k, 10) * Math.exp(-(k - 10) * 0.1);
    expect(level(c)).toBeGreaterThanOrEqual(0.8);
    expect(c - 1 <= 10 || level(c - 1) < 0.8).toBe(true);
  });

  it('Cobham: M/M/1 with two classes, and the conservation law (the load-weighted wait is FCFS)', () => {
    // c = 1, mu = 1, lambdas 0.2 and 0.3: C = 0.5; W1 = 0.5 / (1 * 0.8) = 0.625; W2 = 0.5 / (0.8 * 0.5) = 1.25
    const [w1, w2] = cobhamWaits(1, 1, [0.2, 0.3]);
    expect(w1).toBeCloseTo(0.625, 14);
    expect(w2).toBeCloseTo(1.25, 14);
    expect((0.2 * w1 + 0.3 * w2) / 0.5).toBeCloseTo(erlangCMeanWait(1, 0.5, 1), 14);
    // one class is plain Erlang C; for c = 3 the conservation law holds as well
    expect(cobhamWaits(3, 1, [2])[0]).toBeCloseTo(erlangCMeanWait(3, 2, 1), 14);
    const ls = [0.5, 0.7, 1.1];
    const ws = cobhamWaits(3, 1, ls);
    expect(ls.reduce((s, l, k) => s + l * ws[k], 0) / 2.3).toBeCloseTo(erlangCMeanWait(3, 2.3, 1), 12);
  });

  it('Pollaczek-Khinchine: M/M/1 reduces to rho/(mu - lambda), M/D/1 to half of it', () => {
    // exponential service, mean 1: Var 1 -> Wq = 0.8 * 2 / (2 * 0.2) = 4 = rho / (mu - lambda)
    expect(pollaczekKhinchineWait(0.8, 1, 1)).toBeCloseTo(4, 14);
    expect(pollaczekKhinchineWait(0.8, 1, 0)).toBeCloseTo(2, 14);
    expect(() => pollaczekKhinchineWait(1.2, 1, 0)).toThrow(RangeError);
  });
});
