/**
 * An in-memory ticket book applying the same desk decisions as the DuckDB store, for backtests and
 * what-if runs over many evaluations (no outbox: nothing is delivered).
 */
import { decide, emptyState, faultModeOf, type Decision, type KeyState } from '../policy/desk-rules.ts';
import type { Evaluation } from '../evaluation.ts';
import type { TicketPolicy } from '../policy/ticket-policy.ts';
import { iso, STATUSES, type Ticket, type TicketStatus } from '../ticket.ts';

export class MemoryTicketBook {
  readonly tickets = new Map<string, Ticket>();
  private readonly states = new Map<string, KeyState>();

  constructor(readonly policy: TicketPolicy) {}

  private key = (asset: string, faultMode: string) => `${asset}\u0000${faultMode}`;

  apply(e: Evaluation, now?: number): Decision {
    const k = this.key(e.asset, faultModeOf(e, this.policy));
    const d = decide(
      this.states.get(k) ?? emptyState(),
      e,
      this.policy,
      () => `LT-${String(this.tickets.size + 1).padStart(6, '0')}`,
      { now },
    );
    this.states.set(k, d.state);
    if ('ticket' in d) this.tickets.set(d.ticket.id, d.ticket);
    return d;
  }

  /** Moves a ticket forward; resolving or closing starts its cool-down. */
  setStatus(id: string, status: TicketStatus, at: number, faultConfirmed?: boolean): Ticket {
    const t = this.tickets.get(id);
    if (!t) throw new Error(`ticket ${id}: no such ticket`);
    const from = STATUSES.indexOf(t.status);
    if (STATUSES.indexOf(status) <= from)
      throw new Error(`ticket ${id}: status: cannot go from "${t.status}" to "${status}"`);
    t.history.push({
      seq: t.history.length + 1,
      at: iso(at),
      kind: 'status',
      from: t.status,
      to: status,
      note: '',
    });
    t.status = status;
    t.updatedAt = iso(at);
    if (faultConfirmed !== undefined) t.faultConfirmed = faultConfirmed;
    if (status === 'resolved') t.resolvedAt = iso(at);
    if (status === 'closed') t.closedAt = iso(at);
    if (STATUSES.indexOf(status) >= STATUSES.indexOf('resolved') && from < STATUSES.indexOf('resolved')) {
      const k = this.key(t.asset, t.faultMode);
      const s = this.states.get(k) ?? emptyState();
      this.states.set(k, { ...s, open: null, lastClosedAt: at, streak: 0 });
    } else {
      const k = this.key(t.asset, t.faultMode);
      const s = this.states.get(k);
      if (s?.open?.id === id) s.open = t;
    }
    return t;
  }

  /** The open ticket of an asset and fault mode, if any. */
  openTicket(asset: string, faultMode: string): Ticket | null {
    return this.states.get(this.key(asset, faultMode))?.open ?? null;
  }
}
