import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { fitDegradationPrior, updateDegradation } from '../../models/index.ts';

/** Units whose damage follows D = theta exp(beta t + e) with per-unit theta, beta: the planted model. */
function plantedUnits(n: number, seed: number) {
  const rng = new RandomStream(seed, 'planted');
  return Array.from({ length: n }, () => {
    const logTheta = Math.log(0.05) + 0.2 * rng.normal();
    const beta = 0.02 + 0.002 * rng.normal();
    const t = Array.from({ length: 150 }, (_, i) => i);
    const damage = t.map((ti) => Math.exp(logTheta + beta * ti + 0.05 * rng.normal()));
    return { t, damage, endDamage: damage[damage.length - 1], logTheta, beta };
  });
}

describe('exponential degradation model with Bayesian updating', () => {
  const units = plantedUnits(60, 1);
  const prior = fitDegradationPrior('exponential', units);

  it('recovers the planted fleet parameters', () => {
    // all damage > 0 here, so phi = 0 and log D = log theta + beta t + e exactly
    expect(prior.phi).toBe(0);
    const ts = prior.timeScale;
    const meanLogTheta = units.reduce((s, u) => s + u.logTheta, 0) / units.length;
    const meanBeta = units.reduce((s, u) => s + u.beta, 0) / units.length;
    expect(prior.prior.mean[0]).toBeCloseTo(meanLogTheta, 1);
    expect(prior.prior.mean[1] / ts).toBeCloseTo(meanBeta, 3);
    // noise sd of log-damage: 0.05
    expect(Math.sqrt(prior.noiseVar)).toBeCloseTo(0.05, 2);
  });

  it("moves from the fleet prior to the unit's own parameters as its data arrives", () => {
    const unit = plantedUnits(1, 99)[0];
    const few = updateDegradation(prior, unit.t.slice(0, 3), unit.damage.slice(0, 3));
    const many = updateDegradation(prior, unit.t, unit.damage);
    const slope = (g: typeof few) => g.mean[1] / prior.timeScale;
    expect(Math.abs(slope(many) - unit.beta)).toBeLessThan(Math.abs(slope(few) - unit.beta) + 1e-4);
    expect(slope(many)).toBeCloseTo(unit.beta, 3);
    // the posterior narrows with data
    expect(many.cov[1][1]).toBeLessThan(few.cov[1][1]);
  });
});
