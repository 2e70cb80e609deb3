/**
 * The ticket desk's rules, as one pure function from (the state of an asset and fault mode, an
 * evaluation) to a decision: open a ticket after K consecutive ticket-worthy evaluations
 * (hysteresis), never while a ticket for the same asset and fault mode is open, nor within the
 * cool-down after one was resolved or closed; upgrade an open ticket when a worse prediction
 * arrives (with a history entry and an event); never downgrade it silently: a better prediction is
 * only noted in the history. An evaluation no newer (in `t`) than the last one applied for the same
 * asset and fault mode is stale and changes nothing, so re-applying a file is harmless. Both the DuckDB ticket store and the backtest's in-memory book apply
 * these decisions, so the CLI and the backtest follow the same policy.
 */
import { MS } from '../../core/index.ts';
import { assess, msPerUnit, type Assessment } from './tier-assessment.ts';
import type { Evaluation } from '../evaluation.ts';
import { rank, type Priority, type TicketPolicy } from './ticket-policy.ts';
import {
  iso,
  makeEvent,
  parseModelRef,
  type HistoryEntry,
  type Ticket,
  type TicketEvent,
} from '../ticket.ts';
import { addWorkingTime } from './working-time.ts';

/** What the desk remembers per asset and fault mode. */
export interface KeyState {
  open: Ticket | null;
  /** when the last ticket was resolved or closed (epoch ms) */
  lastClosedAt: number | null;
  /** consecutive ticket-worthy evaluations while no ticket is open */
  streak: number;
  /** the priority the last evaluation asked for (null: none) */
  lastAssessed: Priority | null;
  /** t of the last evaluation applied (asset time unit): an evaluation at or before it is stale */
  lastT: number | null;
}

export const emptyState = (): KeyState => ({
  open: null,
  lastClosedAt: null,
  streak: 0,
  lastAssessed: null,
  lastT: null,
});

export type Decision =
  | { action: 'none' | 'stale'; state: KeyState; assessment: Assessment }
  | { action: 'pending'; state: KeyState; assessment: Assessment }
  | { action: 'cooldown'; state: KeyState; assessment: Assessment; until: number }
  | {
      action: 'open' | 'upgrade';
      state: KeyState;
      assessment: Assessment;
      ticket: Ticket;
      event: TicketEvent;
    }
  | { action: 'improved'; state: KeyState; assessment: Assessment; ticket: Ticket };

export interface DecideOptions {
  /** wall clock for cycle assets without `at` (default Date.now()) */
  now?: number;
  /** names the record in errors */
  position?: string;
}

/** The evaluation's wall-clock time: `at`, else t for ms assets, else now. */
export function evaluationTime(e: Evaluation, now: number): number {
  if (typeof e.at === 'number') return e.at;
  if (typeof e.at === 'string') return Date.parse(e.at);
  return (e.timeUnit ?? 'ms') === 'ms' ? e.t : now;
}

export const faultModeOf = (e: Evaluation, policy: TicketPolicy): string =>
  e.faultMode ?? policy.defaultFaultMode;

export function decide(
  state: KeyState,
  e: Evaluation,
  policy: TicketPolicy,
  newId: () => string,
  o: DecideOptions = {},
): Decision {
  const position = o.position ?? e.asset;
  const a = assess(e, policy, position);
  const at = evaluationTime(e, o.now ?? Date.now());
  // the same data evaluated again (a re-run, a replayed file) is not a new evaluation: it must not
  // advance the hysteresis count nor change a ticket
  if (state.lastT !== null && e.t <= state.lastT) return { action: 'stale', state, assessment: a };
  const next: KeyState = { ...state, lastAssessed: a.priority, lastT: e.t };
  const open = state.open;
  if (open) {
    if (a.priority && rank(a.priority) < rank(open.priority)) {
      const ticket = structuredClone(open);
      const from = ticket.priority;
      ticket.priority = a.priority;
      ticket.version += 1;
      ticket.updatedAt = iso(at);
      // the new tier's targets from now, but never later than the ones already promised
      const sla = slaFor(a.priority, at, policy);
      ticket.sla = {
        respondBy: minIso(ticket.sla.respondBy, sla.respondBy)!,
        onsiteBy: minIso(ticket.sla.onsiteBy, sla.onsiteBy),
        resolveBy: minIso(ticket.sla.resolveBy, sla.resolveBy)!,
      };
      Object.assign(ticket, predictionFields(e, a, at, policy, position));
      pushHistory(ticket, {
        at: iso(at),
        kind: 'upgraded',
        from,
        to: a.priority,
        note: a.reasons.join('; '),
      });
      return {
        action: 'upgrade',
        state: { ...next, open: ticket },
        assessment: a,
        ticket,
        event: makeEvent('ticket.upgraded', ticket, iso(at)),
      };
    }
    if (
      a.priority !== state.lastAssessed &&
      (a.priority === null || rank(a.priority) > rank(open.priority))
    ) {
      const ticket = structuredClone(open);
      pushHistory(ticket, {
        at: iso(at),
        kind: 'improved',
        from: open.priority,
        to: a.priority ?? 'none',
        note: `prediction now asks for ${a.priority ?? 'no ticket'}${a.reasons.length ? ` (${a.reasons.join('; ')})` : ''}; priority kept at ${open.priority} (no silent downgrade)`,
      });
      return { action: 'improved', state: { ...next, open: ticket }, assessment: a, ticket };
    }
    return { action: 'none', state: next, assessment: a };
  }
  if (!a.priority) return { action: 'none', state: { ...next, streak: 0 }, assessment: a };
  if (state.lastClosedAt !== null && at < state.lastClosedAt + policy.cooldownMs)
    return {
      action: 'cooldown',
      state: { ...next, streak: 0 },
      assessment: a,
      until: state.lastClosedAt + policy.cooldownMs,
    };
  const streak = state.streak + 1;
  if (streak < policy.hysteresis) return { action: 'pending', state: { ...next, streak }, assessment: a };
  const id = newId();
  const sla = slaFor(a.priority, at, policy);
  const ticket: Ticket = {
    id,
    idempotencyKey: `${id}:1`,
    asset: e.asset,
    faultMode: faultModeOf(e, policy),
    priority: a.priority,
    status: 'open',
    openedAt: iso(at),
    updatedAt: iso(at),
    ...predictionFields(e, a, at, policy, position),
    sla,
    faultConfirmed: null,
    resolvedAt: null,
    closedAt: null,
    version: 1,
    history: [],
  };
  pushHistory(ticket, {
    at: iso(at),
    kind: 'opened',
    to: a.priority,
    note: `${a.reasons.join('; ')} (${streak} consecutive evaluation${streak > 1 ? 's' : ''})`,
  });
  return {
    action: 'open',
    state: { ...next, streak: 0, open: ticket },
    assessment: a,
    ticket,
    event: makeEvent('ticket.created', ticket, iso(at)),
  };
}

/** SLA deadlines of a tier for a ticket opened (or upgraded) at `at`. */
export function slaFor(p: Priority, at: number, policy: TicketPolicy): Ticket['sla'] {
  const s = policy.sla[p];
  const resolveBy =
    s.resolveClock === 'working' ? addWorkingTime(at, s.resolveMs, policy.workingHours) : at + s.resolveMs;
  return {
    respondBy: iso(at + s.respondMs),
    onsiteBy: s.onsiteMs === null ? null : iso(at + s.onsiteMs),
    resolveBy: iso(resolveBy),
  };
}

function minIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function pushHistory(t: Ticket, entry: Omit<HistoryEntry, 'seq'>): void {
  t.history.push({ seq: t.history.length + 1, ...entry });
}

/** The prediction-derived fields of a ticket: RUL, predicted failure time, model, evidence. */
function predictionFields(
  e: Evaluation,
  a: Assessment,
  at: number,
  policy: TicketPolicy,
  position: string,
): Pick<Ticket, 'rul' | 'predictedFailureAt' | 'model' | 'evidence'> {
  const unit = e.timeUnit ?? 'ms';
  const window = policy.evidenceWindowMs / msPerUnit(e, policy, position);
  const from = e.t - window;
  const hours = (ms: number) => +(ms / MS.h).toFixed(3);
  const indicators = (e.indicators ?? []).slice(0, 5);
  const base = `/v1/assets/${encodeURIComponent(e.asset)}/series`;
  const plots = indicators.map(
    (i) => `${base}?channel=${encodeURIComponent(i.channel)}&from=${from}&to=${e.t}`,
  );
  return {
    rul:
      e.rul === undefined || a.rulMs === null
        ? null
        : {
            estimate: e.rul,
            lower: e.lower ?? e.rul,
            upper: e.upper ?? e.rul,
            coverage: e.coverage ?? null,
            timeUnit: unit,
            hours: {
              estimate: hours(a.rulMs.estimate),
              lower: hours(a.rulMs.lower),
              upper: hours(a.rulMs.upper),
            },
          },
    predictedFailureAt: a.rulMs === null ? null : iso(at + a.rulMs.estimate),
    model: parseModelRef(e.model),
    evidence: {
      evaluatedAt: iso(at),
      prediction:
        e.rul === undefined
          ? null
          : {
              t: e.t,
              rul: e.rul,
              lower: e.lower,
              upper: e.upper,
              coverage: e.coverage,
              healthIndex: e.healthIndex,
              ...(e.firstPredictingT !== undefined && { firstPredictingT: e.firstPredictingT }),
            },
      anomaly: e.anomaly ? { ...e.anomaly, level: a.anomalyLevel ?? 'normal' } : null,
      indicators,
      reasons: a.reasons,
      links: {
        asset: e.asset,
        from,
        to: e.t,
        timeUnit: unit,
        series: plots[0] ?? `${base}?from=${from}&to=${e.t}`,
        plots,
      },
    },
  };
}
