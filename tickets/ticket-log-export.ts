/**
 * The ticket log export: one CSV row per ticket with the columns
 * `id,openedAt,priority,category,asset,faultMode,resolvedAt` (ISO 8601 times, resolvedAt empty while
 * unresolved), the shape the simulator's ticket-log replay maps (see core/vocabulary/ticket-log-columns.ts).
 */
import { EXPORTED_TICKET_LOG_COLUMNS } from '../core/index.ts';
import type { Ticket } from './ticket.ts';

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function ticketLogCsv(tickets: Ticket[], category: string): string {
  const rows = [...tickets]
    .sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : 1))
    .map((t) =>
      [t.id, t.openedAt, t.priority, category, t.asset, t.faultMode, t.resolvedAt ?? t.closedAt ?? '']
        .map(csvField)
        .join(','),
    );
  return [EXPORTED_TICKET_LOG_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
