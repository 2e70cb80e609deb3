/**
 * The anomaly settings every door uses unless told otherwise: each asset's first 20% of rows are its
 * healthy baseline, the alarm threshold gives a 1% false-alarm rate on it, and an alert needs two
 * consecutive alarms (the ticket policy's hysteresis default is the same 2).
 */
export const ANOMALY_DEFAULTS = {
  baselineFraction: 0.2,
  falseAlarmRate: 0.01,
  consecutiveAlarms: 2,
} as const;
