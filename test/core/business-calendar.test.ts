/**
 * The business calendar: open minutes between two instants checked by hand (a weekend, a holiday,
 * the week's wrap, a night calendar), against a minute-by-minute count on random calendars, and
 * its inverse (`after`) against the forward clock as properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, MINUTES_PER_DAY as D, MINUTES_PER_WEEK as W } from '../../core/index.ts';
import { addWorkingTime, type WorkingHours } from '../../tickets/index.ts';

const at = (day: number, hh: number, mm = 0) => day * D + hh * 60 + mm;
const MON = 0;
const FRI = 4;
const SAT = 5;
const SUN = 6;
// Mon-Fri 08:00-18:00
const business = (holidays: number[] = []) =>
  new BusinessCalendar({ days: [0, 1, 2, 3, 4], from: 8 * 60, to: 18 * 60, holidays });

describe('business time by hand', () => {
  it('Friday 17:30 to Monday 09:00 is 1.5 business hours; a 2 h target falls due Monday 09:30', () => {
    const cal = business();
    expect(cal.weekOpen).toBe(5 * 600);
    const opened = at(FRI, 17, 30);
    const answered = W + at(MON, 9);
    expect(cal.elapsed(opened, answered)).toBe(90);
    expect(cal.after(opened, 120)).toBe(W + at(MON, 9, 30));
    // the same stretch in elapsed time is 63.5 h
    expect(answered - opened).toBe(63.5 * 60);
  });

  it('a holiday adds nothing: Thursday 17:30 to Monday 09:00 over a closed Friday is 1.5 h', () => {
    const cal = business([FRI]);
    const opened = at(3, 17, 30);
    expect(cal.elapsed(opened, W + at(MON, 9))).toBe(90);
    expect(business().elapsed(opened, W + at(MON, 9))).toBe(30 + 600 + 60);
    // on the holiday the clock stands still
    expect(cal.elapsed(at(FRI, 9), at(FRI, 17))).toBe(0);
    // a deadline set before the holiday skips it: Thursday 17:00 + 2 h -> Monday 09:00
    expect(cal.after(at(3, 17), 120)).toBe(W + at(MON, 9));
    // one that falls due at Thursday's closing is due then, not after the holiday and weekend
    expect(cal.after(at(3, 17), 60)).toBe(at(3, 18));
    // a holiday on a closed day (Sunday) changes nothing
    expect(business([SUN]).elapsed(0, 3 * W)).toBe(3 * 3000);
  });

  it('counts across several weeks and holidays in later weeks', () => {
    const cal = business([2, W / D + 2, 3 * 7 + 4]); // Wednesday of weeks 0 and 1, Friday of week 3
    expect(cal.elapsed(0, 4 * W)).toBe(4 * 3000 - 3 * 600);
    // Tuesday 12:00 to next Thursday 12:00: Tue 6 h, (Wed closed), Thu, Fri, Mon, Tue 10 h each, (Wed closed), Thu 4 h
    expect(cal.elapsed(at(1, 12), W + at(3, 12))).toBe(360 + 4 * 600 + 240);
    expect(cal.position(-W)).toBe(-3000); // before time 0 the clock reads negative
    expect(cal.elapsed(-2 * D, at(MON, 9))).toBe(60); // a backlog ticket from the weekend before
  });

  it('holidays centuries apart (looked up by binary search, not a table by day) count the same', () => {
    const far = 300_000 * 7 + 2; // a Wednesday some 5,750 years on
    const cal = business([2, far]);
    expect(cal.elapsed(0, W)).toBe(3000 - 600);
    expect(cal.elapsed(far * D - D, far * D + 2 * D)).toBe(1200);
    expect(cal.after(at(1, 17), 120)).toBe(at(3, 9));
  });

  it('wraps the week: a Sunday 22:00-06:00 night calendar covers Monday 00-06', () => {
    const night = new BusinessCalendar({ days: [SUN], from: 22 * 60, to: 6 * 60 });
    expect(night.weekOpen).toBe(480);
    expect(night.elapsed(at(MON, 0), at(MON, 6))).toBe(360);
    expect(night.elapsed(at(SUN, 21), W + at(MON, 7))).toBe(480);
    expect(night.after(at(SAT, 12), 150)).toBe(W + at(MON, 0, 30));
  });

  it('a deadline started outside hours starts at the next opening; 0 minutes is the instant itself', () => {
    const cal = business();
    expect(cal.after(at(SAT, 10), 60)).toBe(W + at(MON, 9));
    expect(cal.after(at(MON, 7), 600)).toBe(at(MON, 18)); // exactly the whole day: its closing
    expect(cal.after(at(SAT, 10), 0)).toBe(at(SAT, 10));
    expect(() => cal.after(0, -1)).toThrow(/expected >= 0/);
  });

  it('rejects calendars that cannot be', () => {
    expect(() => new BusinessCalendar({ days: [], from: 0, to: 60 })).toThrow(/at least one open day/);
    expect(() => new BusinessCalendar({ days: [7], from: 0, to: 60 })).toThrow(/day 7/);
    expect(() => new BusinessCalendar({ days: [0], from: 60, to: 60 })).toThrow(/close when it opens/);
    expect(() => new BusinessCalendar({ days: [0], from: 0, to: 60, holidays: [1.5] })).toThrow(/holiday/);
  });
});

/** Open minutes in [a, b) by walking minute by minute (integers): the reference. */
function countMinutes(
  hours: { days: number[]; from: number; to: number; holidays: number[] },
  a: number,
  b: number,
) {
  const hol = new Set(hours.holidays);
  let n = 0;
  for (let t = a; t < b; t++) {
    const day = Math.floor(t / D);
    if (hol.has(day)) continue;
    const minute = t - day * D;
    const weekday = ((day % 7) + 7) % 7;
    const yesterday = (weekday + 6) % 7;
    const open =
      hours.to > hours.from
        ? hours.days.includes(weekday) && minute >= hours.from && minute < hours.to
        : (hours.days.includes(weekday) && minute >= hours.from) ||
          (hours.days.includes(yesterday) && minute < hours.to);
    if (open) n++;
  }
  return n;
}

const calendarSpec = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    from: fc.integer({ min: 0, max: 23 * 4 }).map((q) => q * 15),
    length: fc.integer({ min: 1, max: 24 * 4 - 1 }).map((q) => q * 15),
    holidays: fc.uniqueArray(fc.integer({ min: -7, max: 35 }), { maxLength: 6 }),
  })
  .map(({ days, from, length, holidays }) => ({
    days,
    from,
    to: ((from + length - 1) % D) + 1,
    holidays,
  }));

describe('business time as properties', () => {
  it('equals a minute-by-minute count on random calendars, holidays and intervals', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        fc.integer({ min: -D, max: 4 * W }),
        fc.integer({ min: 0, max: 2 * W }),
        (spec, a, length) => {
          const cal = new BusinessCalendar(spec);
          expect(cal.elapsed(a, a + length)).toBe(countMinutes(spec, a, a + length));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('after() inverts elapsed(): n open minutes after t, and not a moment sooner', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        fc.double({ min: -W, max: 6 * W, noNaN: true }),
        fc.double({ min: 1e-3, max: 3 * W, noNaN: true }),
        (spec, t, n) => {
          const cal = new BusinessCalendar(spec);
          const due = cal.after(t, n);
          expect(due).toBeGreaterThan(t);
          expect(cal.elapsed(t, due)).toBeCloseTo(n, 6);
          // the clock is running at the deadline: a moment earlier, less than n had elapsed
          expect(cal.elapsed(t, due - 1e-3)).toBeLessThan(n);
          // and forward then back lands on the same business reading
          expect(cal.position(cal.instantAt(cal.position(t)))).toBeCloseTo(cal.position(t), 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('after() on whole minutes lands on the earliest instant, closings and holiday edges included', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        fc.integer({ min: -W, max: 5 * W }),
        fc.integer({ min: 1, max: 3000 }),
        (spec, t, n) => {
          const cal = new BusinessCalendar(spec);
          const due = cal.after(t, n);
          expect(cal.elapsed(t, due)).toBe(n);
          expect(countMinutes(spec, t, Math.ceil(due))).toBe(n);
          expect(countMinutes(spec, t, Math.ceil(due) - 1)).toBe(n - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The ticket stage's working-time walk before it used the calendar: day by day (the reference). */
function walkWorkingTime(from: number, durationMs: number, wh: WorkingHours): number {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  let t = from;
  let left = durationMs;
  for (;;) {
    const dayStart = Math.floor(t / DAY) * DAY;
    const open = dayStart + wh.start * HOUR;
    const close = dayStart + wh.end * HOUR;
    if (!wh.days.includes(new Date(dayStart).getUTCDay()) || t >= close) {
      t = dayStart + DAY;
      continue;
    }
    if (t < open) t = open;
    if (left <= close - t) return t + left;
    left -= close - t;
    t = dayStart + DAY;
  }
}

describe("the ticket stage's working time uses the same calendar", () => {
  it('gives the same deadlines as walking day by day (epoch ms, days counted from Sunday)', () => {
    fc.assert(
      fc.property(
        fc.record({
          start: fc.integer({ min: 0, max: 23 }),
          span: fc.integer({ min: 1, max: 24 }),
          days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
        }),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 1, max: 30 * 24 * 3_600_000 }),
        ({ start, span, days }, from, duration) => {
          const wh = { start, end: Math.min(24, start + span), days };
          expect(addWorkingTime(from, duration, wh)).toBe(walkWorkingTime(from, duration, wh));
        },
      ),
      { numRuns: 300 },
    );
  });
});
