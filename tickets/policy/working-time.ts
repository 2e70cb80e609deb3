/**
 * Working-time arithmetic for SLA clocks that run only in working hours (e.g. "P3: resolve in 8 h
 * working"): adding a working duration to an instant skips nights and non-working days. Hours are
 * UTC hours of the day; a clock started outside working hours starts at the next opening. The
 * arithmetic is core's business calendar (the one the simulator's business-hours SLA clocks use),
 * on minutes counted from a Monday 00:00 UTC.
 */
import { BusinessCalendar } from '../../core/index.ts';

const MINUTE = 60_000;
/** 1970-01-05T00:00Z, the first Monday of the epoch: the calendar's time 0 */
const MONDAY_MS = Date.UTC(1970, 0, 5);

export interface WorkingHours {
  /** first working hour of the day, 0..23 */
  start: number;
  /** hour the working day ends, start+1..24 */
  end: number;
  /** working days, 0 = Sunday .. 6 = Saturday */
  days: number[];
}

const calendars = new WeakMap<WorkingHours, BusinessCalendar>();

function calendarOf(wh: WorkingHours): BusinessCalendar {
  let cal = calendars.get(wh);
  if (!cal) {
    if (wh.days.length === 0) throw new Error('working hours need at least one working day');
    // the calendar counts days from Monday (0), the policy from Sunday (0)
    cal = new BusinessCalendar({
      days: wh.days.map((d) => (d + 6) % 7),
      from: wh.start * 60,
      to: wh.end * 60,
    });
    calendars.set(wh, cal);
  }
  return cal;
}

/** The instant `durationMs` of working time after `from` (epoch ms). */
export function addWorkingTime(from: number, durationMs: number, wh: WorkingHours): number {
  const cal = calendarOf(wh);
  const due = cal.after((from - MONDAY_MS) / MINUTE, durationMs / MINUTE);
  // back to whole milliseconds: the minute arithmetic is exact to well under a millisecond
  return Math.round(due * MINUTE) + MONDAY_MS;
}
