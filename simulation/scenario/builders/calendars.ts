/**
 * Named business calendars (`calendars:`) for tiers whose SLA clocks count business time. Times of
 * day are read on the simulator's clock, where time 0 is a Monday 00:00 (as for shifts); holidays
 * are dates, placed by the calendar's `start` (the date of time 0), or days after time 0 ("24d").
 */
import { BusinessCalendar, InputError, MINUTES_PER_DAY, parseDuration } from '../../../core/index.ts';
import { WEEKDAYS } from '../../engine/shift-roster.ts';
import type { CalendarSpec } from '../scenario.ts';
import { MINUTE_MS, type BuildContext } from './context.ts';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * "08:00" or a duration after midnight ("8h", a bare number is minutes) -> minutes after midnight;
 * an opening before 24:00, a closing up to it (00:00 as a closing is the midnight ending the day).
 */
function timeOfDay(value: number | string, field: string, closing: boolean): number {
  let minutes: number;
  const m = typeof value === 'string' ? /^\s*(\d{1,2}):(\d{2})\s*$/.exec(value) : null;
  if (m) {
    if (Number(m[2]) > 59)
      throw new InputError(`${field}: minutes must be 00..59, got ${JSON.stringify(value)}`);
    minutes = Number(m[1]) * 60 + Number(m[2]);
  } else minutes = parseDuration(value, field, 'm') / MINUTE_MS;
  if (closing ? minutes > MINUTES_PER_DAY : minutes >= MINUTES_PER_DAY)
    throw new InputError(
      `${field}: must be ${closing ? 'at most 24:00' : 'before 24:00'}, got ${JSON.stringify(value)}`,
    );
  return closing && minutes === 0 ? MINUTES_PER_DAY : minutes;
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or null when the text is not a real date. */
function epochDay(text: string): number | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** One calendar from its spec; errors name the field (`calendars.business.holidays[2]`). */
export function businessCalendar(spec: CalendarSpec, field: string): BusinessCalendar {
  const from = timeOfDay(spec.from, `${field}.from`, false);
  const to = timeOfDay(spec.to, `${field}.to`, true);
  if (to === from) throw new InputError(`${field}.to: a business day cannot close when it opens`);
  const days = spec.days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]));

  let startDay: number | null = null;
  if (spec.start !== undefined) {
    startDay = epochDay(spec.start);
    if (startDay === null)
      throw new InputError(`${field}.start: expected a date YYYY-MM-DD, got ${JSON.stringify(spec.start)}`);
    const weekday = (startDay + 3) % 7; // 1970-01-01 was a Thursday (3 when Monday is 0)
    if (weekday !== 0)
      throw new InputError(
        `${field}.start: simulation time 0 is a Monday, but ${spec.start} is a ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][weekday]}`,
      );
  }
  const holidays = (spec.holidays ?? []).map((h, i) => {
    const at = `${field}.holidays[${i}]`;
    if (DATE.test(h.trim())) {
      const day = epochDay(h);
      if (day === null) throw new InputError(`${at}: ${JSON.stringify(h)} is not a date in the calendar`);
      if (startDay === null)
        throw new InputError(
          `${at}: a date needs ${field}.start, the date of simulation time 0 (a Monday), or give the day after time 0, such as "24d"`,
        );
      return day - startDay;
    }
    let minutes: number;
    try {
      minutes = parseDuration(h, at, 'm') / MINUTE_MS;
    } catch {
      throw new InputError(
        `${at}: expected a date YYYY-MM-DD or a day after simulation time 0 such as "24d", got ${JSON.stringify(h)}`,
      );
    }
    if (minutes % MINUTES_PER_DAY !== 0)
      throw new InputError(`${at}: a holiday is a whole day, such as "24d", got ${JSON.stringify(h)}`);
    return minutes / MINUTES_PER_DAY;
  });
  return new BusinessCalendar({ days, from, to, holidays });
}

/** Every calendar the scenario names, by name. */
export function buildCalendars({ scenario }: BuildContext): Map<string, BusinessCalendar> {
  return new Map(
    Object.entries(scenario.calendars ?? {}).map(([name, spec]) => [
      name,
      businessCalendar(spec, `calendars.${name}`),
    ]),
  );
}
