/**
 * Bearing health on the synthetic run-to-failure fleet: how the condition indicators move as a
 * defect grows, how early the Mahalanobis alerts come (lead times, false alarms), and how the
 * similarity RUL model tracks the truth, walk-forward (each prediction from a model trained only on
 * bearings that had failed by then).
 *
 *   npx tsx notebooks/bearing-health.ts [--assets 12] [--seed 1] [--interval 6h] [--lead-time 2d] [--home DIR]
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatDuration, parseDuration, validate } from '../core/index.ts';
import { FleetConfig } from '../ingest/index.ts';
import {
  ANOMALY_DEFAULTS,
  FLEET_CHANNELS,
  fleetRulModel,
  backtest,
  fleetTrajectories,
  MahalanobisDetector,
  type FleetTrajectory,
} from '../models/index.ts';
import { isMain, notebookArgs, num, Report } from './report.ts';

const DAY = 86_400_000;

export interface BearingHealthOptions {
  home: string;
  assets?: number;
  seed?: number;
  interval?: string;
  snapshotSeconds?: number;
  leadTime?: string;
}

export async function bearingHealth(o: BearingHealthOptions) {
  const config = validate(
    FleetConfig,
    {
      assets: o.assets ?? 12,
      seed: o.seed ?? 1,
      interval: o.interval ?? '6h',
      snapshotSeconds: o.snapshotSeconds ?? 0.25,
    },
    'bearing-health options',
  );
  const leadTime = parseDuration(o.leadTime ?? '2d', '--lead-time');
  const r = new Report('bearing-health', 'Bearing health: condition indicators, alert lead times and RUL');
  const fleet: FleetTrajectory[] = fleetTrajectories(config);
  r.p(
    `A synthetic fleet of ${fleet.length} rolling-element bearings (seed ${config.seed}), each run to failure with a known defect onset: vibration snapshots of ${config.snapshotSeconds} s at ${config.sampleRateHz} Hz every ${config.interval}, with temperature, load and speed. ` +
      'Every number below comes from the data generated for this report; rerun with the same options for the same report.',
  );

  r.h2('The fleet');
  r.table(
    ['asset', 'fault mode', 'snapshots', 'life (days)', 'healthy for (days)'],
    fleet.map((a) => [
      a.asset,
      a.faultMode,
      a.t.length,
      num((a.failureT - a.t[0]) / DAY, 1),
      num((a.onsetT - a.t[0]) / DAY, 1),
    ]),
  );

  r.h2('Condition indicators against time to failure');
  r.p(
    'RMS and kurtosis of each snapshot, and the envelope-spectrum amplitude at the outer-race (BPFO) and inner-race (BPFI) defect frequencies, against the days left before failure. ' +
      'Impulsiveness (kurtosis, envelope amplitudes) rises first; energy (RMS) follows as the defect grows.',
  );
  const indicatorRows = fleet.flatMap((a) =>
    Array.from(a.t, (t, i) =>
      ['rms', 'kurtosis', 'env_bpfo', 'env_bpfi'].map((c) => ({
        asset: a.asset,
        fault: a.faultMode,
        daysLeft: (a.failureT - t) / DAY,
        indicator: c,
        value: a.columns[c][i],
      })),
    ).flat(),
  );
  await r.chart({
    data: { values: indicatorRows },
    facet: { field: 'indicator', type: 'nominal', title: null },
    columns: 2,
    spec: {
      width: 380,
      height: 170,
      mark: { type: 'line', strokeWidth: 1, opacity: 0.7 },
      encoding: {
        x: {
          field: 'daysLeft',
          type: 'quantitative',
          scale: { reverse: true },
          title: 'days before failure',
        },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: null },
        detail: { field: 'asset' },
        color: { field: 'fault', type: 'nominal', title: 'fault mode' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec);

  r.h2('Anomaly alerts');
  const detector = MahalanobisDetector.fit(fleet, FLEET_CHANNELS, {
    fraction: ANOMALY_DEFAULTS.baselineFraction,
    falseAlarmRate: ANOMALY_DEFAULTS.falseAlarmRate,
  });
  const report = await backtest(fleet, {
    channels: FLEET_CHANNELS,
    leadTime,
    rul: fleetRulModel(fleet, config.seed),
  });
  r.p(
    `A Mahalanobis detector on ${FLEET_CHANNELS.join(', ')}, fitted on the first 20% of every bearing's life with its threshold at a 1% false-alarm rate; an alert needs two alarms in a row. ` +
      `**Detection rate ${num(100 * report.detectionRate, 0)}%** (alerts at least ${formatDuration(leadTime)} before failure), ` +
      `**${num(report.falseAlarmsPerAssetMonth, 3)} false alarms per asset-month** of healthy operation` +
      (report.leadTimes
        ? `, lead times from ${formatDuration(report.leadTimes.min)} to ${formatDuration(report.leadTimes.max)} (median ${formatDuration(report.leadTimes.median)}).`
        : '.'),
  );
  r.table(
    ['asset', 'first alert before failure', 'detected', 'false alarms', 'driven by'],
    report.perAsset.map((p) => [
      p.asset,
      p.leadTime === null ? 'no alert' : formatDuration(p.leadTime),
      p.detected ? 'yes' : 'no',
      p.falseAlarms,
      p.alarmContributors.map((c) => c.channel).join(', '),
    ]),
  );
  await r.chart(
    {
      width: 700,
      height: 220,
      data: { values: report.perAsset.map((p) => ({ asset: p.asset, lead: (p.leadTime ?? 0) / DAY })) },
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'asset', type: 'nominal', axis: { labelAngle: -45 } },
            y: { field: 'lead', type: 'quantitative', title: 'alert lead time (days)' },
          },
        },
        {
          data: { values: [{ y: leadTime / DAY }] },
          mark: { type: 'rule', color: '#dc2626', strokeDash: [4, 3] },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
    'Lead time of the first alert per bearing; the dashed line is the required warning.',
  );
  const example = fleet[0];
  const scores = detector.score(example);
  await r.chart(
    {
      width: 700,
      height: 200,
      layer: [
        {
          data: {
            values: Array.from(scores.score, (s, i) => ({
              daysLeft: (example.failureT - example.t[i]) / DAY,
              score: Math.max(s, 1e-3),
            })),
          },
          mark: 'line',
          encoding: {
            x: {
              field: 'daysLeft',
              type: 'quantitative',
              scale: { reverse: true },
              title: 'days before failure',
            },
            y: { field: 'score', type: 'quantitative', scale: { type: 'log' }, title: 'Mahalanobis D²' },
          },
        },
        {
          data: { values: [{ y: scores.threshold }] },
          mark: { type: 'rule', color: '#d97706' },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
    `${example.asset}: the anomaly score and its threshold (orange).`,
  );

  r.h2('Remaining useful life, walk-forward');
  const withPredictions = report.perAsset.filter((p) => p.predictions.length > 0);
  r.p(
    `Similarity RUL with conformal intervals; a bearing gets predictions once at least three others have failed. ` +
      `Alpha-lambda accuracy (alpha 0.2): ${report.alphaLambdaAccuracy.map((a) => `lambda ${a.lambda}: ${a.fraction === null ? '–' : `${num(100 * a.fraction, 0)}%`}`).join(', ')}; ` +
      `mean prognostic horizon ${report.meanPrognosticHorizon === null ? '–' : formatDuration(report.meanPrognosticHorizon)}.`,
  );
  const shown = withPredictions.slice(-3);
  await r.chart(
    {
      data: {
        values: shown.flatMap((p) =>
          p.predictions.map((x) => ({
            asset: p.asset,
            daysLeft: x.truth / DAY,
            rul: x.rul / DAY,
            lower: x.lower / DAY,
            upper: x.upper / DAY,
            truth: x.truth / DAY,
          })),
        ),
      },
      facet: { column: { field: 'asset', type: 'nominal', title: null } },
      spec: {
        width: 220,
        height: 200,
        layer: [
          {
            mark: { type: 'area', opacity: 0.25 },
            encoding: {
              x: {
                field: 'daysLeft',
                type: 'quantitative',
                scale: { reverse: true },
                title: 'days before failure',
              },
              y: { field: 'lower', type: 'quantitative', title: 'RUL (days)' },
              y2: { field: 'upper' },
            },
          },
          {
            mark: 'line',
            encoding: {
              x: { field: 'daysLeft', type: 'quantitative', scale: { reverse: true } },
              y: { field: 'rul', type: 'quantitative' },
            },
          },
          {
            mark: { type: 'line', color: '#6b7280', strokeDash: [2, 2] },
            encoding: {
              x: { field: 'daysLeft', type: 'quantitative', scale: { reverse: true } },
              y: { field: 'truth', type: 'quantitative' },
            },
          },
        ],
      },
    } as TopLevelSpec,
    'Predicted RUL (line) with its 90% interval (band) against the true RUL (dashed).',
  );
  const file = r.write(o.home, { seed: config.seed, assets: fleet.length });
  return { file, report, charts: r.chartCount };
}

if (isMain(import.meta.url)) {
  const { home, values } = notebookArgs(process.argv.slice(2), {
    assets: { type: 'string' },
    seed: { type: 'string' },
    interval: { type: 'string' },
    'lead-time': { type: 'string' },
  });
  const out = await bearingHealth({
    home,
    assets: values.assets ? Number(values.assets) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    interval: values.interval as string | undefined,
    leadTime: values['lead-time'] as string | undefined,
  });
  process.stdout.write(`bearing-health: ${out.file}\n`);
}
