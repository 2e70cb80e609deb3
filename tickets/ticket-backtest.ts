/**
 * Ticket backtest on a run-to-failure fleet with ground truth: walks forward over time through every
 * asset's evaluations (the walk-forward RUL predictions of `backtest()`, whose model only knows
 * assets that had failed by then, and the Mahalanobis anomaly score against its alarm threshold),
 * opens tickets through the ticket policy, and plays the service visit:
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
import {
  ANOMALY_DEFAULTS,
  backtest,
  MahalanobisDetector,
  type BacktestAsset,
  type BacktestOptions,
} from '../models/index.ts';
import { MemoryTicketBook } from './store/memory-ticket-book.ts';
import type { Evaluation } from './evaluation.ts';
import { PRIORITIES, ticketPolicy, type Priority, type TicketPolicy } from './policy/ticket-policy.ts';
import type { Ticket } from './ticket.ts';

export interface TicketBacktestAsset extends BacktestAsset {
  onsetT: number;
}

/** One evaluation of the walk, with the asset's ground truth. */
export interface TruthEvaluation extends Evaluation {
  at: number;
}

export interface TicketBacktestOptions {
  policy: TicketPolicy;
  /** warning a ticket must give to count (default 24 h) */
  leadTimeMs?: number;
  channels: string[];
  falseAlarmRate?: number;
  baselineFraction?: number;
  rul?: BacktestOptions['rul'];
  /** model reference written into the tickets' evidence */
  modelRef?: string;
  /** length of a month for the false-alarm rate (default 30 days) */
  monthMs?: number;
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

/** The walk's evaluations, in time order: RUL predictions merged with anomaly scores at every row. */
export function fleetEvaluations(assets: TicketBacktestAsset[], o: TicketBacktestOptions): TruthEvaluation[] {
  const detector = MahalanobisDetector.fit(assets, o.channels, {
    fraction: o.baselineFraction ?? ANOMALY_DEFAULTS.baselineFraction,
    falseAlarmRate: o.falseAlarmRate ?? ANOMALY_DEFAULTS.falseAlarmRate,
  });
  const rul = o.rul
    ? backtest(assets, { channels: o.channels, leadTime: o.leadTimeMs ?? MS.d, rul: o.rul })
    : null;
  const out: TruthEvaluation[] = [];
  for (const a of assets) {
    const preds = new Map(
      (rul?.perAsset.find((p) => p.asset === a.asset)?.predictions ?? []).map((p) => [p.t, p]),
    );
    const { score, threshold } = detector.score(a);
    for (let i = 0; i < a.t.length; i++) {
      const t = a.t[i];
      const p = preds.get(t);
      out.push({
        asset: a.asset,
        t,
        at: t,
        ...(p
          ? { model: o.modelRef ?? 'similarity@walk-forward', rul: p.rul, lower: p.lower, upper: p.upper }
          : {}),
        anomaly: { score: score[i], threshold, detector: 'mahalanobis' },
        indicators: detector
          .contributions(a, i)
          .slice(0, 3)
          .map((c) => ({ channel: c.channel, contribution: +c.contribution.toPrecision(4) })),
      });
    }
  }
  return out.sort((x, y) => x.at - y.at || (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
}

/** Plays evaluations through the policy with simulated visits; see the file comment. */
export function playTickets(
  evaluations: TruthEvaluation[],
  truth: { asset: string; onsetT: number; failureT: number; startT: number }[],
  policy: TicketPolicy,
  leadTimeMs: number = MS.d,
  monthMs: number = 30 * MS.d,
): TicketBacktestReport {
  const book = new MemoryTicketBook(policy);
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
  const advance = (now: number) => {
    for (const t of book.tickets.values()) {
      if (t.status === 'resolved' || t.status === 'closed') continue;
      const truthOf = byAsset.get(t.asset)!;
      const visit = visitDue(t);
      if (visit <= now && visit < truthOf.onsetT && visit < truthOf.failureT) {
        book.setStatus(t.id, 'resolved', visit, false);
        outcome.get(t.asset)!.falseAlarmTickets++;
      }
    }
    for (const tr of truth) {
      if (failed.has(tr.asset) || tr.failureT > now) continue;
      failed.add(tr.asset);
      const o = outcome.get(tr.asset)!;
      for (const t of book.tickets.values()) {
        if (t.asset !== tr.asset || t.status === 'resolved' || t.status === 'closed') continue;
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
        book.setStatus(t.id, 'resolved', tr.failureT, true);
      }
      o.ahead = o.ticketAtFailure !== null && o.ticketAtFailure.leadTimeMs >= leadTimeMs;
    }
  };

  for (const e of evaluations) {
    advance(e.at);
    if (failed.has(e.asset)) continue;
    const d = book.apply(e);
    if (d.action === 'open') {
      outcome.get(e.asset)!.tickets++;
      openedAs.set(d.ticket.id, d.ticket.priority);
    }
    if (d.action === 'upgrade') upgrades++;
  }
  advance(Infinity);

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
    tickets: book.tickets.size,
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
    ticketList: [...book.tickets.values()],
  };
}

/** The whole ticket backtest: evaluations from the models, then the policy walk. */
export function ticketBacktest(
  assets: TicketBacktestAsset[],
  o: TicketBacktestOptions,
): TicketBacktestReport {
  const evaluations = fleetEvaluations(assets, o);
  return playTickets(
    evaluations,
    assets.map((a) => ({ asset: a.asset, onsetT: a.onsetT, failureT: a.failureT, startT: a.t[0] })),
    o.policy,
    o.leadTimeMs ?? MS.d,
    o.monthMs,
  );
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
