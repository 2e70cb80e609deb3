/**
 * The ticket walk on a run-to-failure fleet with ground truth: walks forward over time through every
 * asset's evaluations (app/fleet-assessment.ts: walk-forward RUL whose model only knows assets that
 * had failed by then, and the anomaly score against its alarm threshold), opens tickets through the
 * ticket policy into a ticket book (in memory for backtests and sweeps, or the real ticket store, so
 * that the demo's store holds exactly the tickets its report counts), and plays the service visit:
 *   - a technician is on site at the ticket's onsiteBy (resolveBy when the visit is "planned");
 *   - before the defect's onset the fault is not there: the ticket is resolved "fault confirmed: no"
 *     (a false-alarm ticket) and the asset's cool-down starts;
 *   - from onset on the fault is found: the ticket stays open until the failure (the visit the
 *     ticket bought) and is resolved "fault confirmed: yes" then.
 * The evaluations carry no fault mode (the policy's default): the detector sees degradation, not
 * which defect causes it, so there is one ticket stream per asset.
 * Reports per failure whether a ticket was open at least `leadTime` before it, the false-alarm
 * tickets, and the lead-time distribution (failure time - opening of the ticket open at failure).
 */
import { MS, quantile } from '../core/index.ts';
import type { Evaluation } from './evaluation.ts';
import { PRIORITIES, ticketPolicy, type Priority, type TicketPolicy } from './policy/ticket-policy.ts';
import { MemoryTicketBook } from './store/memory-ticket-book.ts';
import type { TicketStore } from './store/ticket-store.ts';
import type { Ticket } from './ticket.ts';

/** One evaluation of the walk, with the asset's ground truth. */
export interface TruthEvaluation extends Evaluation {
  at: number;
}

/** The ground truth of one asset: its first row, defect onset and failure. */
export interface AssetTruth {
  asset: string;
  onsetT: number;
  failureT: number;
  startT: number;
}

/**
 * Where the walk keeps its tickets: the desk rules of the policy, in memory (`memoryBook`) or in a
 * ticket store (`storeBook`).
 */
export interface TicketBook {
  /** applies one evaluation; the ticket it opened or changed, if any */
  apply(e: TruthEvaluation): Promise<{ action: string; ticket: Ticket | null }>;
  /**
   * applies evaluations of one instant, of distinct assets, in order and together (one store
   * transaction instead of one each); offered only where that equals applying them one by one
   */
  applyInstant?(es: TruthEvaluation[]): Promise<{ action: string; ticket: Ticket | null }[]>;
  /** resolves a ticket at `at` (fault confirmed or not), starting the cool-down */
  resolve(id: string, at: number, faultConfirmed: boolean, note: string): Promise<void>;
  /** every ticket, by id */
  list(): Promise<Ticket[]>;
}

export function memoryBook(policy: TicketPolicy): TicketBook {
  const book = new MemoryTicketBook(policy);
  return {
    apply: async (e) => {
      const d = book.apply(e);
      return { action: d.action, ticket: 'ticket' in d ? d.ticket : null };
    },
    resolve: async (id, at, faultConfirmed) => void book.setStatus(id, 'resolved', at, faultConfirmed),
    list: async () => [...book.tickets.values()],
  };
}

export function storeBook(store: TicketStore, policy: TicketPolicy): TicketBook {
  // a rejected evaluation ends the walk (the demo's evaluations are the models' own, so it is a
  // defect); grouped, the instant's other evaluations are already committed when it throws
  const applyAll = async (es: TruthEvaluation[]) => {
    const results = await store.apply(es, policy, { positions: es.map((e) => `${e.asset} t=${e.t}`) });
    const out: { action: string; ticket: Ticket | null }[] = [];
    for (const r of results) {
      if (r.action === 'rejected') throw new Error(`evaluation ${r.position}: ${r.error}`);
      out.push({ action: r.action, ticket: r.ticketId ? await store.get(r.ticketId) : null });
    }
    return out;
  };
  // a visit is due strictly after the ticket opened when every SLA duration is positive: then no
  // visit falls between evaluations of one instant, and applying them together changes nothing
  const visitsAfterOpening = PRIORITIES.every((p) => {
    const s = policy.sla[p];
    return s.resolveMs > 0 && (s.onsiteMs === null || s.onsiteMs > 0);
  });
  return {
    apply: async (e) => (await applyAll([e]))[0],
    ...(visitsAfterOpening ? { applyInstant: applyAll } : {}),
    resolve: async (id, at, faultConfirmed, note) =>
      void (await store.setStatus(id, { status: 'resolved', faultConfirmed, at, note })),
    list: () => store.list(),
  };
}

export interface AssetTicketOutcome {
  asset: string;
  onsetT: number;
  failureT: number;
  tickets: number;
  falseAlarmTickets: number;
  /** the ticket open when the asset failed */
  ticketAtFailure: {
    id: string;
    openedAt: number;
    leadTimeMs: number;
    openedAs: Priority;
    priority: Priority;
  } | null;
  ahead: boolean;
}

export interface TicketBacktestReport {
  assets: number;
  failures: number;
  leadTimeMs: number;
  /** failures with a ticket open at least leadTime before them */
  ticketedAhead: number;
  /** failures with a ticket open at failure, however late */
  ticketed: number;
  tickets: number;
  falseAlarmTickets: number;
  falseAlarmTicketsPerAssetMonth: number;
  healthyAssetMonths: number;
  upgrades: number;
  openedByPriority: Record<Priority, number>;
  leadTimes: {
    valuesMs: number[];
    min: number;
    q1: number;
    median: number;
    q3: number;
    max: number;
    /** counts per whole day of lead time: "0-1d", "1-2d", ... */
    histogramDays: { bin: string; count: number }[];
  } | null;
  perAsset: AssetTicketOutcome[];
  ticketList: Ticket[];
}

/**
 * Runs of consecutive evaluations at one instant, each asset at most once in a run (one evaluation
 * per run unless `together`). Between them, `advance` plays the visits and failures: within a run
 * there are none to play (advance(t) twice in a row changes nothing when no visit is due at the
 * instant a ticket opens), so the run's evaluations can go to the book together.
 */
function* instants(evaluations: TruthEvaluation[], together: boolean): Generator<TruthEvaluation[]> {
  let run: TruthEvaluation[] = [];
  const assets = new Set<string>();
  for (const e of evaluations) {
    if (run.length && (!together || e.at !== run[0].at || assets.has(e.asset))) {
      yield run;
      run = [];
      assets.clear();
    }
    run.push(e);
    assets.add(e.asset);
  }
  if (run.length) yield run;
}

/** Plays evaluations through the policy with simulated visits; see the file comment. */
export async function playTickets(
  evaluations: TruthEvaluation[],
  truth: AssetTruth[],
  book: TicketBook,
  leadTimeMs: number = MS.d,
  monthMs: number = 30 * MS.d,
): Promise<TicketBacktestReport> {
  /** tickets not yet resolved, as last seen */
  const open = new Map<string, Ticket>();
  const byAsset = new Map(truth.map((t) => [t.asset, t]));
  const outcome = new Map<string, AssetTicketOutcome>(
    truth.map((t) => [
      t.asset,
      {
        asset: t.asset,
        onsetT: t.onsetT,
        failureT: t.failureT,
        tickets: 0,
        falseAlarmTickets: 0,
        ticketAtFailure: null,
        ahead: false,
      },
    ]),
  );
  const openedAs = new Map<string, Priority>();
  let upgrades = 0;
  const failed = new Set<string>();
  const visitDue = (t: Ticket) => Date.parse(t.sla.onsiteBy ?? t.sla.resolveBy);

  /** visits and failures up to time `now` */
  const advance = async (now: number) => {
    for (const t of [...open.values()]) {
      const truthOf = byAsset.get(t.asset)!;
      const visit = visitDue(t);
      if (visit <= now && visit < truthOf.onsetT && visit < truthOf.failureT) {
        await book.resolve(t.id, visit, false, 'technician found no fault (visit before the defect onset)');
        open.delete(t.id);
        outcome.get(t.asset)!.falseAlarmTickets++;
      }
    }
    for (const tr of truth) {
      if (failed.has(tr.asset) || tr.failureT > now) continue;
      failed.add(tr.asset);
      const o = outcome.get(tr.asset)!;
      for (const t of [...open.values()]) {
        if (t.asset !== tr.asset) continue;
        const opened = Date.parse(t.openedAt);
        const lead = tr.failureT - opened;
        if (!o.ticketAtFailure || opened < o.ticketAtFailure.openedAt)
          o.ticketAtFailure = {
            id: t.id,
            openedAt: opened,
            leadTimeMs: lead,
            openedAs: openedAs.get(t.id)!,
            priority: t.priority,
          };
        await book.resolve(t.id, tr.failureT, true, 'bearing replaced at failure');
        open.delete(t.id);
      }
      o.ahead = o.ticketAtFailure !== null && o.ticketAtFailure.leadTimeMs >= leadTimeMs;
    }
  };

  for (const group of instants(evaluations, book.applyInstant !== undefined)) {
    await advance(group[0].at);
    const live = group.filter((e) => !failed.has(e.asset));
    if (live.length === 0) continue;
    const decisions = book.applyInstant ? await book.applyInstant(live) : [await book.apply(live[0])];
    live.forEach((e, i) => {
      const d = decisions[i];
      if (d.ticket && d.ticket.status !== 'resolved' && d.ticket.status !== 'closed')
        open.set(d.ticket.id, d.ticket);
      if (d.action === 'open' && d.ticket) {
        outcome.get(e.asset)!.tickets++;
        openedAs.set(d.ticket.id, d.ticket.priority);
      }
      if (d.action === 'upgrade') upgrades++;
    });
  }
  await advance(Infinity);
  const ticketList = await book.list();

  const perAsset = [...outcome.values()];
  const leads = perAsset
    .map((p) => p.ticketAtFailure?.leadTimeMs)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  const healthyMonths =
    truth.reduce((s, t) => s + Math.max(0, Math.min(t.onsetT, t.failureT) - t.startT), 0) / monthMs;
  const falseAlarms = perAsset.reduce((s, p) => s + p.falseAlarmTickets, 0);
  const openedByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  for (const p of openedAs.values()) openedByPriority[p]++;
  let histogramDays: { bin: string; count: number }[] = [];
  if (leads.length) {
    const maxDay = Math.floor(leads[leads.length - 1] / MS.d);
    histogramDays = Array.from({ length: maxDay + 1 }, (_, d) => ({
      bin: `${d}-${d + 1}d`,
      count: leads.filter((l) => Math.floor(l / MS.d) === d).length,
    }));
  }
  return {
    assets: truth.length,
    failures: failed.size,
    leadTimeMs,
    ticketedAhead: perAsset.filter((p) => p.ahead).length,
    ticketed: leads.length,
    tickets: ticketList.length,
    falseAlarmTickets: falseAlarms,
    falseAlarmTicketsPerAssetMonth: healthyMonths > 0 ? falseAlarms / healthyMonths : 0,
    healthyAssetMonths: healthyMonths,
    upgrades,
    openedByPriority,
    leadTimes: leads.length
      ? {
          valuesMs: leads,
          min: leads[0],
          q1: quantile(leads, 0.25),
          median: quantile(leads, 0.5),
          q3: quantile(leads, 0.75),
          max: leads[leads.length - 1],
          histogramDays,
        }
      : null,
    perAsset,
    ticketList,
  };
}

/** One policy of a sweep: the value tried and the policy it gives. */
export interface PolicyVariant {
  value: string | number | boolean;
  policy: TicketPolicy;
}

const scalar = (v: string): string | number | boolean =>
  v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;

/**
 * Policies that differ from `base` in one field, e.g. `hysteresis` = 1, 2, 3 or
 * `anomaly.watchRatio` = 0.3, 0.5, 0.7; each is validated (errors name the field and value).
 */
export function policyVariants(base: TicketPolicy, key: string, values: string[]): PolicyVariant[] {
  const path = key.split('.');
  return values.map((raw) => {
    const value = scalar(raw);
    const config = structuredClone(base.config) as Record<string, unknown>;
    let node = config;
    for (const part of path.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
    return { value, policy: ticketPolicy(config, `--vary ${key}=${raw}`) };
  });
}
