/**
 * The chart a reliability engineer reads a RUL backtest from: for every asset, the predicted RUL
 * (line) with its interval (band) against the true RUL (dashed), in hours before failure, with the
 * first predicting time marked. A Vega-Lite spec (plain JSON: no renderer needed to produce it).
 */
import type { BacktestReport } from './walk-forward-backtest.ts';

const HOUR = 3_600_000;

/** Vega-Lite spec of RUL vs truth with the band, one facet per asset with predictions. `unitMs`: ms per time unit. */
export function rulBacktestChart(r: BacktestReport, unitMs = 1): Record<string, unknown> {
  const h = (v: number) => +((v * unitMs) / HOUR).toFixed(2);
  const values = r.perAsset.flatMap((p) =>
    p.predictions.map((x) => ({
      asset: p.asset,
      hoursLeft: h(x.truth),
      rul: h(x.rul),
      lower: h(x.lower),
      upper: h(x.upper),
      truth: h(x.truth),
      afterFpt: p.firstPredictionT !== null && x.t >= p.firstPredictionT,
    })),
  );
  const x = {
    field: 'hoursLeft',
    type: 'quantitative',
    scale: { reverse: true },
    title: 'hours before failure',
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    description: `predicted RUL with its ${Math.round(100 * (r.nominalCoverage ?? 0.9))}% interval against the truth, walk-forward`,
    data: { values },
    facet: { field: 'asset', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 200,
      height: 150,
      layer: [
        {
          mark: { type: 'area', opacity: 0.25, color: '#2563eb' },
          encoding: {
            x,
            y: { field: 'lower', type: 'quantitative', title: 'RUL (h)' },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'line' },
          encoding: {
            x,
            y: { field: 'rul', type: 'quantitative' },
            color: {
              field: 'afterFpt',
              type: 'nominal',
              scale: { domain: [false, true], range: ['#93c5fd', '#2563eb'] },
              legend: { title: 'after the FPT' },
            },
          },
        },
        {
          mark: { type: 'line', color: '#6b7280', strokeDash: [3, 3] },
          encoding: { x, y: { field: 'truth', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
