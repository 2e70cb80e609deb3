/**
 * An outbox row as both SQL backends return it, turned into an `OutboxRecord`. Integers arrive as
 * bigint from DuckDB and as strings from PostgreSQL (BIGINT), as numbers otherwise.
 */
import type { TicketEvent } from '../ticket.ts';
import type { OutboxRecord, OutboxState } from './ticket-store.ts';

const int = (v: unknown): number =>
  typeof v === 'bigint' || typeof v === 'string' ? Number(v) : (v as number);

export function outboxRecord(r: Record<string, unknown>): OutboxRecord {
  return {
    eventId: int(r.event_id),
    ticketId: r.ticket_id as string,
    version: int(r.version),
    kind: r.kind as TicketEvent['kind'],
    idempotencyKey: r.idempotency_key as string,
    body: r.body as string,
    createdAt: int(r.created_at),
    state: r.state as OutboxState,
    attempts: int(r.attempts),
    nextAttemptAt: int(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    deliveredTo: JSON.parse(r.delivered_to as string) as string[],
    deliveredAt: r.delivered_at === null ? null : int(r.delivered_at),
  };
}
