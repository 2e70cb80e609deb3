/**
 * Degradation-model RUL with Bayesian updating (Gebraeel, Lawley, Li & Ryan, "Residual-life
 * distributions from component degradation signals: a Bayesian approach", IIE Transactions 37,
 * 2005; the same model as MATLAB's exponentialDegradationModel / linearDegradationModel):
 *
 *   exponential:  D(t) = phi + theta exp(beta t + e)   ->  log(D - phi) = log theta + beta t + e
 *   linear:       D(t) = phi + theta t + e
 *
 * where D = 1 - HI is the damage. The fleet's per-unit fits give a bivariate normal prior on the
 * (intercept, slope) pair and the noise variance; one asset's history updates it (conjugate normal
 * update), and RUL is the time for the posterior path to cross the failure threshold (the fleet's
 * mean damage at failure), by Monte Carlo over the posterior. Median and quantiles of those
 * crossing times give the estimate and the interval.
 *
 * The damage of a fused C-MAPSS indicator is flat while healthy and grows afterwards, so, as in
 * Gebraeel's two-phase use of the model, time is counted from degradation onset (the first row
 * whose smoothed damage passes `onsetDamage`) and only the degradation phase is fitted. Before
 * onset, the prediction is the prior's time from onset to failure.
 */
import { RandomStream } from '../../core/index.ts';
import type { Trajectory } from '../data/trajectory.ts';
import { HealthIndicator, type HealthIndicatorState } from '../hi/health-indicator.ts';
import { drawGaussian2, ols, posterior, type Gaussian2 } from './bayesian-linear.ts';
import { quantile } from '../../core/index.ts';
import { type RulFamily, type RulModel, type RulModelOptions } from './model.ts';

export type DegradationForm = 'exponential' | 'linear';

export interface DegradationPrior {
  form: DegradationForm;
  /** offset phi below every damage value (exponential form) */
  phi: number;
  prior: Gaussian2;
  noiseVar: number;
  /** failure threshold on the transformed scale (log(D - phi) or D) */
  threshold: number;
  /** time is divided by this before fitting, for conditioning */
  timeScale: number;
}

export interface DegradationState {
  hi: HealthIndicatorState;
  degradation: DegradationPrior;
  onsetDamage: number;
  coverage: number;
  maxRul: number;
  draws: number;
  seed: number;
}

const transform = (form: DegradationForm, phi: number, d: number): number =>
  form === 'exponential' ? Math.log(Math.max(d - phi, 1e-3)) : d;

/** Index of the first row whose smoothed damage reaches the onset level, or -1. */
export function onsetIndex(smoothDamage: ArrayLike<number>, level: number): number {
  for (let i = 0; i < smoothDamage.length; i++) if (smoothDamage[i] >= level) return i;
  return -1;
}

/**
 * Fits the fleet prior from run-to-failure damage series (times and damage per unit). `endDamage`
 * is each unit's damage at failure (smoothed), whose mean sets the threshold.
 */
export function fitDegradationPrior(
  form: DegradationForm,
  units: { t: ArrayLike<number>; damage: ArrayLike<number>; endDamage: number }[],
): DegradationPrior {
  let minD = Infinity;
  let maxT = 0;
  for (const u of units) {
    for (let i = 0; i < u.damage.length; i++) minD = Math.min(minD, u.damage[i]);
    maxT = Math.max(maxT, u.t[u.t.length - 1]);
  }
  // phi = 0 (the model's own offset) unless some damage is <= 0; then just below the smallest
  // value, so log(D - phi) is defined. A nonzero phi biases the fit, so it is used only when needed.
  const phi = form === 'exponential' && minD <= 0 ? minD - 1e-2 : 0;
  const timeScale = maxT || 1;
  const fits = units.map((u) => {
    const x = Float64Array.from(u.t, (t) => t / timeScale);
    const y = Float64Array.from(u.damage, (d) => transform(form, phi, d));
    return ols(x, y);
  });
  const n = fits.length;
  const ma = fits.reduce((s, f) => s + f.a, 0) / n;
  const mb = fits.reduce((s, f) => s + f.b, 0) / n;
  let saa = 0,
    sab = 0,
    sbb = 0;
  for (const f of fits) {
    saa += (f.a - ma) ** 2;
    sab += (f.a - ma) * (f.b - mb);
    sbb += (f.b - mb) ** 2;
  }
  const denom = Math.max(1, n - 1);
  const eps = 1e-9;
  return {
    form,
    phi,
    prior: {
      mean: [ma, mb],
      cov: [
        [saa / denom + eps, sab / denom],
        [sab / denom, sbb / denom + eps],
      ],
    },
    noiseVar: Math.max(fits.reduce((s, f) => s + f.residualVar, 0) / n, 1e-12),
    threshold: units.reduce((s, u) => s + transform(form, phi, u.endDamage), 0) / n,
    timeScale,
  };
}

/** Posterior of (intercept, slope) after one asset's history. */
export function updateDegradation(
  p: DegradationPrior,
  t: ArrayLike<number>,
  damage: ArrayLike<number>,
): Gaussian2 {
  const x = Float64Array.from(t, (v) => v / p.timeScale);
  const y = Float64Array.from(damage, (d) => transform(p.form, p.phi, d));
  return posterior(p.prior, x, y, p.noiseVar);
}

class DegradationModel implements RulModel {
  readonly family: string;
  private readonly hi: HealthIndicator;
  constructor(readonly state: DegradationState) {
    this.family = `${state.degradation.form}-degradation`;
    this.hi = new HealthIndicator(state.hi);
  }

  predictRaw(history: Trajectory) {
    const p = this.state.degradation;
    const damage = Float64Array.from(this.hi.raw(history), (h) => 1 - h);
    const smooth = this.hi.transform(history);
    const onset = onsetIndex(
      Float64Array.from(smooth, (h) => 1 - h),
      this.state.onsetDamage,
    );
    // time since onset; before onset the asset is at tau = 0 and the prior alone speaks
    const tau =
      onset < 0
        ? new Float64Array(0)
        : Float64Array.from(history.t.subarray(onset), (t) => t - history.t[onset]);
    const post = tau.length > 0 ? updateDegradation(p, tau, damage.subarray(onset)) : p.prior;
    const now = tau.length > 0 ? tau[tau.length - 1] / p.timeScale : 0;
    const rng = new RandomStream(this.state.seed, `degradation/${history.asset}/${history.t.length}`);
    const ruls = new Float64Array(this.state.draws);
    for (let k = 0; k < ruls.length; k++) {
      const [a, b] = drawGaussian2(post, rng.normal(), rng.normal());
      const cross = b > 0 ? (p.threshold - a) / b : Infinity;
      ruls[k] = Math.min(this.state.maxRul, Math.max(0, (cross - now) * p.timeScale));
    }
    const al = (1 - this.state.coverage) / 2;
    return {
      rul: quantile(ruls, 0.5),
      lower: quantile(ruls, al),
      upper: quantile(ruls, 1 - al),
      healthIndex: smooth[smooth.length - 1],
    };
  }
}

function degradationFamily(form: DegradationForm): RulFamily<DegradationState> {
  return {
    family: `${form}-degradation`,
    description: `${form} degradation of the health indicator with Bayesian updating (Gebraeel et al. 2005)`,
    fit(train: Trajectory[], o: RulModelOptions): RulModel {
      const hi = HealthIndicator.fit(train, {
        settings: o.settings,
        channels: o.channels,
        cap: o.cap,
        seed: o.seed,
      });
      const onsetDamage = 0.4;
      const units = train.flatMap((tr) => {
        const damage = Float64Array.from(hi.raw(tr), (h) => 1 - h);
        const smooth = Float64Array.from(hi.transform(tr), (h) => 1 - h);
        const on = onsetIndex(smooth, onsetDamage);
        if (on < 0 || tr.t.length - on < 3) return [];
        const tau = Float64Array.from(tr.t.subarray(on), (t) => t - tr.t[on]);
        return [{ t: tau, damage: damage.subarray(on), endDamage: smooth[smooth.length - 1] }];
      });
      if (units.length < 2)
        throw new Error(
          `${form} degradation: fewer than 2 training units reach the onset damage ${onsetDamage}`,
        );
      const maxLife = Math.max(...train.map((tr) => tr.failureT! - tr.t[0]));
      return new DegradationModel({
        hi: hi.state,
        degradation: fitDegradationPrior(form, units),
        onsetDamage,
        coverage: o.coverage ?? 0.9,
        maxRul: maxLife,
        draws: 2000,
        seed: o.seed ?? 1,
      });
    },
    load: (state) => new DegradationModel(state),
  };
}

export const exponentialDegradation = degradationFamily('exponential');
export const linearDegradation = degradationFamily('linear');
