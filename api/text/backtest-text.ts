/** `leadtime backtest` as text: detection, lead times, alpha-lambda, prognostic horizon, per asset. */
import { formatDuration } from '../../core/index.ts';
import type { BacktestReport } from '../../models/index.ts';

export function formatBacktest(r: BacktestReport, designPrior: string | null = null): string {
  const d = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : formatDuration(ms));
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(0)}%`);
  return [
    `assets ${r.assets}: detection rate ${(100 * r.detectionRate).toFixed(0)}%, false alarms ${r.falseAlarmsPerAssetMonth.toFixed(3)} per asset-month`,
    `lead time of first alert: min ${d(r.leadTimes?.min)}, median ${d(r.leadTimes?.median)}, max ${d(r.leadTimes?.max)}`,
    designPrior
      ? `RUL model started from a design prior (${designPrior}), updated by this fleet's failures`
      : "RUL model fitted on this fleet's own failures only (no design prior)",
    `RUL after the first predicting time, over ${r.prognosedAssets} of ${r.assets} assets${r.prognosedAssets < r.assets ? ' (the others have no prediction after their first predicting time)' : ''}:`,
    `  alpha-lambda accuracy (alpha 0.2): ${r.alphaLambdaAccuracy.map((a) => `lambda ${a.lambda}: ${a.fraction === null ? '-' : `${(100 * a.fraction).toFixed(0)}%`}`).join(', ')}`,
    `  mean prognostic horizon: ${d(r.meanPrognosticHorizon)} (median alert lead ${d(r.leadTimes?.median)})`,
    `  ${pct(r.nominalCoverage)} interval coverage of the truth: ${pct(r.intervalCoverage)}; RMSE ${d(r.rmseAfterFpt)}`,
    ...r.perAsset.map(
      (p) =>
        `  ${p.asset}  alert ${d(p.leadTime)} before failure${p.alarmContributors.length ? ` (${p.alarmContributors.map((c) => c.channel).join(', ')})` : ''}, false alarms ${p.falseAlarms}, ${p.predictions.length} RUL predictions` +
        (p.firstPredictionT === null
          ? ''
          : `, from ${d(p.failureT - p.firstPredictionT)} before failure: PH ${d(p.prognosticHorizon)}, coverage ${pct(p.coverage)}, RMSE ${d(p.rmse)}`),
    ),
  ].join('\n');
}
