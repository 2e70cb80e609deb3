/**
 * An evaluation report with every accuracy figure named after the truth it was scored against.
 * The C-MAPSS literature mixes RMSE against the raw true RUL and against the truth capped as the
 * training target is (min(cap, truth)); the figures differ by several cycles on FD001, so the
 * `evaluate` output never leaves it implicit.
 */
import type { EvaluationReport } from './cmapss-protocol.ts';

export interface LabelledReport {
  model: string;
  n: number;
  folds?: number;
  rmseRawTruth: number;
  rmseCappedTruth: number;
  /** the cap of the capped truth (and of the training target) */
  cap: number;
  phm08ScoreRawTruth: number;
  phm08ScoreCappedTruth: number;
  maeRawTruth: number;
  /** fraction of raw truths inside the intervals */
  coverageRawTruth: number;
  nominalCoverage: number;
  meanIntervalWidth: number;
  trainSeconds: number;
  predictSeconds: number;
  predictions: EvaluationReport['predictions'];
}

export function labelledReport(r: EvaluationReport & { folds?: number }): LabelledReport {
  return {
    model: r.model,
    n: r.n,
    ...(r.folds !== undefined && { folds: r.folds }),
    rmseRawTruth: r.rmse,
    rmseCappedTruth: r.cappedRmse,
    cap: r.cap,
    phm08ScoreRawTruth: r.score,
    phm08ScoreCappedTruth: r.cappedScore,
    maeRawTruth: r.mae,
    coverageRawTruth: r.coverage,
    nominalCoverage: r.nominalCoverage,
    meanIntervalWidth: r.meanIntervalWidth,
    trainSeconds: r.trainSeconds,
    predictSeconds: r.predictSeconds,
    predictions: r.predictions,
  };
}

/** The text table: a header naming the truth of each column, one row per report. */
export function formatReports(reports: EvaluationReport[]): string {
  const cap = reports[0]?.cap ?? 125;
  const nominal = reports[0]?.nominalCoverage ?? 0.9;
  const cols: [string, number, (r: EvaluationReport) => string][] = [
    ['model', 24, (r) => r.model],
    ['RMSE raw', 9, (r) => r.rmse.toFixed(2)],
    [`RMSE cap${cap}`, 12, (r) => r.cappedRmse.toFixed(2)],
    ['PHM08 raw', 10, (r) => r.score.toFixed(0)],
    [`PHM08 cap${cap}`, 13, (r) => r.cappedScore.toFixed(0)],
    ['MAE raw', 8, (r) => r.mae.toFixed(2)],
    [`cover (${(100 * nominal).toFixed(0)}%)`, 12, (r) => `${(100 * r.coverage).toFixed(1)}%`],
    ['width', 7, (r) => r.meanIntervalWidth.toFixed(1)],
    ['n', 5, (r) => String(r.n)],
    ['train s', 8, (r) => r.trainSeconds.toFixed(1)],
  ];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(cols[0][1]) : c.padStart(cols[i][1]))).join(' ');
  return [
    line(cols.map((c) => c[0])),
    ...reports.map((r) => line(cols.map((c) => c[2](r)))),
    `raw: against the true remaining life; cap${cap}: against min(${cap}, truth), the training target's cap`,
  ].join('\n');
}
