/**
 * Timestamps as ticketing tools export them. A format is either `iso` (ISO 8601, with or without
 * an offset) or a pattern of tokens: `YYYY` `YY` `MM` `M` `DD` `D` `HH` `H` `mm` `ss` `SSS`, any other
 * character literal (e.g. `DD-MM-YYYY HH:mm`, `MM/DD/YYYY H:mm:ss`). Pattern times carry no zone
 * and are read as wall-clock times (held as UTC milliseconds), which is what hour-of-day and
 * day-of-week profiles need.
 */
const TOKENS: [string, string, string][] = [
  ['YYYY', '(\\d{4})', 'year'],
  ['SSS', '(\\d{1,3})', 'ms'],
  ['YY', '(\\d{2})', 'year2'],
  ['MM', '(\\d{2})', 'month'],
  ['DD', '(\\d{2})', 'day'],
  ['HH', '(\\d{2})', 'hour'],
  ['mm', '(\\d{2})', 'minute'],
  ['ss', '(\\d{2})', 'second'],
  ['M', '(\\d{1,2})', 'month'],
  ['D', '(\\d{1,2})', 'day'],
  ['H', '(\\d{1,2})', 'hour'],
];

export type TimestampParser = (text: string) => number | string;

/**
 * Compiles a format into a parser that returns epoch milliseconds, or a reason (a string) when the
 * text does not fit the format or names an impossible date.
 */
export function timestampParser(format: string): TimestampParser {
  if (format.toLowerCase() === 'iso') {
    return (text) => {
      const t = text.trim();
      if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t))
        return `"${text}" is not an ISO 8601 time`;
      // a zone-less ISO time is a wall-clock time: read it as UTC, like the patterns
      const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) || t.length === 10 ? t : `${t.replace(' ', 'T')}Z`;
      const ms = Date.parse(zoned);
      return Number.isNaN(ms) ? `"${text}" is not a valid ISO 8601 time` : ms;
    };
  }
  const fields: string[] = [];
  let pattern = '';
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find(([tok]) => format.startsWith(tok, i));
    if (token) {
      pattern += token[1];
      fields.push(token[2]);
      i += token[0].length;
    } else {
      pattern += format[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  if (!fields.includes('year') && !fields.includes('year2'))
    throw new RangeError(`timestamp format "${format}" has no year (YYYY or YY)`);
  if (!fields.includes('month') || !fields.includes('day'))
    throw new RangeError(`timestamp format "${format}" needs a month (MM or M) and a day (DD or D)`);
  const re = new RegExp(`^${pattern}$`);
  return (text) => {
    const m = re.exec(text.trim());
    if (!m) return `"${text}" does not match the format ${format}`;
    const v: Record<string, number> = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0 };
    fields.forEach((f, k) => {
      const n = Number(m[k + 1]);
      if (f === 'year2') v.year = 2000 + n;
      else if (f === 'ms') v.ms = Number(m[k + 1].padEnd(3, '0'));
      else v[f] = n;
    });
    const ms = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, v.ms);
    const d = new Date(ms);
    if (
      d.getUTCMonth() !== v.month - 1 ||
      d.getUTCDate() !== v.day ||
      v.hour > 23 ||
      v.minute > 59 ||
      v.second > 59
    )
      return `"${text}" is not a real date and time (${format})`;
    return ms;
  };
}
