/**
 * Survival-model RUL for assets with only lifetimes (failures and right-censored ages): a
 * two-parameter Weibull fitted by maximum likelihood with right censoring (Lawless, Statistical
 * Models and Methods for Lifetime Data, 2nd ed., 2003, sec. 5.2). With r failures among n times,
 * the shape k solves the profile score equation
 *     sum_i t_i^k ln t_i / sum_i t_i^k  -  1/k  -  (1/r) sum_failures ln t_i  =  0
 * (increasing in k, solved by bisection), and the scale is lambda = (sum_i t_i^k / r)^(1/k).
 * RUL at age a is the conditional remaining life: P(T > a + x | T > a) = exp((a/l)^k - ((a+x)/l)^k),
 * whose q-quantile is  x_q = l ((a/l)^k - ln(1 - q))^(1/k) - a; the estimate is the median.
 */
import type { Trajectory } from '../data/trajectory.ts';
import type { RulFamily, RulModel, RulModelOptions } from './model.ts';

export interface Lifetime {
  time: number;
  /** true for a failure, false for right-censored (still running at `time`) */
  failed: boolean;
}

export interface WeibullFit {
  shape: number;
  scale: number;
  failures: number;
  n: number;
  logLikelihood: number;
}

export function weibullLogLikelihood(data: Lifetime[], shape: number, scale: number): number {
  let ll = 0;
  for (const d of data) {
    const z = d.time / scale;
    if (d.failed) ll += Math.log(shape / scale) + (shape - 1) * Math.log(z);
    ll -= Math.pow(z, shape);
  }
  return ll;
}

export function fitWeibull(data: Lifetime[]): WeibullFit {
  const failures = data.filter((d) => d.failed);
  const r = failures.length;
  if (r === 0) throw new RangeError('Weibull fit needs at least one failure');
  if (data.some((d) => !(d.time > 0))) throw new RangeError('Weibull fit needs lifetimes > 0');
  // work in units of the largest time so t^k stays finite for large k
  const unit = Math.max(...data.map((d) => d.time));
  const t = data.map((d) => d.time / unit);
  const lnt = t.map(Math.log);
  const meanLnFail = failures.reduce((s, d) => s + Math.log(d.time / unit), 0) / r;
  const score = (k: number): number => {
    let a = 0,
      b = 0;
    for (let i = 0; i < t.length; i++) {
      const tk = Math.pow(t[i], k);
      a += tk * lnt[i];
      b += tk;
    }
    return a / b - 1 / k - meanLnFail;
  };
  let lo = 1e-3,
    hi = 1;
  while (score(hi) < 0 && hi < 1e4) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (score(mid) < 0) lo = mid;
    else hi = mid;
  }
  const shape = (lo + hi) / 2;
  const scale = unit * Math.pow(t.reduce((s, v) => s + Math.pow(v, shape), 0) / r, 1 / shape);
  return {
    shape,
    scale,
    failures: r,
    n: data.length,
    logLikelihood: weibullLogLikelihood(data, shape, scale),
  };
}

/** q-quantile of the remaining life of a unit that has survived to `age`. */
export function conditionalRemainingLifeQuantile(
  fit: Pick<WeibullFit, 'shape' | 'scale'>,
  age: number,
  q: number,
): number {
  const { shape: k, scale: l } = fit;
  return l * Math.pow(Math.pow(Math.max(age, 0) / l, k) - Math.log(1 - q), 1 / k) - age;
}

export interface WeibullState {
  fit: WeibullFit;
  coverage: number;
}

class WeibullModel implements RulModel {
  readonly family = 'weibull';
  constructor(readonly state: WeibullState) {}
  predictRaw(history: Trajectory) {
    const age = history.t[history.t.length - 1];
    const a = (1 - this.state.coverage) / 2;
    const q = (p: number) => conditionalRemainingLifeQuantile(this.state.fit, age, p);
    return { rul: q(0.5), lower: q(a), upper: q(1 - a) };
  }
}

export const weibull: RulFamily<WeibullState> = {
  family: 'weibull',
  description:
    'Weibull lifetime model (MLE with right censoring), RUL conditional on survival to the current age',
  fit(train: Trajectory[], o: RulModelOptions): RulModel {
    // a trajectory that ran to failure is a failure at its life; one that did not is censored at its last time
    const data: Lifetime[] = train.map((tr) => ({
      time: tr.failureT ?? tr.t[tr.t.length - 1],
      failed: tr.failureT !== undefined,
    }));
    return new WeibullModel({ fit: fitWeibull(data), coverage: o.coverage ?? 0.9 });
  },
  load: (state) => new WeibullModel(state),
};
