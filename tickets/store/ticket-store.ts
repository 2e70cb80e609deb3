/**
 * What the ticket stage needs of a ticket store, whatever holds it (the embedded DuckDB file by
 * default; a shared database for several servers and dispatchers). Tickets, their history, the
 * desk's hysteresis state and the outbox change together: `apply` and every status update are
 * atomic, so a crash never leaves a ticket without its outbox event or the reverse.
 */
import type { Decision } from '../policy/desk-rules.ts';
import type { Evaluation } from '../evaluation.ts';
import type { Priority, TicketPolicy } from '../policy/ticket-policy.ts';
import type { Ticket, TicketEvent, TicketStatus } from '../ticket.ts';

export type OutboxState = 'pending' | 'delivered' | 'dead';

export interface OutboxRecord extends TicketEvent {
  eventId: number;
  createdAt: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** URLs that accepted it */
  deliveredTo: string[];
  deliveredAt: number | null;
}

export interface ApplyResult {
  position: string;
  asset: string;
  faultMode: string;
  /** `rejected`: the evaluation could not be applied (see error); nothing was written for it */
  action: Decision['action'] | 'rejected';
  priority: Priority | null;
  ticketId?: string;
  reasons: string[];
  error?: string;
}

export interface StatusUpdate {
  status: TicketStatus;
  /**
   * required with `resolved`: did the technician find the predicted fault? `null`: the reporting
   * system does not know (a resolution coming back from a ticketing system without that field);
   * it can be set later with a status change that carries it.
   */
  faultConfirmed?: boolean | null;
  /** epoch ms (default now) */
  at?: number;
  note?: string;
}

/** A resolved ticket as a training label: did the predicted fault exist? */
export interface TicketLabel {
  ticketId: string;
  asset: string;
  faultMode: string;
  priority: Priority;
  openedAt: string;
  resolvedAt: string | null;
  faultConfirmed: boolean;
  model: { name: string; version: string } | null;
  evaluatedT: number | null;
}

export interface TicketStore {
  /** where the tickets live, for messages: a file path, or a database URL without its password */
  readonly location: string;
  close(): Promise<void>;
  /** applies evaluations through the policy, `batchSize` per transaction, in order */
  apply(
    evaluations: Evaluation[],
    policy: TicketPolicy,
    o?: { now?: number; positions?: string[]; batchSize?: number; onCommit?: (r: ApplyResult) => void },
  ): Promise<ApplyResult[]>;
  get(id: string): Promise<Ticket | null>;
  list(filter?: { status?: TicketStatus | 'active'; asset?: string }): Promise<Ticket[]>;
  /** a status change, its history entry and its outbox event (`ticket.<status>`), in one transaction */
  setStatus(id: string, u: StatusUpdate): Promise<Ticket>;
  /** resolved tickets as training labels */
  labels(): Promise<TicketLabel[]>;
  outbox(state?: OutboxState): Promise<OutboxRecord[]>;
  /** the event feed after an event id, oldest first */
  feed(after?: number, limit?: number): Promise<{ events: OutboxRecord[]; next: number }>;
  /** pending events due by `now`, each ticket's earliest undelivered version only (per-ticket order) */
  due(now: number): Promise<OutboxRecord[]>;
  /**
   * Claims up to `limit` events that `due(now)` would give and nobody holds: each is leased to
   * `worker` until `now + leaseMs` (skipped by other workers until then; a dead worker's lease just
   * expires). Several dispatcher processes on one store thus send each event once in the normal
   * case and at least once when one of them dies mid-delivery.
   */
  claimDue(now: number, worker: string, leaseMs: number, limit: number): Promise<OutboxRecord[]>;
  /** the earliest time a pending event becomes due or its lease ends (null: nothing pending) */
  nextDue(): Promise<number | null>;
  pendingCount(): Promise<number>;
  markDelivered(eventId: number, url: string, urls: string[], now: number): Promise<OutboxState>;
  markFailed(eventId: number, error: string, o: { nextAttemptAt: number; dead: boolean }): Promise<void>;
  /** dead events back to pending (all, or of the given tickets / events); returns how many */
  retry(select?: { ticketIds?: string[]; eventIds?: number[] }, now?: number): Promise<number>;
}
