import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import {
  BaselineFusedIndex,
  CalibratedModel,
  DESIGN_CALIBRATION_ASSETS,
  DESIGN_PRIOR_WEIGHT,
  fitDesignPrior,
  crossingCdf,
  fptExponential,
  ModelRegistry,
  residualLifeQuantiles,
  standardNormalCdf,
  standardNormalQuantile,
  type FptExponentialOptions,
  type FptExponentialState,
  type Trajectory,
} from '../../models/index.ts';
import { assertIntervalWidth } from '../../models/rul/interval-guard.ts';

/** A unit's history up to its `end`-th row, every channel. */
const firstRows = (u: Trajectory, end: number): Trajectory => ({
  asset: u.asset,
  t: u.t.subarray(0, end),
  columns: Object.fromEntries(Object.entries(u.columns).map(([c, v]) => [c, v.subarray(0, end)])),
});

describe('normal cdf and quantile', () => {
  it('matches tabulated values, tails included', () => {
    // Abramowitz & Stegun table 26.1
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-3)).toBeCloseTo(0.0013499, 6);
    // far tail: relative precision kept (1 - Phi(8) = 6.2210e-16)
    expect(standardNormalCdf(-8) / 6.221e-16).toBeCloseTo(1, 3);
    expect(standardNormalQuantile(0.99)).toBeCloseTo(2.326348, 5);
  });
});

describe("Gebraeel's residual-life distribution", () => {
  const path = {
    params: {
      mean: [-3, 1.5] as [number, number],
      cov: [
        [0.04, -0.005],
        [-0.005, 0.02],
      ] as [[number, number], [number, number]],
    },
    noiseVar: 0.01,
    threshold: 0,
    thresholdVar: 0.01,
  };

  it('P(T <= tau) is the Monte-Carlo frequency of the path being past the threshold', () => {
    const rng = new RandomStream(3, 'mc');
    const n = 40_000;
    const l11 = Math.sqrt(0.04),
      l21 = -0.005 / l11,
      l22 = Math.sqrt(0.02 - l21 * l21);
    for (const tau of [1, 2, 3]) {
      let hits = 0;
      for (let k = 0; k < n; k++) {
        const z1 = rng.normal(),
          z2 = rng.normal();
        const a = -3 + l11 * z1,
          b = 1.5 + l21 * z1 + l22 * z2;
        const level = a + b * tau + 0.1 * rng.normal();
        const d = 0 + 0.1 * rng.normal();
        if (level >= d) hits++;
      }
      const p = crossingCdf(path, tau);
      expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-3);
    }
  });

  it('with no uncertainty, every quantile is the analytic crossing time (D - a - b now) / b', () => {
    const exact = {
      params: {
        mean: [-3, 1.5] as [number, number],
        cov: [
          [1e-14, 0],
          [0, 1e-14],
        ] as [[number, number], [number, number]],
      },
      noiseVar: 0,
      threshold: 0,
      thresholdVar: 0,
    };
    const [lo, med, up] = residualLifeQuantiles(exact, 0.5, [0.05, 0.5, 0.95], 100);
    const truth = (0 + 3 - 1.5 * 0.5) / 1.5; // 1.5
    for (const q of [lo, med, up]) expect(q).toBeCloseTo(truth, 5);
  });

  it('the interval widens with uncertainty and holds the median', () => {
    const [lo, med, up] = residualLifeQuantiles(path, 0.5, [0.05, 0.5, 0.95], 100);
    expect(lo).toBeLessThan(med);
    expect(up).toBeGreaterThan(med);
    // the median solves m_a + m_b (now + r) = D: r = (0 + 3)/1.5 - 0.5
    expect(med).toBeCloseTo(1.5, 3);
  });
});

/**
 * A planted fleet: channel `sig` is 0 + noise while healthy and s0 exp(beta_u (t - onset_u)) after
 * onset (the severity, with 5% multiplicative and small additive noise); failure when it reaches 1,
 * at onset + ln(1/s0)/beta_u. `junk` is noise throughout. Time unit: hours, a row every 6 h.
 */
function plantedUnit(
  i: number,
  beta: number,
  onset: number,
  seed = 11,
): Trajectory & { failureT: number; beta: number } {
  const rng = new RandomStream(seed, `planted/${i}`);
  const s0 = 0.02;
  const failureT = onset + Math.log(1 / s0) / beta;
  const t: number[] = [],
    sig: number[] = [],
    junk: number[] = [];
  for (let h = 0; h < failureT; h += 6) {
    t.push(h);
    const sev = h < onset ? 0 : s0 * Math.exp(beta * (h - onset));
    sig.push(10 + sev * Math.exp(0.05 * rng.normal()) + 0.004 * rng.normal());
    junk.push(3 + 0.5 * rng.normal());
  }
  return {
    asset: `u${i}`,
    t: Float64Array.from(t),
    columns: { sig: Float64Array.from(sig), junk: Float64Array.from(junk) },
    failureT,
    beta,
  };
}

describe('fpt-exponential on planted exponential degradation (the right RUL is known)', () => {
  const rng = new RandomStream(5, 'fleet');
  // slopes with a 20% spread about ln(50)/150 h, onsets 100-200 h
  const units = Array.from({ length: 12 }, (_, i) =>
    plantedUnit(i, (Math.log(50) / 150) * Math.exp(0.2 * rng.normal()), 100 + 100 * rng.uniform()),
  );
  const options = { settings: [], channels: ['sig', 'junk'], seed: 1 };
  const model = CalibratedModel.fit(fptExponential, units.slice(0, 10), options);

  it('the fused index weighs the degrading channel, not the noise, and is ~1 at failure', () => {
    const idx = BaselineFusedIndex.fit(units.slice(0, 10), ['sig', 'junk'], 10);
    // the failure state is carried by the degrading channel: its share of the fused value at failure
    const ends = units.slice(0, 10).map((u) => {
      const n = u.t.length - 1;
      const base = (c: string) => u.columns[c].subarray(0, 10).reduce((s, v) => s + v, 0) / 10;
      const [wSig, wJunk] = idx.state.weights;
      const sig = (wSig * (u.columns.sig[n] - base('sig'))) / idx.state.scale[0];
      const junk = (wJunk * (u.columns.junk[n] - base('junk'))) / idx.state.scale[1];
      return sig / (sig + junk);
    });
    expect(ends.reduce((s, v) => s + v, 0) / ends.length).toBeGreaterThan(0.9);
    for (const u of units.slice(10)) {
      const hi = idx.transform(u);
      expect(hi[hi.length - 1]).toBeGreaterThan(0.7);
      expect(hi[hi.length - 1]).toBeLessThan(1.3);
      expect(Math.abs(hi[5])).toBeLessThan(0.05);
    }
  });

  it("the Bayesian RUL converges on the held-out unit's analytic threshold-crossing time", () => {
    // one slow and one fast unit relative to the fleet: the update has to move off the prior
    for (const u of [plantedUnit(100, Math.log(50) / 200, 150), plantedUnit(101, Math.log(50) / 110, 120)]) {
      let checked = 0,
        relErr = 0;
      for (let end = 10; end <= u.t.length; end++) {
        const h: Trajectory = firstRows(u, end);
        const p = model.predict(h);
        expect(p.upper).toBeGreaterThan(p.lower);
        if (p.firstPredictingT === null || p.firstPredictingT === undefined) continue;
        const truth = u.failureT - u.t[end - 1];
        const fpt = p.firstPredictingT;
        // from halfway between the FPT and failure: within 20% of the truth on average (alpha-lambda,
        // alpha 0.2), and never off by more than 35% (the last row, under 12 h, excepted)
        if (u.t[end - 1] >= fpt + 0.5 * (u.failureT - fpt) && truth > 12) {
          expect(Math.abs(p.rul - truth)).toBeLessThanOrEqual(0.35 * truth);
          relErr += Math.abs(p.rul - truth) / truth;
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(2);
      expect(relErr / checked).toBeLessThan(0.2);
    }
  });

  it('the FPT comes after the onset and before the failure; before it the RUL is the fleet prior', () => {
    const u = units[11];
    const onset = 100 + 0; // the planted onset is at least 100 h
    let sawPrior = false;
    for (let end = 10; end <= u.t.length; end++) {
      const h = firstRows(u, end);
      const p = model.predict(h);
      if (p.firstPredictingT === null) sawPrior = true;
      else expect(p.firstPredictingT!).toBeGreaterThanOrEqual(onset);
    }
    expect(sawPrior).toBe(true);
  });

  it('intervals are calibrated on held-out failed units (scale recorded) and cover the truth on new units', () => {
    const state = model.state.model as { lowerScale: number; upperScale: number; calibrationCases: number };
    expect(state.calibrationCases).toBeGreaterThanOrEqual(20);
    expect(state.lowerScale).toBeGreaterThan(0);
    expect(state.upperScale).toBeGreaterThan(0);
    let inside = 0,
      n = 0;
    for (let k = 0; k < 8; k++) {
      const u = plantedUnit(
        200 + k,
        (Math.log(50) / 150) * Math.exp(0.2 * rng.normal()),
        100 + 100 * rng.uniform(),
      );
      for (let end = 10; end <= u.t.length; end++) {
        const h = firstRows(u, end);
        const p = model.predict(h);
        if (p.firstPredictingT === null) continue;
        const truth = u.failureT - u.t[end - 1];
        n++;
        if (truth >= p.lower && truth <= p.upper) inside++;
      }
    }
    expect(inside / n).toBeGreaterThan(0.75);
  });

  it('reports the scales it applies for the manifest (the wrapper adds none: its own factor stays 1)', () => {
    const state = model.state.model as { lowerScale: number; upperScale: number; calibrationCases: number };
    expect(model.state.intervalScale).toBe(1);
    expect(model.intervalCalibration()).toEqual({
      lowerScale: state.lowerScale,
      upperScale: state.upperScale,
      calibrationCases: state.calibrationCases,
    });
    // the reported scales are the ones applied: each side is the unscaled half-width times its scale
    const unscaled = fptExponential.load({
      ...(state as never as FptExponentialState),
      lowerScale: 1,
      upperScale: 1,
    });
    const u = units[10];
    const end = u.t.length - 5;
    const h = firstRows(u, end);
    const r = unscaled.predictRaw(h);
    const p = model.predict(h);
    expect(r.firstPredictingT).not.toBeNull();
    expect(p.rul).toBe(r.rul);
    expect(p.upper - p.rul).toBeCloseTo(state.upperScale * (r.upper - r.rul), 6);
    expect(p.rul - p.lower).toBeCloseTo(Math.min(p.rul, state.lowerScale * (r.rul - r.lower)), 6);
  });

  it('refuses a training asset without a failure time, naming it', () => {
    const { failureT: _f, ...live } = units[0];
    expect(() => fptExponential.fit!([live as Trajectory, ...units.slice(1, 4)], options)).toThrow(
      /asset u0/,
    );
  });

  it('refuses to load a model saved in an older state layout, saying to retrain', () => {
    const state = (model.state.model as Record<string, unknown>) ?? {};
    const { version: _v, ...old } = state;
    expect(() => fptExponential.load(old as never)).toThrow(/state layout 1.*train it again/);
  });
});

/**
 * The fleet's noise on an exact exponential path: the index is the severity (0.02 at onset, 1 at
 * failure, growth ln 50 over the time to failure) seen with 10% multiplicative and 2%-of-failure
 * additive noise, as the synthetic fleet's temperature sees it. The right RUL is the planted
 * failure time minus now.
 */
function noisyUnit(i: number, ttf: number, onset: number): Trajectory & { failureT: number } {
  const rng = new RandomStream(17, `noisy/${i}`);
  const failureT = onset + ttf;
  const beta = Math.log(50) / ttf;
  const t: number[] = [],
    x: number[] = [];
  for (let h = 0; h < failureT; h += 6) {
    t.push(h);
    const sev = h < onset ? 0 : 0.02 * Math.exp(beta * (h - onset));
    x.push(40 + 25 * sev * Math.exp(0.1 * rng.normal()) + 0.5 * rng.normal());
  }
  return { asset: `n${i}`, t: Float64Array.from(t), columns: { x: Float64Array.from(x) }, failureT };
}

/**
 * Every unit walked forward from its 10th row: how often the interval holds the truth after the
 * FPT, and alpha-lambda from halfway between the FPT and failure, alpha 0.2 (rows under 12 h
 * excepted). Every prediction passes the interval guard (non-zero width, holding its estimate).
 */
function walkForward(model: CalibratedModel, units: (Trajectory & { failureT: number })[]) {
  let inside = 0,
    n = 0,
    late = 0,
    lateWithin = 0;
  for (const u of units) {
    let fpt: number | null = null;
    for (let end = 10; end <= u.t.length; end++) {
      const p = assertIntervalWidth(model.predict(firstRows(u, end)));
      if (p.firstPredictingT === null || p.firstPredictingT === undefined) continue;
      fpt ??= p.firstPredictingT;
      const now = u.t[end - 1];
      const truth = u.failureT - now;
      n++;
      if (truth >= p.lower && truth <= p.upper) inside++;
      if (now >= fpt + 0.5 * (u.failureT - fpt) && truth > 12) {
        late++;
        if (Math.abs(p.rul - truth) <= 0.2 * truth) lateWithin++;
      }
    }
  }
  return { n, coverage: inside / n, alphaLambda: lateWithin / late };
}

describe('fpt-exponential on a noisy planted exponential path: the interval holds the right RUL', () => {
  const rng = new RandomStream(9, 'noisy fleet');
  const unit = (i: number) => noisyUnit(i, 192 * Math.exp(0.25 * rng.normal()), 100 + 100 * rng.uniform());
  const train = Array.from({ length: 12 }, (_, i) => unit(i));
  const held = Array.from({ length: 12 }, (_, i) => unit(100 + i));
  const model = CalibratedModel.fit(fptExponential, train, { settings: [], channels: ['x'], seed: 1 });

  it('after the FPT the 90% interval holds the truth ~90% of the time, never with zero width', () => {
    // zero width throws in the interval guard
    const { n, coverage, alphaLambda } = walkForward(model, held);
    expect(n).toBeGreaterThan(150);
    expect(coverage).toBeGreaterThan(0.8);
    expect(coverage).toBeLessThan(0.97);
    expect(alphaLambda).toBeGreaterThan(0.8);
  });

  it('the failure threshold is the planted one: severity 1, just above the last rows the index is scaled on', () => {
    const core = (model.state.model as { core: { threshold: number; thresholdVar: number } }).core;
    // the index is 1 at the mean last row, which lies 0-6 h (3 h on average) before the crossing:
    // at a growth of ln 50 / 192 h the crossing is log level 3 ln 50 / 192 = 0.06 above it
    expect(Math.abs(core.threshold - (3 * Math.log(50)) / 192)).toBeLessThan(0.06);
    expect(Math.sqrt(core.thresholdVar)).toBeLessThan(0.15);
  });

  it('two noise spikes past the FPT level on a healthy asset: a wide, valid interval that recedes as no growth follows', () => {
    const rng = new RandomStream(23, 'spike');
    const n = 80;
    const x = Float64Array.from({ length: n }, () => 40 + 0.5 * rng.normal());
    x[50] = x[51] = 40 + 3; // 6 healthy sds, two rows in a row: past the FPT level
    const t = Float64Array.from({ length: n }, (_, i) => 6 * i);
    const rul = new Map<number, number>();
    for (let end = 10; end <= n; end++) {
      // every prediction, at the horizon too, has an interval of non-zero width holding its estimate
      const p = assertIntervalWidth(
        model.predict({ asset: 'spike', t: t.subarray(0, end), columns: { x: x.subarray(0, end) } }),
      );
      rul.set(end, p.rul);
    }
    // 28 rows without any rise after the spike: the remaining life has moved out, not in
    expect(rul.get(n)!).toBeGreaterThan(2 * rul.get(52)!);
  });
});

describe('fused index weights before failures show which channels are inconsistent', () => {
  it('with one failed asset the weights are the signal-to-noise-optimal ones', () => {
    // two channels that both rise with the damage: a clean one (failure at 50 healthy sds) and a
    // noisy one (9 sds), like temperature and speed. Their healthy rows are orthogonal +-1 patterns,
    // so the healthy covariance is exactly diagonal and the optimal weights are exactly 50 : 9.
    const n = 60,
      b = 20;
    const sev = (i: number) => (i < 30 ? 0 : 0.02 * Math.exp((Math.log(50) * (i - 30)) / (n - 31)));
    const clean = (i: number) => (i % 2 === 0 ? 1 : -1);
    const noisy = (i: number) => (i % 4 < 2 ? 1 : -1);
    const sd = Math.sqrt(b / (b - 1));
    const unit: Trajectory & { failureT: number } = {
      asset: 'one',
      t: Float64Array.from({ length: n }, (_, i) => i),
      columns: {
        clean: Float64Array.from({ length: n }, (_, i) => 50 * sd * sev(i) + clean(i)),
        noisy: Float64Array.from({ length: n }, (_, i) => 9 * sd * sev(i) + noisy(i)),
      },
      failureT: n,
    };
    const idx = BaselineFusedIndex.fit([unit], ['clean', 'noisy'], b);
    const [wc, wn] = idx.state.weights;
    // the failure state is the last row: 50 and 9 sds plus that row's own healthy noise
    const zc = 50 + clean(n - 1) / sd,
      zn = 9 + noisy(n - 1) / sd;
    expect(wn / wc).toBeCloseTo(zn / zc, 3);
    // the index's healthy noise is then the least any weighting reaches: 1 / |z at failure|
    expect(idx.state.noiseSd / Math.sqrt(1 + 1 / b)).toBeCloseTo(1 / Math.hypot(zc, zn), 3);
  });
});

describe('fpt-exponential with a design prior (failed assets of the same type from elsewhere)', () => {
  // the design fleet and the fleet under test are drawn from the same planted population: time to
  // failure 192 h x exp(0.25 N), onsets 100-200 h, so the design prior is the truth's population
  const rng = new RandomStream(31, 'design prior');
  const unit = (i: number, ttf = 192) =>
    noisyUnit(i, ttf * Math.exp(0.25 * rng.normal()), 100 + 100 * rng.uniform());
  const design = Array.from({ length: 24 }, (_, i) => unit(500 + i));
  const options = { settings: [], channels: ['x'], seed: 1 };
  const prior = fitDesignPrior(design, options, 'planted design units');
  const withPrior: FptExponentialOptions = { ...options, prior };
  const tested = Array.from({ length: 12 }, (_, i) => unit(600 + i));

  it('without one failed asset of its own the model predicts after each FPT, and the interval holds the truth', () => {
    expect(() => fptExponential.fit!([], options)).toThrow(/no failed asset/);
    const model = CalibratedModel.fit(fptExponential, [], withPrior);
    const { n, coverage, alphaLambda } = walkForward(model, tested);
    expect(n).toBeGreaterThan(150);
    // near nominal: the design's scores count as DESIGN_CALIBRATION_ASSETS held-out assets' rows
    // (~280), apart from what the prior is worth in the population. Counted as DESIGN_PRIOR_WEIGHT
    // assets' rows (the third round's coupling, ~47 at a weight of 2) the finite-sample level sat
    // at their largest scores: 99.0% here
    expect(coverage).toBeGreaterThan(0.85);
    expect(coverage).toBeLessThan(0.97);
    expect(alphaLambda).toBeGreaterThan(0.8);
    // the manifest says where the calibration came from
    expect(model.intervalCalibration()).toMatchObject({ priorAssets: 24, priorWeight: DESIGN_PRIOR_WEIGHT });
    expect(model.intervalCalibration().calibrationCases).toBeCloseTo(
      DESIGN_CALIBRATION_ASSETS * prior.scoresPerAsset,
      -1,
    );
  });

  it("counts the design's scores as so many held-out assets, fewer when the design has fewer", () => {
    const cases = (priorCalibrationAssets: number) => {
      const o: FptExponentialOptions = { ...withPrior, priorCalibrationAssets };
      return CalibratedModel.fit(fptExponential, [], o).intervalCalibration().calibrationCases;
    };
    expect(prior.heldOutAssets).toBe(24);
    expect(cases(2)).toBeCloseTo(2 * prior.scoresPerAsset, -1);
    expect(cases(1000)).toBeCloseTo(24 * prior.scoresPerAsset, -1);
  });

  it("the growth-rate prior is the design's, and moves to the fleet's own as its bearings fail", () => {
    const core = (m: CalibratedModel) => (m.state.model as FptExponentialState).core;
    const fit = (train: Trajectory[]) => CalibratedModel.fit(fptExponential, train, withPrior);
    // with no failure of its own: the design assets' mean growth rate, weighted alike
    const designMean = prior.assets.reduce((s, a) => s + a.slope, 0) / prior.assets.length;
    expect(core(fit([])).slopeMean).toBeCloseTo(designMean, 10);
    // a fleet that fails 40% faster than the design: each failure pulls the prior its way, the
    // design staying worth DESIGN_PRIOR_WEIGHT assets
    const fast = Array.from({ length: 12 }, (_, i) => unit(700 + i, 192 / 1.4));
    const slopes = [0, 2, 12].map((m) => core(fit(fast.slice(0, m))).slopeMean);
    expect(slopes[1]).toBeGreaterThan(slopes[0]);
    expect(slopes[2]).toBeGreaterThan(slopes[1]);
    // 12 own against a prior worth DESIGN_PRIOR_WEIGHT: that share of the way to the fleet's own
    // rate (1.4x the design's, up to the sampling of 12 lives)
    const share = 12 / (12 + DESIGN_PRIOR_WEIGHT);
    expect(slopes[2] / slopes[0]).toBeGreaterThan(1 + share * 0.4 * 0.7);
    expect(slopes[2] / slopes[0]).toBeLessThan(1 + share * 0.4 * 1.3);
  });

  it('refuses a prior weight that is not a positive number of assets, naming the option', () => {
    for (const bad of [0, -1, Number.NaN])
      expect(() =>
        CalibratedModel.fit(fptExponential, [], { ...withPrior, priorWeight: bad } as FptExponentialOptions),
      ).toThrow(/priorWeight: expected a number of assets above 0/);
    expect(() =>
      CalibratedModel.fit(fptExponential, [], {
        ...withPrior,
        priorCalibrationAssets: 0,
      } as FptExponentialOptions),
    ).toThrow(/priorCalibrationAssets/);
  });

  it('a model fitted with a prior is saved as state layout 3 and reloads from the registry with identical predictions', () => {
    const o: FptExponentialOptions = { ...withPrior, calibrationStrata: [4] };
    const model = CalibratedModel.fit(fptExponential, tested.slice(0, 2), o);
    const state = model.state.model as FptExponentialState;
    // its library weighs the design's assets: a build that reads layout 2 only must refuse it
    expect(state.version).toBe(3);
    expect(state.core.library.some((l) => l.weight !== undefined)).toBe(true);
    expect(state.strata?.map((s) => s.from)).toEqual([0, 4]);
    expect(
      (CalibratedModel.fit(fptExponential, tested, options).state.model as FptExponentialState).version,
    ).toBe(2);
    const registry = new ModelRegistry(mkdtempSync(join(tmpdir(), 'lt-fpt-prior-')));
    registry.save('fpt', model, {
      parameters: { ...options, prior: prior.source },
      features: { channels: ['x'], settings: [] },
      trainingData: { source: 'planted', assets: 2, rows: 0, fingerprint: '' },
    });
    const back = registry.load('fpt').model;
    let compared = 0;
    for (const u of tested.slice(2, 5))
      for (let end = 10; end <= u.t.length; end += 3) {
        expect(back.predict(firstRows(u, end))).toEqual(model.predict(firstRows(u, end)));
        compared++;
      }
    expect(compared).toBeGreaterThan(30);
  });

  it('with strata by rows since the FPT, each row is scaled by its own stratum', () => {
    const o: FptExponentialOptions = { ...withPrior, calibrationStrata: [4] };
    const model = CalibratedModel.fit(fptExponential, [], o);
    const state = model.state.model as FptExponentialState;
    const [early, late] = state.strata!;
    // the design's first rows after each FPT are its own stratum, counted at their share of the rows
    expect(early.cases + late.cases).toBeCloseTo(state.calibrationCases, -1);
    expect(early.cases).toBeLessThan(late.cases);
    // the first rows after an FPT err more than the rest (the fourth round's measured cause): their
    // scales are the wider on both sides, the pooled ones in between
    expect(early.lowerScale).toBeGreaterThan(state.lowerScale);
    expect(early.upperScale).toBeGreaterThan(state.upperScale);
    expect(late.lowerScale).toBeLessThanOrEqual(state.lowerScale);
    expect(late.upperScale).toBeLessThanOrEqual(state.upperScale);
    type Raw = { rul: number; upper: number; sinceFpt?: number };
    const raw = (s: FptExponentialState, h: Trajectory) =>
      (fptExponential.load(s) as unknown as { predictRaw(h: Trajectory): Raw }).predictRaw(h);
    const bare: FptExponentialState = { ...state, strata: undefined, upperScale: 1, lowerScale: 1 };
    const seen = [0, 0];
    for (const u of tested.slice(0, 3))
      for (let end = 10; end <= u.t.length; end++) {
        const r = raw(bare, firstRows(u, end));
        if (r.sinceFpt === undefined) continue;
        const s = r.sinceFpt < 4 ? early : late;
        seen[r.sinceFpt < 4 ? 0 : 1]++;
        const p = raw(state, firstRows(u, end));
        expect(p.upper - p.rul).toBeCloseTo(s.upperScale * (r.upper - r.rul), 6);
      }
    expect(seen[0]).toBeGreaterThan(5);
    expect(seen[1]).toBeGreaterThan(20);
  });

  it('refuses a design asset without a failure time, naming it', () => {
    const { failureT: _f, ...live } = design[0];
    expect(() => fitDesignPrior([live as Trajectory, ...design.slice(1)], options, 'x')).toThrow(
      /asset n500/,
    );
  });
});
