/**
 * The ticket contract sent to the ticketing system, and the events that carry it. A ticket's
 * `version` counts its delivered events (1 = created); the idempotency key of an event is
 * `<ticket id>:<version>`, so it is stable however often the event is re-sent.
 */
import type { Priority } from './policy/ticket-policy.ts';

export const STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export interface HistoryEntry {
  seq: number;
  /** ISO time */
  at: string;
  kind: 'opened' | 'upgraded' | 'improved' | 'status';
  from?: string;
  to?: string;
  note: string;
}

export interface Evidence {
  /** ISO time of the evaluation that opened or last upgraded the ticket */
  evaluatedAt: string;
  prediction: {
    t: number;
    rul?: number;
    lower?: number;
    upper?: number;
    coverage?: number;
    healthIndex?: number | null;
    /** the model's first predicting time (null: the RUL was age-only, before it) */
    firstPredictingT?: number | null;
  } | null;
  anomaly: { score: number; threshold: number; level: string; detector?: string } | null;
  /** the indicators that drove it, largest contribution first */
  indicators: { channel: string; contribution: number }[];
  reasons: string[];
  /** where to plot it: the asset and a time range on its own time axis */
  links: {
    asset: string;
    from: number;
    to: number;
    timeUnit: 'ms' | 'cycle';
    /** GET /v1/assets/{asset}/series for the top indicator over [from, to] (no channel: none known) */
    series: string;
    /** the same for every listed indicator */
    plots: string[];
  };
}

export interface Ticket {
  id: string;
  /** the idempotency key of the event that created it */
  idempotencyKey: string;
  asset: string;
  faultMode: string;
  priority: Priority;
  status: TicketStatus;
  openedAt: string;
  updatedAt: string;
  predictedFailureAt: string | null;
  rul: {
    estimate: number;
    lower: number;
    upper: number;
    coverage: number | null;
    timeUnit: 'ms' | 'cycle';
    /** the same figures in hours of wall time */
    hours: { estimate: number; lower: number; upper: number };
  } | null;
  model: { name: string; version: string } | null;
  evidence: Evidence;
  sla: { respondBy: string; onsiteBy: string | null; resolveBy: string };
  faultConfirmed: boolean | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** number of events sent for this ticket so far */
  version: number;
  history: HistoryEntry[];
}

/**
 * `created` and `upgraded` come from the desk rules; the status events (`acknowledged`,
 * `in_progress`, `resolved`, `closed`) from a status change, so that the lifecycle reaches the
 * ticketing system through the same outbox.
 */
export type TicketEventKind =
  | 'ticket.created'
  | 'ticket.upgraded'
  | 'ticket.acknowledged'
  | 'ticket.in_progress'
  | 'ticket.resolved'
  | 'ticket.closed';

/** the outbox event a status change writes */
export const statusEventKind = (s: Exclude<TicketStatus, 'open'>): TicketEventKind => `ticket.${s}`;

/** One delivery unit of the outbox: the exact body bytes are fixed when the event is written. */
export interface TicketEvent {
  kind: TicketEventKind;
  ticketId: string;
  version: number;
  idempotencyKey: string;
  /** JSON: { event, idempotencyKey, occurredAt, ticket } */
  body: string;
}

export const eventKey = (ticketId: string, version: number): string => `${ticketId}:${version}`;

export function makeEvent(kind: TicketEventKind, ticket: Ticket, occurredAt: string): TicketEvent {
  const idempotencyKey = eventKey(ticket.id, ticket.version);
  return {
    kind,
    ticketId: ticket.id,
    version: ticket.version,
    idempotencyKey,
    body: JSON.stringify({ event: kind, idempotencyKey, occurredAt, ticket }),
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** "name@version" -> { name, version } ("unversioned" when no @). */
export function parseModelRef(model: string | undefined): { name: string; version: string } | null {
  if (!model) return null;
  const at = model.lastIndexOf('@');
  return at > 0
    ? { name: model.slice(0, at), version: model.slice(at + 1) }
    : { name: model, version: 'unversioned' };
}
