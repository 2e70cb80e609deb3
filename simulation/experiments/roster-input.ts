/**
 * The inputs of `leadtime roster`: the hourly staffing requirement of a week (REQ.csv, columns
 * `day,hour,required`) and the shift templates (SHIFTS.yaml). Both are read with errors that name
 * the line and the field; the templates go through a TypeBox schema and `core`'s validator, then
 * the checks a schema cannot express (times on the hour, a break window inside its shift).
 *
 * Time is counted in hour-slots of the week, slot 0 = Monday 00:00-01:00, slot 167 = Sunday
 * 23:00-24:00, the simulator's week (shift-roster.ts).
 */
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { parse } from 'csv-parse/sync';
import { InputError, parseConfigText, parseDuration, validate } from '../../core/index.ts';
import { Duration, Weekday } from '../scenario/scenario.ts';
import { WEEKDAYS } from '../engine/shift-roster.ts';

export const HOURS_PER_WEEK = 168;

const ClockTime = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\s*[0-9]' })], {
  description: 'a clock time on the hour: "07:00", or a duration after midnight such as "7h"',
});

export const ShiftTemplateSpec = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    days: Type.Array(Weekday, { minItems: 1, description: 'the days a member of staff on it works' }),
    from: ClockTime,
    to: ClockTime,
    costPerHour: Type.Number({ minimum: 0 }),
    breaks: Type.Optional(
      Type.Object(
        {
          length: Duration,
          within: Type.Array(ClockTime, {
            minItems: 2,
            maxItems: 2,
            description: '[from, to]: the break starts and ends inside this window',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ShiftTemplatesFile = Type.Object(
  { shifts: Type.Array(ShiftTemplateSpec, { minItems: 1 }) },
  { additionalProperties: false },
);
export type ShiftTemplatesFile = Static<typeof ShiftTemplatesFile>;

/** A shift template in hours: who works it works every one of its days, same hours. */
export interface ShiftTemplate {
  name: string;
  /** 0 = Monday .. 6 = Sunday */
  days: number[];
  /** start hour 0..23 */
  from: number;
  /** hours, 1..24 (past midnight when from + length > 24) */
  length: number;
  costPerHour: number;
  /** one unpaid-for-coverage break: `length` hours starting between `earliest` and `latest` hours after the shift starts */
  break?: { length: number; earliest: number; latest: number };
}

/** "07:00" or a duration ("7h", a bare number is minutes) -> whole hours after midnight. */
function clockHours(value: number | string, field: string, max: number): number {
  let minutes: number;
  const m = typeof value === 'string' ? /^\s*(\d{1,2}):(\d{2})\s*$/.exec(value) : null;
  if (m) minutes = Number(m[1]) * 60 + Number(m[2]);
  else minutes = parseDuration(value, field, 'm') / 60_000;
  if (!(minutes % 60 === 0))
    throw new InputError(`${field}: the roster works in whole hours, got ${JSON.stringify(value)}`);
  const hours = minutes / 60;
  if (hours > max) throw new InputError(`${field}: must be at most ${max}:00, got ${JSON.stringify(value)}`);
  return hours;
}

/** Checks and converts validated templates; errors name the field (and line, when known). */
export function templatesFrom(
  file: ShiftTemplatesFile,
  source = 'shifts',
  lineOf: (pointer: string) => number | undefined = () => undefined,
): ShiftTemplate[] {
  const names = new Set<string>();
  return file.shifts.map((s, i) => {
    const at = `shifts[${i}]`;
    const where = (field: string, pointer: string) => {
      const line = lineOf(`/shifts/${i}${pointer}`);
      return `${source}${line ? `:${line}` : ''}: ${at}${field}`;
    };
    if (names.has(s.name)) throw new InputError(`${where('.name', '/name')}: "${s.name}" is used twice`);
    names.add(s.name);
    const from = clockHours(s.from, where('.from', '/from'), 23);
    const to = clockHours(s.to, where('.to', '/to'), 24);
    if (to === from) throw new InputError(`${where('.to', '/to')}: a shift cannot end when it starts`);
    const length = to > from ? to - from : to + 24 - from;
    const days = [...new Set(s.days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])))].sort();
    const t: ShiftTemplate = { name: s.name, days, from, length, costPerHour: s.costPerHour };
    if (s.breaks) {
      const b = s.breaks;
      const blen = parseDuration(b.length, where('.breaks.length', '/breaks/length'), 'm') / 60_000;
      if (!(blen > 0 && blen % 60 === 0 && blen / 60 < length))
        throw new InputError(
          `${where('.breaks.length', '/breaks/length')}: expected whole hours, shorter than the shift, got ${JSON.stringify(b.length)}`,
        );
      const wf = clockHours(b.within[0], where('.breaks.within[0]', '/breaks/within/0'), 24);
      const wt = clockHours(b.within[1], where('.breaks.within[1]', '/breaks/within/1'), 24);
      // window as offsets from the shift's start (it may lie past midnight)
      const earliest = (((wf - from) % 24) + 24) % 24;
      const end = earliest + ((((wt - wf) % 24) + 24) % 24 || 24);
      const latest = end - blen / 60;
      if (end > length || latest < earliest)
        throw new InputError(
          `${where('.breaks.within', '/breaks/within')}: the window ${JSON.stringify(b.within)} must lie inside the shift and hold a break of ${blen / 60} h`,
        );
      t.break = { length: blen / 60, earliest, latest };
    }
    return t;
  });
}

/** Reads SHIFTS.yaml: `shifts: [{ name, days, from, to, costPerHour, breaks? }]`. */
export function readShiftTemplates(path: string): ShiftTemplate[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const { value, lineOf } = parseConfigText(text, path);
  const file = validate(ShiftTemplatesFile, value ?? {}, path, lineOf);
  return templatesFrom(file, path, lineOf);
}

/** Parses REQ.csv text (`day,hour,required`, header first) into 168 hourly requirements. */
export function parseRequirements(text: string, source = 'requirements'): Int32Array {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true, // spreadsheet exports start with one
      info: true,
      relax_column_count: true,
    });
  } catch (err) {
    throw new InputError(`${source}: not valid CSV: ${(err as Error).message}`);
  }
  const required = new Int32Array(HOURS_PER_WEEK);
  if (records.length === 0)
    throw new InputError(`${source}: no requirement rows (columns day,hour,required)`);
  const missing = ['day', 'hour', 'required'].filter((c) => !(c in records[0].record));
  if (missing.length > 0)
    throw new InputError(`${source}:1: missing column ${missing.join(', ')} (expected day,hour,required)`);
  const problems: string[] = [];
  const seenAt = new Map<number, number>();
  for (const { record, info } of records) {
    const at = `${source}:${info.lines}`;
    const day = WEEKDAYS.indexOf((record.day ?? '').toLowerCase() as (typeof WEEKDAYS)[number]);
    const hour = Number(record.hour);
    const req = Number(record.required);
    const bad: string[] = [];
    if (day < 0) bad.push(`day: expected one of ${WEEKDAYS.join(', ')}, got ${JSON.stringify(record.day)}`);
    if (!(record.hour !== '' && Number.isInteger(hour) && hour >= 0 && hour <= 23))
      bad.push(`hour: expected an integer 0-23, got ${JSON.stringify(record.hour)}`);
    if (!(record.required !== '' && Number.isInteger(req) && req >= 0))
      bad.push(`required: expected an integer >= 0, got ${JSON.stringify(record.required)}`);
    if (bad.length > 0) {
      problems.push(...bad.map((b) => `${at}: ${b}`));
      continue;
    }
    const slot = day * 24 + hour;
    const before = seenAt.get(slot);
    if (before !== undefined) {
      problems.push(`${at}: day,hour: ${WEEKDAYS[day]} ${hour} is already given on line ${before}`);
      continue;
    }
    seenAt.set(slot, info.lines);
    required[slot] = req;
  }
  if (problems.length > 0)
    throw new InputError(
      `${source}: ${problems.length} bad row${problems.length > 1 ? 's' : ''}\n  - ${problems.slice(0, 20).join('\n  - ')}` +
        (problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ''),
    );
  return required;
}

export function readRequirements(path: string): Int32Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseRequirements(text, path);
}

/** "mon 07:00" for a slot of the week. */
export function slotName(slot: number): string {
  return `${WEEKDAYS[Math.floor(slot / 24)]} ${String(slot % 24).padStart(2, '0')}:00`;
}
