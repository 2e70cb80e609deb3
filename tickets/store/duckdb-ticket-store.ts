/**
 * The ticket store: its own DuckDB file, `<home>/store/tickets.duckdb` (DuckDB allows one writing
 * process per file, so tickets stay out of the telemetry store). A ticket change, its history entry
 * and its outbox record (the event to deliver) are written in ONE transaction: a crash leaves either
 * all of them or none, so a ticket is never stored without its delivery record nor delivered twice
 * as two tickets (the transactional outbox pattern; Richardson, Microservices Patterns, 2018, ch. 3).
 */
import { join } from 'node:path';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBValue,
} from '@duckdb/node-api';
import { explainLockError, homeDir, InputError } from '../../core/index.ts';
import { decide, emptyState, faultModeOf, type Decision, type KeyState } from '../policy/desk-rules.ts';
import type { Evaluation } from '../evaluation.ts';
import { outboxRecord } from './outbox-row.ts';
import type { Priority, TicketPolicy } from '../policy/ticket-policy.ts';
import {
  iso,
  makeEvent,
  statusEventKind,
  STATUSES,
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

const SCHEMA_SQL = `
CREATE SEQUENCE IF NOT EXISTS outbox_seq START 1;
CREATE TABLE IF NOT EXISTS tickets (
  id VARCHAR PRIMARY KEY,
  asset VARCHAR NOT NULL,
  fault_mode VARCHAR NOT NULL,
  priority VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  opened_at DOUBLE NOT NULL,
  resolved_at DOUBLE,
  closed_at DOUBLE,
  fault_confirmed BOOLEAN,
  version INTEGER NOT NULL,
  body VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ticket_history (
  ticket_id VARCHAR NOT NULL,
  seq INTEGER NOT NULL,
  entry_at DOUBLE NOT NULL,
  kind VARCHAR NOT NULL,
  entry VARCHAR NOT NULL,
  PRIMARY KEY (ticket_id, seq)
);
CREATE TABLE IF NOT EXISTS ticket_watch (
  asset VARCHAR NOT NULL,
  fault_mode VARCHAR NOT NULL,
  streak INTEGER NOT NULL,
  last_assessed VARCHAR,
  last_closed_at DOUBLE,
  last_t DOUBLE,
  PRIMARY KEY (asset, fault_mode)
);
CREATE TABLE IF NOT EXISTS outbox (
  event_id BIGINT PRIMARY KEY,
  ticket_id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  kind VARCHAR NOT NULL,
  idempotency_key VARCHAR NOT NULL UNIQUE,
  body VARCHAR NOT NULL,
  created_at DOUBLE NOT NULL,
  state VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at DOUBLE NOT NULL,
  last_error VARCHAR,
  delivered_to VARCHAR NOT NULL,
  delivered_at DOUBLE
);
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claimed_by VARCHAR;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lease_until DOUBLE;
`;

/** `<home>/store/tickets.duckdb` */
export function ticketStorePath(home: string): string {
  return join(homeDir(home, 'store'), 'tickets.duckdb');
}

/** prepared statements kept per connection */
const MAX_STATEMENTS = 64;

const num = (v: DuckDBValue): number => (typeof v === 'bigint' ? Number(v) : (v as number));

export class DuckDbTicketStore implements TicketStore {
  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
  ) {}

  static async open(file: string): Promise<DuckDbTicketStore> {
    let instance: DuckDBInstance;
    try {
      // one thread: the ticket tables are small and its queries frequent (the dispatcher polls),
      // so a pool of threads only adds per-query start-up CPU
      instance = await DuckDBInstance.create(file, { threads: '1' });
    } catch (err) {
      throw explainLockError(err, 'ticket store', file);
    }
    const db = await instance.connect();
    await db.run(SCHEMA_SQL);
    // one process per file: any lease still held belongs to a dispatcher that died
    await db.run('UPDATE outbox SET claimed_by = NULL, lease_until = NULL WHERE claimed_by IS NOT NULL');
    return new DuckDbTicketStore(file, instance, db);
  }

  async close(): Promise<void> {
    // a statement still running on DuckDB's thread pool must not be freed under it
    await this.queue;
    for (const st of this.statements.values()) st.destroySync();
    this.statements.clear();
    this.db.closeSync();
    this.instance.closeSync();
  }

  /**
   * One piece of work at a time on the connection: transactions (parallel deliveries record their
   * outcomes in turn) and the dispatcher's reads between them.
   */
  private queue: Promise<unknown> = Promise.resolve();

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private tx<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.db.run('BEGIN TRANSACTION');
      try {
        const r = await fn();
        await this.db.run('COMMIT');
        return r;
      } catch (err) {
        await this.db.run('ROLLBACK');
        throw err;
      }
    });
  }

  /**
   * Parameterised statements, prepared once per connection: the ticket walk runs the same few
   * statements per evaluation, and preparing each time (extract, prepare, bind: one thread-pool hop
   * each) cost more than running it. Bounded, for the few statements built per call (filters).
   */
  private readonly statements = new Map<string, DuckDBPreparedStatement>();

  private async exec(sql: string, params: DuckDBValue[]) {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= MAX_STATEMENTS) return this.db.run(sql, params);
      s = await this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    s.bind(params);
    return s.run();
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
    if (params.length === 0) return (await this.db.runAndReadAll(sql)).getRowObjects();
    const result = await this.exec(sql, params);
    return result.getRowObjects();
  }

  /** A read from outside a transaction: waits for the one in progress (never reads half of it). */
  private read(sql: string, params: DuckDBValue[] = []): Promise<Record<string, DuckDBValue>[]> {
    return this.exclusive(() => this.rows(sql, params));
  }

  private async keyState(asset: string, faultMode: string): Promise<KeyState> {
    const state = emptyState();
    const [w] = await this.rows(
      'SELECT streak, last_assessed, last_closed_at, last_t FROM ticket_watch WHERE asset = $1 AND fault_mode = $2',
      [asset, faultMode],
    );
    if (w) {
      state.streak = num(w.streak);
      state.lastAssessed = (w.last_assessed as Priority | null) ?? null;
      state.lastClosedAt = w.last_closed_at === null ? null : num(w.last_closed_at);
      state.lastT = w.last_t === null ? null : num(w.last_t);
    }
    const [t] = await this.rows(
      `SELECT body FROM tickets WHERE asset = $1 AND fault_mode = $2 AND status NOT IN ('resolved', 'closed')`,
      [asset, faultMode],
    );
    if (t) state.open = JSON.parse(t.body as string) as Ticket;
    return state;
  }

  /**
   * An UPDATE, and an INSERT only for a key never seen: DuckDB's INSERT ... ON CONFLICT DO UPDATE
   * cost 4-12 ms a row inside a transaction here, the UPDATE about 1 ms (the demo's ticket walk
   * writes the watch once per evaluation).
   */
  private async saveWatch(asset: string, faultMode: string, s: KeyState): Promise<void> {
    const values = [asset, faultMode, s.streak, s.lastAssessed, s.lastClosedAt, s.lastT];
    const updated = await this.exec(
      `UPDATE ticket_watch SET streak = $3, last_assessed = $4, last_closed_at = $5, last_t = $6
       WHERE asset = $1 AND fault_mode = $2`,
      values,
    );
    if (updated.rowsChanged === 0)
      await this.exec('INSERT INTO ticket_watch VALUES ($1, $2, $3, $4, $5, $6)', values);
  }

  /**
   * Applies evaluations in order, in transactions of up to `batchSize` evaluations (default 200):
   * each evaluation's decision, ticket, history, outbox record and hysteresis state are written in
   * the same transaction, so a crash keeps or loses them together. An evaluation the policy cannot
   * read (e.g. a cycle asset without a cycles-to-hours factor) is rejected before anything is
   * written for it, naming `positions[i]`; the others go on. `onCommit` is called for each applied
   * evaluation once its transaction has committed.
   */
  async apply(
    evaluations: Evaluation[],
    policy: TicketPolicy,
    o: { now?: number; positions?: string[]; batchSize?: number; onCommit?: (r: ApplyResult) => void } = {},
  ): Promise<ApplyResult[]> {
    const out: ApplyResult[] = [];
    const size = Math.max(1, Math.trunc(o.batchSize ?? 200));
    for (let start = 0; start < evaluations.length; start += size) {
      const results = await this.tx(async () => {
        const res: ApplyResult[] = [];
        // tickets are only added inside transactions, which hold the connection: counted once a batch
        const [{ n }] = await this.rows('SELECT count(*) AS n FROM tickets');
        let count = num(n);
        for (let i = start; i < Math.min(evaluations.length, start + size); i++) {
          const e = evaluations[i];
          const position = o.positions?.[i] ?? `evaluation ${i}`;
          const faultMode = faultModeOf(e, policy);
          const state = await this.keyState(e.asset, faultMode);
          const newId = () => `LT-${String(count + 1).padStart(6, '0')}`;
          let d: Decision;
          try {
            // pure: nothing has been written for this evaluation when it throws
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
            await this.writeTicket(d.ticket, d.action === 'open');
            if (d.action === 'open') count++;
            const h = d.ticket.history[d.ticket.history.length - 1];
            await this.exec('INSERT INTO ticket_history VALUES ($1, $2, $3, $4, $5)', [
              d.ticket.id,
              h.seq,
              Date.parse(h.at),
              h.kind,
              JSON.stringify(h),
            ]);
          }
          if (d.action === 'open' || d.action === 'upgrade') await this.enqueue(d.event, Date.now());
          if (d.action !== 'stale') await this.saveWatch(e.asset, faultMode, d.state);
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

  private async writeTicket(t: Ticket, insert: boolean): Promise<void> {
    const p: DuckDBValue[] = [
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
    await this.exec(
      insert
        ? 'INSERT INTO tickets VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)'
        : `UPDATE tickets SET priority = $4, status = $5, resolved_at = $7, closed_at = $8, fault_confirmed = $9, version = $10, body = $11
           WHERE id = $1 AND asset = $2 AND fault_mode = $3 AND opened_at = $6`,
      p,
    );
  }

  private async enqueue(ev: TicketEvent, now: number): Promise<void> {
    await this.exec(
      `INSERT INTO outbox (event_id, ticket_id, version, kind, idempotency_key, body, created_at, state, attempts, next_attempt_at, last_error, delivered_to, delivered_at)
       VALUES (nextval('outbox_seq'), $1, $2, $3, $4, $5, $6, 'pending', 0, $6, NULL, '[]', NULL)`,
      [ev.ticketId, ev.version, ev.kind, ev.idempotencyKey, ev.body, now],
    );
  }

  async get(id: string): Promise<Ticket | null> {
    const [r] = await this.read('SELECT body FROM tickets WHERE id = $1', [id]);
    return r ? (JSON.parse(r.body as string) as Ticket) : null;
  }

  private async ticketInTx(id: string): Promise<Ticket | null> {
    const [r] = await this.rows('SELECT body FROM tickets WHERE id = $1', [id]);
    return r ? (JSON.parse(r.body as string) as Ticket) : null;
  }

  async list(filter: { status?: TicketStatus | 'active'; asset?: string } = {}): Promise<Ticket[]> {
    const where: string[] = [];
    const params: DuckDBValue[] = [];
    if (filter.status === 'active') where.push(`status NOT IN ('resolved', 'closed')`);
    else if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.asset) where.push(`asset = $${params.push(filter.asset)}`);
    const rows = await this.read(
      `SELECT body FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map((r) => JSON.parse(r.body as string) as Ticket);
  }

  /**
   * Records a status reported back by the ticketing system. Status moves forward only
   * (open -> acknowledged -> in_progress -> resolved -> closed, steps may be skipped); `resolved`
   * needs faultConfirmed. Resolving or closing starts the cool-down for the asset and fault mode.
   */
  async setStatus(id: string, u: StatusUpdate): Promise<Ticket> {
    if (!STATUSES.includes(u.status))
      throw new InputError(`ticket ${id}: status: expected one of ${STATUSES.join(', ')}, got "${u.status}"`);
    if (u.status === 'resolved' && u.faultConfirmed === undefined)
      throw new InputError(
        `ticket ${id}: faultConfirmed: resolving a ticket needs "fault confirmed" yes or no`,
      );
    return this.tx(async () => {
      const t = await this.ticketInTx(id);
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
      // the status change is an outbox event too (same transaction), so connectors can follow the
      // lifecycle (resolve the PagerDuty incident, transition the Jira request, ...)
      t.version += 1;
      await this.writeTicket(t, false);
      await this.enqueue(
        makeEvent(statusEventKind(u.status as Exclude<TicketStatus, 'open'>), t, iso(at)),
        Date.now(),
      );
      await this.exec('INSERT INTO ticket_history VALUES ($1, $2, $3, $4, $5)', [
        t.id,
        entry.seq,
        at,
        'status',
        JSON.stringify(entry),
      ]);
      if (closing && from < STATUSES.indexOf('resolved')) {
        const state = await this.keyState(t.asset, t.faultMode);
        await this.saveWatch(t.asset, t.faultMode, { ...state, lastClosedAt: at, streak: 0 });
      }
      return t;
    });
  }

  /** Resolved tickets with "fault confirmed" as labels the models can learn from. */
  async labels(): Promise<TicketLabel[]> {
    const rows = await this.read('SELECT body FROM tickets WHERE fault_confirmed IS NOT NULL ORDER BY id');
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

  /**
   * The pull feed: every ticket event after the cursor `after` (an event id; 0 for the start), in
   * the order written, whatever its delivery state. A system that pulls instead of receiving
   * webhooks keeps the last event id it applied and asks for the ones after it.
   */
  async feed(after = 0, limit = 100): Promise<{ events: OutboxRecord[]; next: number }> {
    const rows = await this.read('SELECT * FROM outbox WHERE event_id > $1 ORDER BY event_id LIMIT $2', [
      Math.trunc(after),
      Math.trunc(limit),
    ]);
    const events = rows.map((r) => outboxRecord(r));
    return { events, next: events.length ? events[events.length - 1].eventId : after };
  }

  /**
   * Events that may be sent now: per ticket only the earliest undelivered event (create before
   * update), and only when it is pending and due. An earlier dead-lettered event blocks the rest.
   */
  async due(now: number): Promise<OutboxRecord[]> {
    const rows = await this.exclusive(() =>
      this.rows(
        `SELECT o.* FROM outbox o
       WHERE o.state = 'pending' AND o.next_attempt_at <= $1
         AND o.version = (SELECT min(x.version) FROM outbox x WHERE x.ticket_id = o.ticket_id AND x.state <> 'delivered')
       ORDER BY o.event_id`,
        [now],
      ),
    );
    return rows.map((r) => outboxRecord(r));
  }

  /** Due events nobody holds, leased to `worker` until now + leaseMs (see TicketStore.claimDue). */
  async claimDue(now: number, worker: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    return this.tx(async () => {
      const rows = await this.rows(
        `SELECT o.* FROM outbox o
         WHERE o.state = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
           AND o.version = (SELECT min(x.version) FROM outbox x WHERE x.ticket_id = o.ticket_id AND x.state <> 'delivered')
         ORDER BY o.event_id LIMIT $2`,
        [now, Math.max(0, Math.trunc(limit))],
      );
      for (const r of rows)
        await this.exec('UPDATE outbox SET claimed_by = $2, lease_until = $3 WHERE event_id = $1', [
          r.event_id,
          worker,
          now + leaseMs,
        ]);
      return rows.map((r) => outboxRecord(r));
    });
  }

  /** The earliest time a pending event becomes due or its lease ends (null: nothing pending). */
  async nextDue(): Promise<number | null> {
    const [r] = await this.exclusive(() =>
      this.rows(
        `SELECT min(greatest(next_attempt_at, coalesce(lease_until, 0))) AS t FROM outbox o WHERE o.state = 'pending'
         AND o.version = (SELECT min(x.version) FROM outbox x WHERE x.ticket_id = o.ticket_id AND x.state <> 'delivered')`,
      ),
    );
    return r.t === null ? null : num(r.t);
  }

  async pendingCount(): Promise<number> {
    const [r] = await this.exclusive(() =>
      this.rows(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`),
    );
    return num(r.n);
  }

  /** Records one URL's acceptance; the event is delivered when every URL in `urls` has accepted. */
  async markDelivered(eventId: number, url: string, urls: string[], now: number): Promise<OutboxState> {
    return this.tx(async () => {
      const [r] = await this.rows('SELECT delivered_to FROM outbox WHERE event_id = $1', [eventId]);
      const done = new Set(JSON.parse(r.delivered_to as string) as string[]);
      done.add(url);
      const all = urls.every((u) => done.has(u));
      await this.exec(
        `UPDATE outbox SET delivered_to = $2, state = $3, delivered_at = $4, last_error = NULL WHERE event_id = $1`,
        [eventId, JSON.stringify([...done]), all ? 'delivered' : 'pending', all ? now : null],
      );
      return all ? 'delivered' : 'pending';
    });
  }

  /** Records a failed attempt: retried at `nextAttemptAt`, or dead-lettered (with every later event of the ticket). */
  async markFailed(
    eventId: number,
    error: string,
    o: { nextAttemptAt: number; dead: boolean },
  ): Promise<void> {
    await this.tx(async () => {
      await this.exec(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, state = $4, claimed_by = NULL, lease_until = NULL WHERE event_id = $1`,
        [eventId, error, o.nextAttemptAt, o.dead ? 'dead' : 'pending'],
      );
      if (o.dead)
        await this.exec(
          `UPDATE outbox SET state = 'dead', last_error = 'an earlier event of this ticket was dead-lettered: ' || $2
           WHERE state = 'pending' AND ticket_id = (SELECT ticket_id FROM outbox WHERE event_id = $1)
             AND version > (SELECT version FROM outbox WHERE event_id = $1)`,
          [eventId, error],
        );
    });
  }

  /**
   * Requeues dead-lettered events (all, or those of the given tickets / event ids): pending again,
   * due now, with a fresh age so the dispatcher's maximum age counts from the retry.
   */
  async retry(select: { ticketIds?: string[]; eventIds?: number[] } = {}, now = Date.now()): Promise<number> {
    const where: string[] = [`state = 'dead'`];
    if (select.ticketIds?.length)
      where.push(`ticket_id IN (${select.ticketIds.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')})`);
    if (select.eventIds?.length)
      where.push(`event_id IN (${select.eventIds.map((n) => Math.trunc(n)).join(', ')})`);
    const r = await this.exclusive(() =>
      this.db.run(
        `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1, created_at = $1, claimed_by = NULL, lease_until = NULL WHERE ${where.join(' AND ')}`,
        [now],
      ),
    );
    return Number(r.rowsChanged);
  }
}
