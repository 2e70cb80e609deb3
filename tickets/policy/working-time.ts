/**
 * Working-time arithmetic for SLA clocks that run only in working hours (e.g. "P3: resolve in 8 h
 * working"): adding a working duration to an instant skips nights and non-working days. Hours are
 * UTC hours of the day; a clock started outside working hours starts at the next opening.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface WorkingHours {
  /** first working hour of the day, 0..23 */
  start: number;
  /** hour the working day ends, start+1..24 */
  end: number;
  /** working days, 0 = Sunday .. 6 = Saturday */
  days: number[];
}

/** The instant `durationMs` of working time after `from` (epoch ms). */
export function addWorkingTime(from: number, durationMs: number, wh: WorkingHours): number {
  if (wh.days.length === 0) throw new Error('working hours need at least one working day');
  let t = from;
  let left = durationMs;
  // at most a week of skipping per working day of duration; the loop walks day by day
  for (;;) {
    const dayStart = Math.floor(t / DAY) * DAY;
    const open = dayStart + wh.start * HOUR;
    const close = dayStart + wh.end * HOUR;
    const weekday = new Date(dayStart).getUTCDay();
    if (!wh.days.includes(weekday) || t >= close) {
      t = dayStart + DAY;
      continue;
    }
    if (t < open) t = open;
    if (left <= close - t) return t + left;
    left -= close - t;
    t = dayStart + DAY;
  }
}
