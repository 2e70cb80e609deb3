import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, validate } from '../../core/index.ts';
import { FleetConfig } from '../../ingest/index.ts';
import {
  backtest,
  designFleetPrior,
  DESIGN_ASSETS_PER_SEED,
  DESIGN_SEEDS,
  fleetRulModel,
  fleetTrajectories,
  readDesignPrior,
  writeDesignPrior,
  type RulFamily,
  type Trajectory,
} from '../../models/index.ts';

const DAY = 86_400_000;
const channels = ['rms', 'kurtosis', 'env_bpfo', 'env_bpfi', 'env_bsf', 'temperature'];

describe('walk-forward backtest on the synthetic fleet (ground truth known)', () => {
  const assets = fleetTrajectories(
    validate(FleetConfig, { assets: 10, seed: 5, snapshotSeconds: 0.1, interval: '6h' }, 'test'),
  );
  const report = backtest(assets, {
    channels,
    leadTime: 2 * DAY,
    rul: fleetRulModel(assets, 1),
  });

  it('alerts every asset after its defect onset and at least the lead time before failure', () => {
    expect(report.detectionRate).toBeGreaterThanOrEqual(0.9);
    for (const p of report.perAsset) {
      const a = assets.find((x) => x.asset === p.asset)!;
      if (p.firstAlertT === null) continue;
      expect(p.firstAlertT).toBeGreaterThanOrEqual(a.onsetT);
      expect(p.leadTime).toBe(a.failureT - p.firstAlertT);
      expect(p.alarmContributors.length).toBeGreaterThan(0);
    }
    // a 1% per-row false-alarm rate with 2-in-a-row hysteresis: rare
    expect(report.falseAlarmsPerAssetMonth).toBeLessThan(1);
  });

  it('predicts RUL only from assets that had failed before each prediction', () => {
    const firstFailure = Math.min(...assets.map((a) => a.failureT));
    for (const p of report.perAsset) {
      for (const pr of p.predictions) {
        expect(pr.t).toBeGreaterThanOrEqual(firstFailure); // the library needs a failed asset
        expect(pr.upper).toBeGreaterThan(pr.lower); // no interval of zero width
        expect(pr.truth).toBe(p.failureT - pr.t);
        expect(pr.lower).toBeLessThanOrEqual(pr.rul);
      }
    }
    expect(report.perAsset.some((p) => p.predictions.length > 0)).toBe(true);
  });

  it('prognostic horizon: every prediction from failure - PH on lies inside the alpha bound', () => {
    expect(report.perAsset.some((p) => p.prognosticHorizon !== null)).toBe(true);
    for (const p of report.perAsset) {
      if (p.prognosticHorizon === null) continue;
      if (p.prognosticHorizon === 0 || p.firstPredictionT === null) continue;
      const bound = 0.2 * (p.failureT - p.firstPredictionT);
      const from = p.failureT - p.prognosticHorizon;
      const inside = p.predictions.filter((x) => x.t >= from);
      expect(inside.length).toBeGreaterThan(0);
      for (const x of inside) expect(Math.abs(x.rul - x.truth)).toBeLessThanOrEqual(bound);
      // and the prediction just before it, if any, was outside (the horizon starts as early as it can)
      const before = p.predictions.filter((x) => x.t < from && x.t >= p.firstPredictionT!).at(-1);
      if (before) expect(Math.abs(before.rul - before.truth)).toBeGreaterThan(bound);
    }
  });
});

describe('walk-forward with a design prior (the same bearing type failed on other seeds)', () => {
  const config = validate(FleetConfig, { assets: 10, seed: 5, snapshotSeconds: 0.1, interval: '6h' }, 'test');
  const assets = fleetTrajectories(config);
  const prior = designFleetPrior(config);
  const report = backtest(assets, { channels, leadTime: 2 * DAY, rul: fleetRulModel(assets, 1, prior) });

  it('is learnt on other seeds only, never the tested fleet', () => {
    expect(prior.source).toContain(DESIGN_SEEDS.join(','));
    // its calibration scores hold out each design seed's bearings together: all of them scored
    expect(prior.heldOutAssets).toBe(DESIGN_SEEDS.length * DESIGN_ASSETS_PER_SEED);
    // a tested seed among the design seeds is replaced by the next free one
    const onDesignSeed = designFleetPrior({ ...config, seed: DESIGN_SEEDS[0] });
    expect(onDesignSeed.source).not.toMatch(new RegExp(`seeds ${DESIGN_SEEDS[0]},`));
    expect(onDesignSeed.source).toContain(String(DESIGN_SEEDS.at(-1)! + 1));
  });

  it("predicts from each asset's own FPT before the fleet's first failure, and covers the truth", () => {
    const firstFailure = Math.min(...assets.map((a) => a.failureT));
    const early = report.perAsset.filter(
      (p) => p.firstPredictionT !== null && p.firstPredictionT < firstFailure,
    );
    expect(early.length).toBeGreaterThan(assets.length / 2);
    const after = report.perAsset.flatMap((p) =>
      p.predictions.filter((x) => p.firstPredictionT !== null && x.t >= p.firstPredictionT),
    );
    for (const x of after) expect(x.upper).toBeGreaterThan(x.lower);
    expect(report.intervalCoverage!).toBeGreaterThan(0.75);
  });
  it('goes to a file and back unchanged; a file that is not one is refused naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-prior-'));
    const file = join(dir, 'design-prior.json');
    writeDesignPrior(file, prior);
    expect(readDesignPrior(file)).toEqual(prior);
    writeFileSync(file, '{"format": "leadtime/fpt-design-prior@1", "prior": ');
    expect(() => readDesignPrior(file)).toThrow(InputError);
    expect(() => readDesignPrior(file)).toThrow(/design-prior\.json: cannot read the design prior/);
    writeFileSync(file, JSON.stringify({ format: 'something-else@1', prior }));
    expect(() => readDesignPrior(file)).toThrow(/format/);
  });
});

describe('the fleet RUL does not collapse (issue 15: every RUL was 2.3 h with a zero-width interval)', () => {
  const assets = fleetTrajectories(
    validate(FleetConfig, { assets: 10, seed: 5, snapshotSeconds: 0.1, interval: '6h' }, 'test'),
  );
  const report = backtest(assets, { channels, leadTime: 2 * DAY, rul: fleetRulModel(assets, 1) });

  it('predictions after the FPT follow the truth down, with bands that cover it', () => {
    const after = report.perAsset.flatMap((p) =>
      p.firstPredictionT === null ? [] : p.predictions.filter((x) => x.t >= p.firstPredictionT!),
    );
    expect(after.length).toBeGreaterThan(50);
    // the collapse put every first prediction at the same few hours: now they spread with the truth
    const firsts = report.perAsset.flatMap((p) =>
      p.firstPredictionT === null ? [] : [p.predictions.find((x) => x.t === p.firstPredictionT)!],
    );
    expect(new Set(firsts.map((x) => Math.round(x.rul / 3_600_000))).size).toBeGreaterThan(firsts.length / 2);
    // RUL correlates with the truth after the FPT
    const mx = after.reduce((s, x) => s + x.truth, 0) / after.length;
    const my = after.reduce((s, x) => s + x.rul, 0) / after.length;
    let sxy = 0,
      sxx = 0,
      syy = 0;
    for (const x of after) {
      sxy += (x.truth - mx) * (x.rul - my);
      sxx += (x.truth - mx) ** 2;
      syy += (x.rul - my) ** 2;
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.6);
    // measured 0.90 on this 10-asset fleet (0.56 with the log-linear fit from the FPT; README)
    expect(report.intervalCoverage!).toBeGreaterThan(0.8);
    expect(report.intervalCoverage!).toBeLessThan(0.97);
    // alpha-lambda (alpha 0.2) at lambda 0.5, measured 0.78 (issue 15's target: 0.7)
    expect(report.alphaLambdaAccuracy[1].fraction!).toBeGreaterThanOrEqual(0.7);
    // the pooled figures are the per-prediction ones
    const inside = after.filter((x) => x.truth >= x.lower && x.truth <= x.upper).length;
    expect(report.intervalCoverage).toBeCloseTo(inside / after.length, 12);
  });
});

describe('backtest metrics against an oracle and the zero-width guard', () => {
  // three hand-made assets: one channel, failure at 100 h, 110 h, 120 h, a row every hour
  const H = 3_600_000;
  const mk = (i: number, life: number): Trajectory & { failureT: number; onsetT: number } => {
    const n = life;
    return {
      asset: `a${i}`,
      t: Float64Array.from({ length: n }, (_, k) => k * H),
      columns: {
        x: Float64Array.from(
          { length: n },
          (_, k) => Math.sin(k * (i + 1)) + (k > life - 30 ? k - life + 30 : 0),
        ),
      },
      failureT: life * H,
      onsetT: (life - 30) * H,
    };
  };
  const assets = [mk(0, 100), mk(1, 110), mk(2, 120)];
  const failure = new Map(assets.map((a) => [a.asset, a.failureT]));
  // an oracle that knows the truth: RUL exact, +-10% band, FPT 30 h before failure
  const oracle = (width: number): RulFamily => ({
    family: 'oracle',
    description: 'knows the failure times',
    fit: () => ({
      family: 'oracle',
      state: null,
      predictRaw: (h: Trajectory) => {
        const t = h.t[h.t.length - 1];
        const rul = failure.get(h.asset)! - t;
        return {
          rul,
          lower: rul * (1 - width),
          upper: rul * (1 + width),
          firstPredictingT: rul <= 30 * H ? failure.get(h.asset)! - 30 * H : null,
        };
      },
    }),
    load: () => {
      throw new Error('not saved');
    },
  });

  it('an exact RUL scores alpha-lambda 1, coverage 1, RMSE 0 and PH = failure - first prediction after the FPT', () => {
    const r = backtest(assets, {
      channels: ['x'],
      leadTime: 0,
      monthLength: 720 * H,
      rul: { family: oracle(0.1), options: { settings: [], channels: ['x'] }, minLibrary: 1 },
    });
    // the library has a failed asset from 100 h on: a1 (fails 110 h) is predicted from 100 h, a2 from 100 h
    const a1 = r.perAsset.find((p) => p.asset === 'a1')!;
    const a2 = r.perAsset.find((p) => p.asset === 'a2')!;
    expect(a1.firstPredictionT).toBe(100 * H); // FPT at 80 h, but no library before 100 h
    expect(a2.firstPredictionT).toBe(100 * H); // FPT at 90 h
    expect(a1.prognosticHorizon).toBe(10 * H);
    expect(a2.prognosticHorizon).toBe(20 * H);
    expect(r.meanPrognosticHorizon).toBe(15 * H);
    expect(r.prognosedAssets).toBe(2);
    for (const a of r.alphaLambdaAccuracy) expect(a.fraction).toBe(1);
    expect(r.intervalCoverage).toBe(1);
    expect(r.rmseAfterFpt).toBe(0);
  });

  it('a prediction whose interval has zero width stops the backtest, naming the asset', () => {
    expect(() =>
      backtest(assets, {
        channels: ['x'],
        leadTime: 0,
        rul: { family: oracle(0), options: { settings: [], channels: ['x'] }, minLibrary: 1 },
      }),
    ).toThrow(/asset a1 at t=.*zero width/);
  });
});
