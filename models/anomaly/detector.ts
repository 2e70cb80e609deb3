/** What every anomaly detector gives back for one trajectory. */
export interface AnomalyResult {
  detector: string;
  /** the detector's statistic at every row */
  score: Float64Array;
  threshold: number;
  /** rows whose score passes the threshold */
  alarm: Uint8Array;
}

export interface Contribution {
  channel: string;
  /** share of the statistic this channel accounts for (contributions sum to the statistic) */
  contribution: number;
}
