/**
 * A business calendar: weekly opening hours minus holidays, and the clock that counts only open
 * time, as ServiceNow and Jira SLA schedules do ("2 business hours"). Shared by the ticket stage
 * (SLA deadlines: the instant N working minutes after opening) and the simulator (SLA clocks: the
 * open minutes between opening and response).
 *
 * Time is in minutes and time 0 is a Monday 00:00, the simulator's week; callers with epoch
 * milliseconds shift and scale (`tickets/policy/working-time.ts`). Holidays are day numbers after
 * time 0 (day k closes [k x 1440, (k + 1) x 1440)).
 *
 * Both directions take constant time per call, not a walk over days: the open minutes up to t are
 * whole weeks times the week's open minutes, plus the open minutes of t's week (a table per weekday
 * gives t's opening interval), minus the open minutes of the holidays before t (a table by day
 * gives how many, prefix sums their open minutes). The inverse runs the same steps backwards, with
 * binary searches over the week's few intervals and the sorted holidays.
 */
export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** holidays spanning up to this many days get a day-indexed table (4 bytes a day); longer spans a binary search */
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

/** First index i in [lo, hi) with a[i] > x (a ascending), i.e. the count of a[i] <= x in range. */
function upperBound(a: Float64Array, x: number, lo: number, hi: number): number {
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
  /** the week's opening intervals [starts[i], ends[i]) in minutes of the week, disjoint, ascending */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  /** open minutes of the week before interval i starts, and up to its end */
  private readonly openBefore: Float64Array;
  private readonly openThrough: Float64Array;
  /** per weekday, the last interval starting at or before its midnight (-1: none): where a lookup starts */
  private readonly dayInterval: Int32Array;
  /** holidays: start minute, ascending; where each starts on the holiday-free clock; open minutes each removes */
  private readonly holidayAt: Float64Array;
  private readonly holidayClock: Float64Array;
  private readonly holidayOpen: Float64Array;
  /** open minutes removed by holidays 0..i-1 (length = holidays + 1) */
  private readonly removedBefore: Float64Array;
  /** where each holiday sits on the business clock (it removes no business time: a flat stretch) */
  private readonly holidayPosition: Float64Array;
  /** holidays up to and including day firstHoliday + i (the O(1) lookup; null when they span too long) */
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
    const length = to > from ? to - from : to + MINUTES_PER_DAY - from;

    // the week's intervals, split at the week's end (a Sunday night opening wraps to Monday), merged
    const raw: [number, number][] = [];
    for (const d of new Set(days)) {
      const start = d * MINUTES_PER_DAY + from;
      const end = start + length;
      if (end <= MINUTES_PER_WEEK) raw.push([start, end]);
      else raw.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
    }
    raw.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [a, b] of raw) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    this.starts = Float64Array.from(merged, (m) => m[0]);
    this.ends = Float64Array.from(merged, (m) => m[1]);
    this.openBefore = new Float64Array(merged.length);
    this.openThrough = new Float64Array(merged.length);
    let open = 0;
    merged.forEach(([a, b], i) => {
      this.openBefore[i] = open;
      open += b - a;
      this.openThrough[i] = open;
    });
    this.weekOpen = open;
    this.dayInterval = Int32Array.from(
      { length: 7 },
      (_, d) => upperBound(this.starts, d * MINUTES_PER_DAY, 0, this.starts.length) - 1,
    );

    const holidays = [...new Set(hours.holidays ?? [])].sort((a, b) => a - b);
    for (const h of holidays)
      if (!Number.isInteger(h)) throw new RangeError(`holiday ${h}: expected a day number`);
    const n = holidays.length;
    this.holidayAt = Float64Array.from(holidays, (k) => k * MINUTES_PER_DAY);
    this.holidayClock = Float64Array.from(this.holidayAt, (t) => this.weeklyPosition(t));
    this.holidayOpen = Float64Array.from(
      this.holidayAt,
      (t, i) => this.weeklyPosition(t + MINUTES_PER_DAY) - this.holidayClock[i],
    );
    this.removedBefore = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) this.removedBefore[i + 1] = this.removedBefore[i] + this.holidayOpen[i];
    this.holidayPosition = Float64Array.from(this.holidayClock, (x, i) => x - this.removedBefore[i]);
    this.firstHoliday = n > 0 ? holidays[0] : 0;
    const span = n > 0 ? holidays[n - 1] - holidays[0] + 1 : 0;
    this.holidaysThrough = n > 0 && span <= MAX_HOLIDAY_TABLE ? new Int32Array(span) : null;
    if (this.holidaysThrough) {
      for (const h of holidays) this.holidaysThrough[h - this.firstHoliday]++;
      for (let i = 1; i < span; i++) this.holidaysThrough[i] += this.holidaysThrough[i - 1];
    }
  }

  /** How many holidays start at or before t. */
  private holidaysUpTo(t: number): number {
    const table = this.holidaysThrough;
    if (table === null) return upperBound(this.holidayAt, t, 0, this.holidayAt.length);
    const k = Math.floor(t / MINUTES_PER_DAY) - this.firstHoliday;
    return k < 0 ? 0 : k >= table.length ? this.holidayAt.length : table[k];
  }

  /** Open minutes in [0, t) by the weekly hours alone (negative for t < 0). */
  private weeklyPosition(t: number): number {
    const week = Math.floor(t / MINUTES_PER_WEEK);
    const w = t - week * MINUTES_PER_WEEK;
    // the last interval starting at or before w: from its day's first candidate, a step or two on
    const starts = this.starts;
    let i = this.dayInterval[Math.min(6, Math.floor(w / MINUTES_PER_DAY))];
    while (i + 1 < starts.length && starts[i + 1] <= w) i++;
    const inWeek = i < 0 ? 0 : this.openBefore[i] + Math.min(w, this.ends[i]) - this.starts[i];
    return week * this.weekOpen + inWeek;
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
    const i = Math.min(lowerBound(this.openThrough, r), this.starts.length - 1);
    return week * MINUTES_PER_WEEK + this.starts[i] + (r - this.openBefore[i]);
  }

  /**
   * The business clock at t: open minutes from time 0 to t, holidays excluded (negative before 0).
   * Any two readings differ by the open minutes between them.
   */
  position(t: number): number {
    const x = this.weeklyPosition(t);
    if (this.holidayAt.length === 0) return x;
    const j = this.holidaysUpTo(t);
    if (j === 0) return x;
    // holidays before j - 1 are wholly before t; t may be inside holiday j - 1
    return x - this.removedBefore[j - 1] - Math.min(x - this.holidayClock[j - 1], this.holidayOpen[j - 1]);
  }

  /** Open minutes between a and b (b >= a): the business-time length of [a, b]. */
  elapsed(a: number, b: number): number {
    return this.position(b) - this.position(a);
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
