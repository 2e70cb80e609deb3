import { describe, expect, it } from 'vitest';
import { validate } from '../../core/index.ts';
import { FleetConfig } from '../../ingest/index.ts';
import { backtest, fleetTrajectories, RUL_FAMILIES } from '../../models/index.ts';

const DAY = 86_400_000;
const channels = ['rms', 'kurtosis', 'env_bpfo', 'env_bpfi', 'env_bsf', 'temperature'];

describe('walk-forward backtest on the synthetic fleet (ground truth known)', () => {
  const assets = fleetTrajectories(
    validate(FleetConfig, { assets: 10, seed: 5, snapshotSeconds: 0.1, interval: '6h' }, 'test'),
  );
  const report = backtest(assets, {
    channels,
    leadTime: 2 * DAY,
    rul: { family: RUL_FAMILIES.similarity, options: { settings: [], channels, cap: 6 * DAY, seed: 1 } },
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
    const third = assets.map((a) => a.failureT).sort((x, y) => x - y)[2];
    for (const p of report.perAsset) {
      for (const pr of p.predictions) {
        expect(pr.t).toBeGreaterThanOrEqual(third); // the library needs 3 failed assets
        expect(pr.t).toBeGreaterThan(firstFailure);
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
      const bound = 0.2 * (p.failureT - p.predictions[0].t);
      const from = p.failureT - p.prognosticHorizon;
      const inside = p.predictions.filter((x) => x.t >= from);
      expect(inside.length).toBeGreaterThan(0);
      for (const x of inside) expect(Math.abs(x.rul - x.truth)).toBeLessThanOrEqual(bound);
      // and the prediction just before it, if any, was outside (the horizon starts as early as it can)
      const before = p.predictions.filter((x) => x.t < from).at(-1);
      if (before) expect(Math.abs(before.rul - before.truth)).toBeGreaterThan(bound);
    }
  });
});
