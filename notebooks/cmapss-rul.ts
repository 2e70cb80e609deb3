/**
 * RUL on NASA C-MAPSS (FD001 by default): the engines' lives, which sensors carry the degradation
 * (monotonicity, trendability, prognosability), the fused health indicator, and engine-wise K-fold
 * cross-validation of the RUL model families (RMSE, PHM08 score, MAE, interval coverage), with the
 * best model's predictions against the truth.
 *
 *   npx tsx notebooks/cmapss-rul.ts [--train FILE] [--folds 5] [--models similarity,linear-degradation,...]
 *                                   [--units N] [--home DIR]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../core/index.ts';
import {
  CMAPSS_SENSORS,
  CMAPSS_SETTINGS,
  crossValidate,
  HealthIndicator,
  rankChannels,
  readCmapss,
  RegimeNormalizer,
  rulFamily,
  scoreIndicator,
  type EvaluationReport,
} from '../models/index.ts';
import { isMain, notebookArgs, num, Report } from './report.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_TRAIN = join(repo, '../shared/data/cmapss/train_FD001.txt');
/** the families compared by default (the neural ones are left to `leadtime evaluate`: they train for minutes) */
export const DEFAULT_MODELS = ['similarity', 'linear-degradation', 'exponential-degradation', 'weibull'];

export interface CmapssRulOptions {
  home: string;
  train?: string;
  folds?: number;
  models?: string[];
  /** use only the first N engines (small runs) */
  units?: number;
  cap?: number;
  seed?: number;
}

export async function cmapssRul(o: CmapssRulOptions) {
  const train = o.train ?? DEFAULT_TRAIN;
  const folds = o.folds ?? 5;
  const cap = o.cap ?? 125;
  const seed = o.seed ?? 1;
  const models = o.models ?? DEFAULT_MODELS;
  models.forEach((m) => rulFamily(m));
  const r = new Report('cmapss-rul', 'C-MAPSS: health indicator and remaining useful life');
  const data = await readCmapss(train, true);
  const trajs = o.units ? data.trajectories.slice(0, o.units) : data.trajectories;
  if (trajs.length < Math.max(3, folds))
    throw new InputError(
      `${train}: needs at least ${Math.max(3, folds)} engines for ${folds}-fold CV, found ${trajs.length}`,
    );
  const lives = trajs.map((t) => t.t.length);
  r.p(
    `${trajs.length} run-to-failure engines from \`${train.replace(resolve(repo, '..') + '/', '')}\` (${lives.reduce((s, v) => s + v, 0)} cycles; ${data.rejected.length} rows rejected by the reader). ` +
      `RUL targets are capped at ${cap} cycles (piecewise linear), as is usual for this data set. Metrics are those of the PHM08 challenge: RMSE and the asymmetric score that punishes late predictions more.`,
  );

  r.h2('Engine lives');
  await r.chart(
    {
      width: 600,
      height: 180,
      data: { values: lives.map((cycles) => ({ cycles })) },
      mark: 'bar',
      encoding: {
        x: { field: 'cycles', type: 'quantitative', bin: { maxbins: 25 }, title: 'cycles to failure' },
        y: { aggregate: 'count', type: 'quantitative', title: 'engines' },
      },
    } as TopLevelSpec,
    `Life from ${Math.min(...lives)} to ${Math.max(...lives)} cycles.`,
  );

  r.h2('Which sensors carry the degradation');
  const normalizer = RegimeNormalizer.fit(trajs, CMAPSS_SETTINGS, CMAPSS_SENSORS);
  const ranked = rankChannels(
    trajs.map((t) => normalizer.transform(t)),
    CMAPSS_SENSORS,
    5,
  );
  const hi = HealthIndicator.fit(trajs, {
    settings: CMAPSS_SETTINGS,
    channels: CMAPSS_SENSORS,
    cap,
    smoothWindow: 5,
  });
  const fused = scoreIndicator(
    'HI (fused)',
    trajs.map((t) => hi.transform(t)),
  );
  r.p(
    `Sensors normalised within ${normalizer.regimes} operating regime(s), smoothed over 5 cycles and scored after Coble & Hines (2009). ` +
      `The fused HI regresses the selected sensors (${hi.state.selected.join(', ')}) onto a 1 -> 0 target.`,
  );
  r.table(
    ['indicator', 'monotonicity', 'trendability', 'prognosability', 'fitness'],
    [fused, ...ranked.slice(0, 10)].map((x) => [
      x.name,
      num(x.monotonicity, 3),
      num(x.trendability, 3),
      num(x.prognosability, 3),
      num(x.fitness, 3),
    ]),
  );
  const shown = trajs.filter((_, i) => i % Math.max(1, Math.floor(trajs.length / 20)) === 0).slice(0, 20);
  await r.chart(
    {
      width: 700,
      height: 260,
      data: {
        values: shown.flatMap((t) => {
          const h = hi.transform(t);
          return Array.from(t.t, (c, i) => ({ engine: t.asset, left: t.failureT! - c, hi: h[i] }));
        }),
      },
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1, opacity: 0.6 },
          encoding: {
            x: {
              field: 'left',
              type: 'quantitative',
              scale: { reverse: true },
              title: 'cycles before failure',
            },
            y: { field: 'hi', type: 'quantitative', title: 'health index' },
            detail: { field: 'engine' },
          },
        },
        {
          data: { values: [{ y: 0 }] },
          mark: { type: 'rule', color: '#dc2626' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
    `The fused HI of ${shown.length} engines against cycles before failure; failure threshold at 0 (red).`,
  );

  r.h2(`${folds}-fold engine-wise cross-validation`);
  r.p(
    'Engines are split into folds; each held-out engine is cut at a random cycle (as the official test set is) and its RUL predicted by a model trained on the other folds. Intervals are split-conformal, nominal 90%.',
  );
  const reports: EvaluationReport[] = [];
  for (const m of models)
    reports.push(
      await crossValidate(
        rulFamily(m),
        trajs,
        folds,
        { settings: CMAPSS_SETTINGS, channels: CMAPSS_SENSORS, cap, coverage: 0.9, seed },
        { seed },
      ),
    );
  reports.sort((a, b) => a.rmse - b.rmse);
  r.table(
    ['model', 'RMSE', 'PHM08 score', 'MAE', 'coverage (90% nominal)', 'mean width', 'train s'],
    reports.map((x) => [
      x.model,
      num(x.rmse, 2),
      num(x.score, 0),
      num(x.mae, 2),
      `${num(100 * x.coverage, 0)}%`,
      num(x.meanIntervalWidth, 1),
      num(x.trainSeconds, 1),
    ]),
  );
  const best = reports[0];
  const preds = best.predictions.map((p) => ({ ...p, error: p.rul - p.truth }));
  await r.chart(
    {
      width: 420,
      height: 340,
      data: { values: preds },
      layer: [
        {
          mark: { type: 'rule', opacity: 0.3 },
          encoding: {
            x: { field: 'truth', type: 'quantitative', title: 'true RUL (cycles)' },
            y: { field: 'lower', type: 'quantitative', title: 'predicted RUL (cycles)' },
            y2: { field: 'upper' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 25 },
          encoding: {
            x: { field: 'truth', type: 'quantitative' },
            y: { field: 'rul', type: 'quantitative' },
          },
        },
        {
          data: { values: [{ a: 0 }, { a: Math.max(...preds.map((p) => p.truth)) }] },
          mark: { type: 'line', color: '#6b7280', strokeDash: [4, 3] },
          encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'a', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
    `${best.model}: predicted against true RUL with 90% intervals; the dashed line is a perfect prediction.`,
  );
  await r.chart(
    {
      width: 420,
      height: 200,
      data: { values: preds },
      mark: 'bar',
      encoding: {
        x: {
          field: 'error',
          type: 'quantitative',
          bin: { maxbins: 30 },
          title: 'predicted - true RUL (cycles; > 0 is late)',
        },
        y: { aggregate: 'count', type: 'quantitative', title: 'engines' },
      },
    } as TopLevelSpec,
    'Errors of the best model: late predictions (right) cost more in the PHM08 score.',
  );
  const file = r.write(o.home, { train, folds, seed });
  return { file, reports, charts: r.chartCount };
}

if (isMain(import.meta.url)) {
  const { home, values } = notebookArgs(process.argv.slice(2), {
    train: { type: 'string' },
    folds: { type: 'string' },
    models: { type: 'string' },
    units: { type: 'string' },
    seed: { type: 'string' },
  });
  const out = await cmapssRul({
    home,
    train: values.train as string | undefined,
    folds: values.folds ? Number(values.folds) : undefined,
    models: values.models ? String(values.models).split(',') : undefined,
    units: values.units ? Number(values.units) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
  });
  process.stdout.write(`cmapss-rul: ${out.file}\n`);
}
