/**
 * A ticket log: one row per ticket (or per event of a ticket) exported from a ticketing tool as
 * CSV, read through a column mapping, a timestamp format and a map from the tool's priority
 * labels to tiers. Rows with the same id are one ticket: the earliest open time wins (an event log
 * lists a ticket many times). A row that cannot be read is reported with its line and the reason,
 * and the rest of the log is used.
 *
 * The defaults read the log leadtime exports for its predicted tickets
 * (`id,openedAt,priority,category,asset,faultMode,resolvedAt`, ISO times, priorities P1..P4).
 */
import { readFileSync } from 'node:fs';
import { parse, CsvError } from 'csv-parse/sync';
import { InputError, priorityIndex, TICKET_LOG_COLUMNS } from '../../core/index.ts';
import { timestampParser } from './timestamp-format.ts';

export interface ColumnMapping {
  id?: string;
  openedAt?: string;
  priority?: string;
  category?: string;
  skill?: string;
  resolvedAt?: string;
}

export interface TicketLogOptions {
  columns?: ColumnMapping;
  /** `iso` (default) or a pattern such as `DD-MM-YYYY HH:mm` */
  format?: string;
  /** tool label -> tier, e.g. { "1 - Critical": "P1" }; labels P1..P4 are always understood */
  priorities?: Record<string, string>;
  delimiter?: string;
  /** the field path reported in errors, e.g. `arrivals[0].replay` */
  field?: string;
}

export interface LoggedTicket {
  id: string;
  /** epoch milliseconds (wall clock for zone-less formats) */
  openedAt: number;
  tier: number;
  category: string | null;
  skill: string | null;
  resolvedAt: number | null;
  /** line in the file the kept row came from */
  line: number;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface TicketLog {
  file: string;
  /** tickets sorted by open time (ties: first in file first) */
  tickets: LoggedTicket[];
  rows: number;
  /** rows merged into an earlier-listed or earlier-opened ticket with the same id */
  duplicates: number;
  rejected: RejectedRow[];
}

const DEFAULT_COLUMNS: Required<ColumnMapping> = {
  id: TICKET_LOG_COLUMNS.id,
  openedAt: TICKET_LOG_COLUMNS.openedAt,
  priority: TICKET_LOG_COLUMNS.priority,
  category: TICKET_LOG_COLUMNS.category,
  skill: TICKET_LOG_COLUMNS.skill,
  resolvedAt: TICKET_LOG_COLUMNS.resolvedAt,
};

export function readTicketLog(file: string, options: TicketLogOptions = {}): TicketLog {
  const field = options.field ?? 'log';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${field}.file: cannot read ${file}: ${(err as Error).message}`);
  }
  return parseTicketLog(text, file, options);
}

export function parseTicketLog(text: string, file: string, options: TicketLogOptions = {}): TicketLog {
  const field = options.field ?? 'log';
  let parseTime: ReturnType<typeof timestampParser>;
  try {
    parseTime = timestampParser(options.format ?? 'iso');
  } catch (err) {
    throw new InputError(`${field}.format: ${(err as Error).message}`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: true,
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      delimiter: options.delimiter ?? ',',
    }) as typeof records;
  } catch (err) {
    const line = err instanceof CsvError ? ((err as CsvError & { lines?: number }).lines ?? '?') : '?';
    throw new InputError(`${file}:${line}: not readable as CSV: ${(err as Error).message}`);
  }
  const header = text.split(/\r?\n/, 1)[0].replace(/^\uFEFF/, '');
  const headerColumns = new Set(
    parse(header, { delimiter: options.delimiter ?? ',', trim: true })[0] as string[],
  );
  const columns = { ...DEFAULT_COLUMNS };
  for (const [key, name] of Object.entries(options.columns ?? {})) {
    if (!headerColumns.has(name)) {
      throw new InputError(
        `${field}.columns.${key}: no column "${name}" in ${file} (it has ${[...headerColumns].join(', ')})`,
      );
    }
    columns[key as keyof ColumnMapping] = name;
  }
  for (const key of ['id', 'openedAt', 'priority'] as const) {
    if (!headerColumns.has(columns[key])) {
      throw new InputError(
        `${field}.columns.${key}: ${file} has no column "${columns[key]}" (it has ${[...headerColumns].join(', ')}); map it under columns`,
      );
    }
  }
  const has = (key: keyof ColumnMapping) => headerColumns.has(columns[key]);
  const labels = new Map<string, number>();
  for (const [label, tier] of Object.entries(options.priorities ?? {})) {
    const i = priorityIndex(tier);
    if (i < 0)
      throw new InputError(`${field}.priorities.${label}: expected P1..P4, got ${JSON.stringify(tier)}`);
    labels.set(label, i);
  }

  const byId = new Map<string, LoggedTicket>();
  const rejected: RejectedRow[] = [];
  let duplicates = 0;
  for (const { record, info } of records) {
    const line = info.lines;
    const id = record[columns.id] ?? '';
    if (id === '') {
      rejected.push({ line, reason: `${columns.id}: empty ticket id` });
      continue;
    }
    const opened = parseTime(record[columns.openedAt] ?? '');
    if (typeof opened === 'string') {
      rejected.push({ line, reason: `${columns.openedAt}: ${opened}` });
      continue;
    }
    const label = record[columns.priority] ?? '';
    const tier = labels.get(label) ?? priorityIndex(label);
    if (tier < 0) {
      rejected.push({
        line,
        reason: `${columns.priority}: "${label}" is not a tier P1..P4 nor in the priority map${labels.size ? ` (${[...labels.keys()].map((l) => JSON.stringify(l)).join(', ')})` : ''}`,
      });
      continue;
    }
    let resolvedAt: number | null = null;
    const resolvedText = has('resolvedAt') ? (record[columns.resolvedAt] ?? '') : '';
    if (resolvedText !== '') {
      const r = parseTime(resolvedText);
      if (typeof r === 'string') {
        rejected.push({ line, reason: `${columns.resolvedAt}: ${r}` });
        continue;
      }
      resolvedAt = r;
    }
    const skill = has('skill') && record[columns.skill] ? record[columns.skill] : null;
    const ticket: LoggedTicket = {
      id,
      openedAt: opened,
      tier,
      // routing sees the category, or the skill when the log gives no category
      category: has('category') && record[columns.category] ? record[columns.category] : skill,
      skill,
      resolvedAt,
      line,
    };
    const seen = byId.get(id);
    if (seen) {
      duplicates++;
      if (ticket.openedAt < seen.openedAt) byId.set(id, ticket);
    } else byId.set(id, ticket);
  }
  const tickets = [...byId.values()].sort((a, b) => a.openedAt - b.openedAt || a.line - b.line);
  return { file, tickets, rows: records.length, duplicates, rejected };
}

/** Monday 00:00 (wall clock) of the week containing `ms`: where a replay puts simulation time 0. */
export function mondayBefore(ms: number): number {
  const day = Math.floor(ms / 86_400_000);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday (weekday 3 when Monday is 0)
  return (day - weekday) * 86_400_000;
}
