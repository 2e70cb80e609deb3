/**
 * A business calendar: weekly opening hours minus holidays, and the clock that counts only open
 * time, as ServiceNow and Jira SLA schedules do ("2 business hours"). Shared by the ticket stage
 * (SLA deadlines: the instant N working minutes after opening) and the simulator (SLA clocks: the
 * open minutes between opening and response).
 *
 * Time is in minutes and time 0 is a Monday 00:00, the simulator's week; callers with epoch
 * milliseconds shift and scale (`tickets/policy/working-time.ts`). Holidays are day numbers after
 * time 0 (day k closes its date, [k x 1440, (k + 1) x 1440)).
 *
 * Both directions take constant time per call, not a walk over days. A date's open time is at
 * most two stretches: the morning end of yesterday's overnight opening, [0, to), and today's
 * opening, [from, from + length). The clock at t is the open minutes of the whole weeks before
 * t's day, of the weekdays before it (a table), and of its own day up to t, less the open minutes
 * of the holidays before it (a table by day gives how many, prefix sums their minutes). The
 * inverse runs the same steps backwards.
 */
export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** holidays spanning up to this many days get a table by day (4 bytes a day); longer spans a binary search */
const MAX_HOLIDAY_TABLE = 200_000;

export interface OpeningHours {
  /** open days, 0 = Monday .. 6 = Sunday */
  days: readonly number[];
  /** opening and closing time, minutes after midnight; a `to` not after `from` closes the next day */
  from: number;
  to: number;
  /** closed days, as day numbers after time 0 (day 0 is the Monday of time 0) */
  holidays?: readonly number[];
}

/** First index i with a[i] > x (a ascending): the count of a[i] <= x. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with a[i] >= x (a ascending), or a.length. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class BusinessCalendar {
  /** open minutes in a whole week (holidays aside) */
  readonly weekOpen: number;
  private readonly from: number;
  /** the opening's minutes on the day it starts, and the morning end of an overnight one (0: none) */
  private readonly eveningLength: number;
  private readonly morningEnd: number;
  /** per weekday: 1 when it has the morning / evening stretch, else 0 */
  private readonly morning: Float64Array;
  private readonly evening: Float64Array;
  /** per weekday: open minutes of the date, of the weekdays before it, and through it */
  private readonly dayOpen: Float64Array;
  private readonly openBefore: Float64Array;
  private readonly openThrough: Float64Array;
  /** holidays as day numbers, ascending, and where each sits on the business clock (a flat stretch) */
  private readonly holidayDays: Float64Array;
  private readonly holidayPosition: Float64Array;
  /** open minutes removed by holidays 0..i-1 (length = holidays + 1) */
  private readonly removedBefore: Float64Array;
  /** holidays on or before day firstHoliday + i (null when they span too many days for a table) */
  private readonly holidaysThrough: Int32Array | null;
  private readonly firstHoliday: number;

  constructor(hours: OpeningHours) {
    const { days, from, to } = hours;
    if (days.length === 0) throw new RangeError('a business calendar needs at least one open day');
    for (const d of days)
      if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`day ${d}: expected 0 (Monday) .. 6`);
    if (!(from >= 0 && from < MINUTES_PER_DAY))
      throw new RangeError(`from ${from}: expected 0 <= from < 1440`);
    if (!(to > 0 && to <= MINUTES_PER_DAY)) throw new RangeError(`to ${to}: expected 0 < to <= 1440`);
    if (to === from) throw new RangeError('a business day cannot close when it opens');
    const overnight = to < from;
    this.from = from;
    this.eveningLength = overnight ? MINUTES_PER_DAY - from : to - from;
    this.morningEnd = overnight ? to : 0;
    const open = new Set(days);
    this.evening = Float64Array.from({ length: 7 }, (_, d) => (open.has(d) ? 1 : 0));
    // an overnight opening's morning falls on the next weekday (Sunday's on Monday)
    this.morning = Float64Array.from({ length: 7 }, (_, d) => (overnight && open.has((d + 6) % 7) ? 1 : 0));
    this.dayOpen = Float64Array.from(
      { length: 7 },
      (_, d) => this.morning[d] * this.morningEnd + this.evening[d] * this.eveningLength,
    );
    this.openBefore = new Float64Array(7);
    this.openThrough = new Float64Array(7);
    let total = 0;
    for (let d = 0; d < 7; d++) {
      this.openBefore[d] = total;
      total += this.dayOpen[d];
      this.openThrough[d] = total;
    }
    this.weekOpen = total;

    const holidays = [...new Set(hours.holidays ?? [])].sort((a, b) => a - b);
    for (const h of holidays)
      if (!Number.isInteger(h)) throw new RangeError(`holiday ${h}: expected a day number`);
    const n = holidays.length;
    this.holidayDays = Float64Array.from(holidays);
    this.removedBefore = new Float64Array(n + 1);
    for (let i = 0; i < n; i++)
      this.removedBefore[i + 1] = this.removedBefore[i] + this.dayOpen[((holidays[i] % 7) + 7) % 7];
    this.holidayPosition = Float64Array.from(
      holidays,
      (k, i) => this.weeklyPosition(k * MINUTES_PER_DAY) - this.removedBefore[i],
    );
    this.firstHoliday = n > 0 ? holidays[0] : 0;
    const span = n > 0 ? holidays[n - 1] - holidays[0] + 1 : 0;
    this.holidaysThrough = n > 0 && span <= MAX_HOLIDAY_TABLE ? new Int32Array(span) : null;
    if (this.holidaysThrough) {
      for (const h of holidays) this.holidaysThrough[h - this.firstHoliday]++;
      for (let i = 1; i < span; i++) this.holidaysThrough[i] += this.holidaysThrough[i - 1];
    }
  }

  /** Open minutes of weekday d's date up to minute m of it. */
  private openToday(d: number, m: number): number {
    return (
      this.morning[d] * Math.min(m, this.morningEnd) +
      this.evening[d] * Math.min(Math.max(m - this.from, 0), this.eveningLength)
    );
  }

  /** Open minutes in [0, t) by the weekly hours alone (negative for t < 0). */
  private weeklyPosition(t: number): number {
    const k = Math.floor(t / MINUTES_PER_DAY);
    const d = ((k % 7) + 7) % 7;
    return ((k - d) / 7) * this.weekOpen + this.openBefore[d] + this.openToday(d, t - k * MINUTES_PER_DAY);
  }

  /** How many holidays fall on or before day k. */
  private holidaysThroughDay(k: number): number {
    const table = this.holidaysThrough;
    if (table === null) return upperBound(this.holidayDays, k);
    const i = k - this.firstHoliday;
    return i < 0 ? 0 : i >= table.length ? this.holidayDays.length : table[i];
  }

  /**
   * The business clock at t: open minutes from time 0 to t, holidays excluded (negative before 0).
   * Any two readings differ by the open minutes between them.
   */
  position(t: number): number {
    const k = Math.floor(t / MINUTES_PER_DAY);
    const d = ((k % 7) + 7) % 7;
    const dayStart = ((k - d) / 7) * this.weekOpen + this.openBefore[d];
    if (this.holidayDays.length === 0) return dayStart + this.openToday(d, t - k * MINUTES_PER_DAY);
    const through = this.holidaysThroughDay(k);
    const before = through > 0 && this.holidayDays[through - 1] === k ? through - 1 : through;
    const today = before === through ? this.openToday(d, t - k * MINUTES_PER_DAY) : 0;
    return dayStart - this.removedBefore[before] + today;
  }

  /** Open minutes between a and b (b >= a): the business-time length of [a, b]. */
  elapsed(a: number, b: number): number {
    return this.position(b) - this.position(a);
  }

  /** The earliest t with weeklyPosition(t) = x. */
  private weeklyInstant(x: number): number {
    let week = Math.ceil(x / this.weekOpen) - 1;
    let r = x - week * this.weekOpen; // in (0, weekOpen]
    if (r <= 0) {
      week--;
      r += this.weekOpen;
    } else if (r > this.weekOpen) {
      week++;
      r -= this.weekOpen;
    }
    const d = Math.min(lowerBound(this.openThrough, r), 6);
    const inDay = r - this.openBefore[d]; // in (0, dayOpen[d]]
    const morning = this.morning[d] * this.morningEnd;
    const m = inDay <= morning ? inDay : this.from + (inDay - morning);
    return (week * 7 + d) * MINUTES_PER_DAY + m;
  }

  /** The earliest instant at which the business clock reads c. */
  instantAt(c: number): number {
    // holidays whose flat stretch lies before c each push the weekly clock on by their open minutes
    const j = lowerBound(this.holidayPosition, c);
    return this.weeklyInstant(c + this.removedBefore[j]);
  }

  /**
   * The instant when `minutes` of open time have elapsed after t (an SLA deadline): for
   * minutes > 0 it lies in open time, past any closed stretch; for 0 it is t itself.
   */
  after(t: number, minutes: number): number {
    if (!(minutes >= 0)) throw new RangeError(`minutes ${minutes}: expected >= 0`);
    return minutes === 0 ? t : this.instantAt(this.position(t) + minutes);
  }
}
