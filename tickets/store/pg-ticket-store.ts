/**
 * The shared ticket store in PostgreSQL (`--store postgres://...`): the same tables, decisions and
 * transactional outbox as the DuckDB file, for several servers and dispatchers at once. Writers that
 * read-then-decide (apply, setStatus) take one transaction-scoped advisory lock, so two processes
 * never open two tickets for one asset or hand out the same ticket id; dispatchers claim events
 * with SELECT ... FOR UPDATE SKIP LOCKED and a lease (claimDue), so each event goes out once in the
 * normal case and again after the lease when its dispatcher died.
 */
import { InputError } from '../../core/index.ts';
import {
  migrate,
  openPool,
  PG_LOCK,
  PG_LOCK_SPACE,
  pgTx,
  type PgClient,
  type PgPool,
} from '../../core/postgres.ts';
import { redactUrl } from '../../core/store-url.ts';
import { decide, emptyState, faultModeOf, type Decision, type KeyState } from '../policy/desk-rules.ts';
import type { Evaluation } from '../evaluation.ts';
import { outboxRecord } from './outbox-row.ts';
import type { Priority, TicketPolicy } from '../policy/ticket-policy.ts';
import {
  iso,
  makeEvent,
  STATUSES,
  statusEventKind,
  type Ticket,
  type TicketEvent,
  type TicketStatus,
} from '../ticket.ts';
import type {
  ApplyResult,
  OutboxRecord,
  OutboxState,
  StatusUpdate,
  TicketLabel,
  TicketStore,
} from './ticket-store.ts';

/** Version 1: the DuckDB ticket schema in PostgreSQL types, with the outbox's lease columns. */
export const PG_TICKET_MIGRATIONS: string[] = [
  `
CREATE TABLE IF NOT EXISTS tickets (
  id TEXT PRIMARY KEY,
  asset TEXT NOT NULL,
  fault_mode TEXT NOT NULL,
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at DOUBLE PRECISION NOT NULL,
  resolved_at DOUBLE PRECISION,
  closed_at DOUBLE PRECISION,
  fault_confirmed BOOLEAN,
  version INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_key ON tickets (asset, fault_mode);
CREATE TABLE IF NOT EXISTS ticket_history (
  ticket_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entry_at DOUBLE PRECISION NOT NULL,
  kind TEXT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (ticket_id, seq)
);
CREATE TABLE IF NOT EXISTS ticket_watch (
  asset TEXT NOT NULL,
  fault_mode TEXT NOT NULL,
  streak INTEGER NOT NULL,
  last_assessed TEXT,
  last_closed_at DOUBLE PRECISION,
  last_t DOUBLE PRECISION,
  PRIMARY KEY (asset, fault_mode)
);
CREATE TABLE IF NOT EXISTS outbox (
  event_id BIGSERIAL PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  created_at DOUBLE PRECISION NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at DOUBLE PRECISION NOT NULL,
  last_error TEXT,
  delivered_to TEXT NOT NULL,
  delivered_at DOUBLE PRECISION,
  claimed_by TEXT,
  lease_until DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (ticket_id, version) WHERE state <> 'delivered';
`,
];

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));
/** ids sort bytewise, as in DuckDB, whatever the database's collation */
const C = 'COLLATE "C"';
const DUE = `o.state = 'pending' AND o.next_attempt_at <= $1
  AND o.version = (SELECT min(x.version) FROM outbox x WHERE x.ticket_id = o.ticket_id AND x.state <> 'delivered')`;

export class PgTicketStore implements TicketStore {
  private constructor(
    readonly location: string,
    private readonly pool: PgPool,
  ) {}

  static async open(url: string): Promise<PgTicketStore> {
    const pool = await openPool(url, 'ticket store', 8);
    try {
      await migrate(pool, 'tickets', PG_TICKET_MIGRATIONS);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PgTicketStore(redactUrl(url), pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async read(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params)).rows as Row[];
  }

  /** A read-decide-write transaction: serialized across every process on the store. */
  private writeTx<T>(fn: (c: PgClient) => Promise<T>): Promise<T> {
    return pgTx(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [PG_LOCK_SPACE, PG_LOCK.ticketWrites]);
      return fn(c);
    });
  }

  private async keyState(c: PgClient, asset: string, faultMode: string): Promise<KeyState> {
    const state = emptyState();
    const [w] = (
      await c.query(
        'SELECT streak, last_assessed, last_closed_at, last_t FROM ticket_watch WHERE asset = $1 AND fault_mode = $2',
        [asset, faultMode],
      )
    ).rows as Row[];
    if (w) {
      state.streak = num(w.streak);
      state.lastAssessed = (w.last_assessed as Priority | null) ?? null;
      state.lastClosedAt = w.last_closed_at === null ? null : num(w.last_closed_at);
      state.lastT = w.last_t === null ? null : num(w.last_t);
    }
    const [t] = (
      await c.query(
        `SELECT body FROM tickets WHERE asset = $1 AND fault_mode = $2 AND status NOT IN ('resolved', 'closed')`,
        [asset, faultMode],
      )
    ).rows as Row[];
    if (t) state.open = JSON.parse(t.body as string) as Ticket;
    return state;
  }

  private async saveWatch(c: PgClient, asset: string, faultMode: string, s: KeyState): Promise<void> {
    await c.query(
      `INSERT INTO ticket_watch VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (asset, fault_mode) DO UPDATE SET streak = excluded.streak, last_assessed = excluded.last_assessed, last_closed_at = excluded.last_closed_at, last_t = excluded.last_t`,
      [asset, faultMode, s.streak, s.lastAssessed, s.lastClosedAt, s.lastT],
    );
  }

  /** As DuckDbTicketStore.apply: in order, `batchSize` evaluations per transaction, rejections by position. */
  async apply(
    evaluations: Evaluation[],
    policy: TicketPolicy,
    o: { now?: number; positions?: string[]; batchSize?: number; onCommit?: (r: ApplyResult) => void } = {},
  ): Promise<ApplyResult[]> {
    const out: ApplyResult[] = [];
    const size = Math.max(1, Math.trunc(o.batchSize ?? 200));
    for (let start = 0; start < evaluations.length; start += size) {
      const results = await this.writeTx(async (c) => {
        const res: ApplyResult[] = [];
        for (let i = start; i < Math.min(evaluations.length, start + size); i++) {
          const e = evaluations[i];
          const position = o.positions?.[i] ?? `evaluation ${i}`;
          const faultMode = faultModeOf(e, policy);
          const state = await this.keyState(c, e.asset, faultMode);
          const n = num(((await c.query('SELECT count(*) AS n FROM tickets')).rows as Row[])[0].n);
          const newId = () => `LT-${String(n + 1).padStart(6, '0')}`;
          let d: Decision;
          try {
            d = decide(state, e, policy, newId, { now: o.now, position });
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            res.push({
              position,
              asset: e.asset,
              faultMode,
              action: 'rejected',
              priority: null,
              reasons: [],
              error: err.message,
            });
            continue;
          }
          if (d.action === 'open' || d.action === 'upgrade' || d.action === 'improved') {
            await this.writeTicket(c, d.ticket, d.action === 'open');
            const h = d.ticket.history[d.ticket.history.length - 1];
            await c.query('INSERT INTO ticket_history VALUES ($1, $2, $3, $4, $5)', [
              d.ticket.id,
              h.seq,
              Date.parse(h.at),
              h.kind,
              JSON.stringify(h),
            ]);
          }
          if (d.action === 'open' || d.action === 'upgrade') await this.enqueue(c, d.event, Date.now());
          if (d.action !== 'stale') await this.saveWatch(c, e.asset, faultMode, d.state);
          res.push({
            position,
            asset: e.asset,
            faultMode,
            action: d.action,
            priority: d.assessment.priority,
            ticketId: 'ticket' in d ? d.ticket.id : (d.state.open?.id ?? undefined),
            reasons: d.assessment.reasons,
          });
        }
        return res;
      });
      for (const r of results) {
        out.push(r);
        if (r.action !== 'rejected') o.onCommit?.(r);
      }
    }
    return out;
  }

  private async writeTicket(c: PgClient, t: Ticket, insert: boolean): Promise<void> {
    const p: unknown[] = [
      t.id,
      t.asset,
      t.faultMode,
      t.priority,
      t.status,
      Date.parse(t.openedAt),
      t.resolvedAt === null ? null : Date.parse(t.resolvedAt),
      t.closedAt === null ? null : Date.parse(t.closedAt),
      t.faultConfirmed,
      t.version,
      JSON.stringify(t),
    ];
    await c.query(
      insert
        ? 'INSERT INTO tickets VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)'
        : `UPDATE tickets SET priority = $4, status = $5, resolved_at = $7, closed_at = $8, fault_confirmed = $9, version = $10, body = $11
           WHERE id = $1 AND asset = $2 AND fault_mode = $3 AND opened_at = $6`,
      p,
    );
  }

  private async enqueue(c: PgClient, ev: TicketEvent, now: number): Promise<void> {
    await c.query(
      `INSERT INTO outbox (ticket_id, version, kind, idempotency_key, body, created_at, state, attempts, next_attempt_at, delivered_to)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6, '[]')`,
      [ev.ticketId, ev.version, ev.kind, ev.idempotencyKey, ev.body, now],
    );
  }

  async get(id: string): Promise<Ticket | null> {
    const [r] = await this.read('SELECT body FROM tickets WHERE id = $1', [id]);
    return r ? (JSON.parse(r.body as string) as Ticket) : null;
  }

  async list(filter: { status?: TicketStatus | 'active'; asset?: string } = {}): Promise<Ticket[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status === 'active') where.push(`status NOT IN ('resolved', 'closed')`);
    else if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.asset) where.push(`asset = $${params.push(filter.asset)}`);
    const rows = await this.read(
      `SELECT body FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${C}`,
      params,
    );
    return rows.map((r) => JSON.parse(r.body as string) as Ticket);
  }

  /** As DuckDbTicketStore.setStatus: forward only, resolved needs faultConfirmed, closing starts the cool-down. */
  async setStatus(id: string, u: StatusUpdate): Promise<Ticket> {
    if (!STATUSES.includes(u.status))
      throw new InputError(`ticket ${id}: status: expected one of ${STATUSES.join(', ')}, got "${u.status}"`);
    if (u.status === 'resolved' && u.faultConfirmed === undefined)
      throw new InputError(
        `ticket ${id}: faultConfirmed: resolving a ticket needs "fault confirmed" yes or no`,
      );
    return this.writeTx(async (c) => {
      const [r] = (await c.query('SELECT body FROM tickets WHERE id = $1', [id])).rows as Row[];
      const t = r ? (JSON.parse(r.body as string) as Ticket) : null;
      if (!t) throw new InputError(`ticket ${id}: no such ticket`);
      const from = STATUSES.indexOf(t.status);
      const to = STATUSES.indexOf(u.status);
      if (to <= from)
        throw new InputError(
          `ticket ${id}: status: cannot go from "${t.status}" to "${u.status}" (status only moves forward: ${STATUSES.join(' -> ')})`,
        );
      const at = u.at ?? Date.now();
      if (u.faultConfirmed !== undefined && u.faultConfirmed !== null) t.faultConfirmed = u.faultConfirmed;
      const closing = to >= STATUSES.indexOf('resolved');
      if (u.status === 'resolved') t.resolvedAt = iso(at);
      if (u.status === 'closed') t.closedAt = iso(at);
      const previous = t.status;
      t.status = u.status;
      t.updatedAt = iso(at);
      const entry = {
        seq: t.history.length + 1,
        at: iso(at),
        kind: 'status' as const,
        from: previous,
        to: u.status,
        note:
          (u.faultConfirmed === undefined
            ? ''
            : `fault confirmed: ${u.faultConfirmed === null ? 'not reported' : u.faultConfirmed ? 'yes' : 'no'}`) +
          (u.note ? `${u.faultConfirmed === undefined ? '' : '; '}${u.note}` : ''),
      };
      t.history.push(entry);
      // the status change is an outbox event too (same transaction), as on DuckDB: connectors follow the lifecycle
      t.version += 1;
      await this.writeTicket(c, t, false);
      await this.enqueue(
        c,
        makeEvent(statusEventKind(u.status as Exclude<TicketStatus, 'open'>), t, iso(at)),
        Date.now(),
      );
      await c.query('INSERT INTO ticket_history VALUES ($1, $2, $3, $4, $5)', [
        t.id,
        entry.seq,
        at,
        'status',
        JSON.stringify(entry),
      ]);
      if (closing && from < STATUSES.indexOf('resolved')) {
        const state = await this.keyState(c, t.asset, t.faultMode);
        await this.saveWatch(c, t.asset, t.faultMode, { ...state, lastClosedAt: at, streak: 0 });
      }
      return t;
    });
  }

  async labels(): Promise<TicketLabel[]> {
    const rows = await this.read(
      `SELECT body FROM tickets WHERE fault_confirmed IS NOT NULL ORDER BY id ${C}`,
    );
    return rows.map((r) => {
      const t = JSON.parse(r.body as string) as Ticket;
      return {
        ticketId: t.id,
        asset: t.asset,
        faultMode: t.faultMode,
        priority: t.priority,
        openedAt: t.openedAt,
        resolvedAt: t.resolvedAt,
        faultConfirmed: t.faultConfirmed!,
        model: t.model,
        evaluatedT: t.evidence.links.to,
      };
    });
  }

  // --- outbox -------------------------------------------------------------------------------

  async outbox(state?: OutboxState): Promise<OutboxRecord[]> {
    const rows = await this.read(
      `SELECT * FROM outbox ${state ? 'WHERE state = $1' : ''} ORDER BY event_id`,
      state ? [state] : [],
    );
    return rows.map((r) => outboxRecord(r));
  }

  async feed(after = 0, limit = 100): Promise<{ events: OutboxRecord[]; next: number }> {
    const rows = await this.read('SELECT * FROM outbox WHERE event_id > $1 ORDER BY event_id LIMIT $2', [
      Math.trunc(after),
      Math.trunc(limit),
    ]);
    const events = rows.map((r) => outboxRecord(r));
    return { events, next: events.length ? events[events.length - 1].eventId : after };
  }

  async due(now: number): Promise<OutboxRecord[]> {
    const rows = await this.read(`SELECT o.* FROM outbox o WHERE ${DUE} ORDER BY o.event_id`, [now]);
    return rows.map((r) => outboxRecord(r));
  }

  /**
   * Claims due, unleased events with FOR UPDATE SKIP LOCKED: a row another dispatcher is claiming
   * this instant is skipped rather than waited for, and one it claimed carries its lease until it
   * expires (READ COMMITTED re-checks the lease on the row's newest version before locking it).
   */
  async claimDue(now: number, worker: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.read(
      `UPDATE outbox SET claimed_by = $2, lease_until = $3
       WHERE event_id IN (
         SELECT o.event_id FROM outbox o
         WHERE ${DUE} AND (o.lease_until IS NULL OR o.lease_until <= $1)
         ORDER BY o.event_id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, worker, now + leaseMs, Math.max(0, Math.trunc(limit))],
    );
    return rows.map((r) => outboxRecord(r)).sort((a, b) => a.eventId - b.eventId);
  }

  async nextDue(): Promise<number | null> {
    const [r] = await this.read(
      `SELECT min(greatest(next_attempt_at, coalesce(lease_until, 0))) AS t FROM outbox o WHERE o.state = 'pending'
         AND o.version = (SELECT min(x.version) FROM outbox x WHERE x.ticket_id = o.ticket_id AND x.state <> 'delivered')`,
    );
    return r.t === null ? null : num(r.t);
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.read(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`);
    return num(r.n);
  }

  async markDelivered(eventId: number, url: string, urls: string[], now: number): Promise<OutboxState> {
    return pgTx(this.pool, async (c) => {
      const [r] = (await c.query('SELECT delivered_to FROM outbox WHERE event_id = $1 FOR UPDATE', [eventId]))
        .rows as Row[];
      const done = new Set(JSON.parse(r.delivered_to as string) as string[]);
      done.add(url);
      const all = urls.every((u) => done.has(u));
      await c.query(
        `UPDATE outbox SET delivered_to = $2, state = $3, delivered_at = $4, last_error = NULL WHERE event_id = $1`,
        [eventId, JSON.stringify([...done]), all ? 'delivered' : 'pending', all ? now : null],
      );
      return all ? 'delivered' : 'pending';
    });
  }

  async markFailed(
    eventId: number,
    error: string,
    o: { nextAttemptAt: number; dead: boolean },
  ): Promise<void> {
    await pgTx(this.pool, async (c) => {
      await c.query(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, state = $4, claimed_by = NULL, lease_until = NULL WHERE event_id = $1`,
        [eventId, error, o.nextAttemptAt, o.dead ? 'dead' : 'pending'],
      );
      if (o.dead)
        await c.query(
          `UPDATE outbox SET state = 'dead', last_error = 'an earlier event of this ticket was dead-lettered: ' || $2::text
           WHERE state = 'pending' AND ticket_id = (SELECT ticket_id FROM outbox WHERE event_id = $1)
             AND version > (SELECT version FROM outbox WHERE event_id = $1)`,
          [eventId, error],
        );
    });
  }

  async retry(select: { ticketIds?: string[]; eventIds?: number[] } = {}, now = Date.now()): Promise<number> {
    const where: string[] = [`state = 'dead'`];
    const params: unknown[] = [now];
    if (select.ticketIds?.length) where.push(`ticket_id = ANY($${params.push(select.ticketIds)}::text[])`);
    if (select.eventIds?.length)
      where.push(`event_id = ANY($${params.push(select.eventIds.map((n) => Math.trunc(n)))}::bigint[])`);
    const r = await this.pool.query(
      `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1, created_at = $1, claimed_by = NULL, lease_until = NULL WHERE ${where.join(' AND ')}`,
      params,
    );
    return r.rowCount ?? 0;
  }
}
