/**
 * Timestamp formats for text sources, all read as UTC unless the text carries its own offset:
 *   iso        ISO 8601 (`2026-01-01T00:00:00Z`, `2026-01-01 00:00:00+02:00`; no offset means UTC)
 *   epoch-ms   integer milliseconds since 1970-01-01
 *   epoch-s    seconds since 1970-01-01 (fractions allowed, kept to the millisecond)
 *   cycle      an integer cycle index (time unit: cycle)
 *   a pattern of YYYY MM DD HH mm ss SSS and literal characters, e.g. `YYYY.MM.DD.HH.mm.ss` (IMS file
 *   names) or `DD/MM/YYYY HH:mm`
 */
import { UsageError } from '../../core/index.ts';
import type { TimeUnit } from '../contracts.ts';
import { RecordProblem } from './rejection.ts';

export type TimestampParser = ((text: string, field?: string) => number) & {
  timeUnit: TimeUnit;
  format: string;
};

const TOKENS: Record<string, { re: string; key: 'y' | 'mo' | 'd' | 'h' | 'mi' | 's' | 'ms' }> = {
  YYYY: { re: '(\\d{4})', key: 'y' },
  MM: { re: '(\\d{1,2})', key: 'mo' },
  DD: { re: '(\\d{1,2})', key: 'd' },
  HH: { re: '(\\d{1,2})', key: 'h' },
  mm: { re: '(\\d{1,2})', key: 'mi' },
  ss: { re: '(\\d{1,2})', key: 's' },
  SSS: { re: '(\\d{1,3})', key: 'ms' },
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternParser(format: string): (text: string, field: string) => number {
  const keys: string[] = [];
  let re = '^';
  for (let i = 0; i < format.length;) {
    const tok = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss'].find((t) => format.startsWith(t, i));
    if (tok) {
      re += TOKENS[tok].re;
      keys.push(TOKENS[tok].key);
      i += tok.length;
    } else {
      re += escape(format[i]);
      i++;
    }
  }
  if (!keys.includes('y') || !keys.includes('mo') || !keys.includes('d')) {
    throw new UsageError(
      `timestamp format "${format}" needs at least YYYY, MM and DD (or use iso, epoch-ms, epoch-s, cycle)`,
    );
  }
  const regex = new RegExp(re + '$');
  return (text, field) => {
    const m = regex.exec(text.trim());
    if (!m)
      throw new RecordProblem(`${field} "${text}" does not match the timestamp format ${format}`, field);
    const v: Record<string, number> = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
    keys.forEach((k, i) => (v[k] = Number(m[i + 1])));
    const t = Date.UTC(v.y, v.mo - 1, v.d, v.h, v.mi, v.s, v.ms);
    const back = new Date(t);
    if (back.getUTCMonth() !== v.mo - 1 || back.getUTCDate() !== v.d || v.h > 23 || v.mi > 59 || v.s > 60) {
      throw new RecordProblem(`${field} "${text}" is not a real date and time (format ${format})`, field);
    }
    return t;
  };
}

/** Days in a month of the proleptic Gregorian calendar (month 1-12). */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Checks an ISO 8601 text's fields against the calendar: Date.parse rolls `2026-02-30` over to
 * March 2 instead of refusing it, so the day is checked against its month, and hours, minutes and
 * seconds against their ranges.
 */
function calendarProblem(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(s);
  if (!m) return 'not YYYY-MM-DD';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `month ${m[2]} is not 01-12`;
  if (d < 1 || d > daysInMonth(y, mo)) return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  if (m[4] !== undefined && Number(m[4]) > 23) return `hour ${m[4]} is not 00-23`;
  if (m[5] !== undefined && Number(m[5]) > 59) return `minute ${m[5]} is not 00-59`;
  if (m[6] !== undefined && Number(m[6]) > 59) return `second ${m[6]} is not 00-59`;
  return undefined;
}

export function timestampParser(format = 'iso'): TimestampParser {
  let fn: (text: string, field: string) => number;
  let unit: TimeUnit = 'ms';
  switch (format) {
    case 'iso':
      fn = (text, field) => {
        const s = text.trim();
        if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s)) {
          throw new RecordProblem(
            `${field} "${text}" is not an ISO 8601 timestamp (e.g. 2026-01-01T00:00:00Z)`,
            field,
          );
        }
        const calendar = calendarProblem(s);
        if (calendar)
          throw new RecordProblem(`${field} "${text}" is not a real date and time: ${calendar}`, field);
        const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 10;
        const t = Date.parse(
          hasZone ? s.replace(' ', 'T') : s.replace(' ', 'T') + (s.length > 10 ? 'Z' : ''),
        );
        if (Number.isNaN(t)) throw new RecordProblem(`${field} "${text}" is not a real date and time`, field);
        return t;
      };
      break;
    case 'epoch-ms':
      fn = (text, field) => {
        const v = Number(text);
        if (text.trim() === '' || !Number.isInteger(v))
          throw new RecordProblem(`${field} "${text}" is not integer epoch milliseconds`, field);
        return v;
      };
      break;
    case 'epoch-s':
      fn = (text, field) => {
        const v = Number(text);
        if (text.trim() === '' || !Number.isFinite(v))
          throw new RecordProblem(`${field} "${text}" is not epoch seconds`, field);
        return Math.round(v * 1000);
      };
      break;
    case 'cycle':
      unit = 'cycle';
      fn = (text, field) => {
        const v = Number(text);
        if (text.trim() === '' || !Number.isInteger(v) || v < 0)
          throw new RecordProblem(`${field} "${text}" is not a cycle index (an integer >= 0)`, field);
        return v;
      };
      break;
    default:
      fn = patternParser(format);
  }
  const parser = ((text: string, field = 't') => fn(text, field)) as TimestampParser;
  parser.timeUnit = unit;
  parser.format = format;
  return parser;
}
