/**
 * Reactive against predictive maintenance, through the ticket-log contract: the fleet's load on the
 * service desk is written as ticket logs (the format `leadtime tickets export` writes and any
 * ticketing tool's export maps onto) and replayed by the simulator on top of the desk's own demand.
 *   - reactive: every failure arrives as a P1 hardware breakdown at its failure time, entering the
 *     desk's first stage (triage);
 *   - predictive: the tickets the ticket policy opened (the exported ticket log: their open times
 *     and priorities) arrive as planned hardware work at the on-site stage, and the failures no
 *     ticket announced at least `leadTime` ahead still arrive as P1 breakdowns.
 * Both logs share one origin (the Monday before the fleet's first row), so the same simulated week
 * sees the same fleet. Used by `leadtime demo` and the staffing-plan notebook.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORTED_TICKET_LOG_COLUMNS } from '../core/index.ts';
import { mondayBefore, type Scenario } from '../simulation/index.ts';
import {
  csvField,
  ticketLogCsv,
  type AssetTruth,
  type TicketBacktestReport,
  type Ticket,
} from '../tickets/index.ts';

export interface FleetLoad {
  truth: AssetTruth[];
  /** the tickets the policy opened over the fleet (the ticket store's, or a backtest's) */
  tickets: Ticket[];
  /** the walk's outcome per asset: which failures had a ticket open ahead */
  walk: Pick<TicketBacktestReport, 'perAsset'>;
}

export interface ComparisonLogs {
  /** every failure as a breakdown */
  reactive: string;
  /** the exported ticket log of the policy's tickets (planned work) */
  planned: string;
  /** the failures no ticket announced ahead, as breakdowns (null when there are none) */
  missed: string | null;
  /** ISO time that every log replays as simulation time 0 */
  origin: string;
  breakdownsReactive: number;
  breakdownsPredictive: number;
  predictiveTickets: number;
}

const CATEGORY = 'hardware';

/** Failures as breakdown tickets, in the ticket-log format. */
function breakdownLog(truth: AssetTruth[]): string {
  const rows = truth.map((a) =>
    [`BD-${a.asset}`, new Date(a.failureT).toISOString(), 'P1', CATEGORY, a.asset, 'breakdown', '']
      .map(csvField)
      .join(','),
  );
  return [EXPORTED_TICKET_LOG_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Writes the ticket logs into `dir`: reactive-tickets.csv, predicted-tickets.csv, missed-failures.csv. */
export function writeComparisonLogs(dir: string, load: FleetLoad): ComparisonLogs {
  const reactive = join(dir, 'reactive-tickets.csv');
  writeFileSync(reactive, breakdownLog(load.truth));
  const planned = join(dir, 'predicted-tickets.csv');
  writeFileSync(planned, ticketLogCsv(load.tickets, CATEGORY));
  const announced = new Set(load.walk.perAsset.filter((p) => p.ahead).map((p) => p.asset));
  const missedTruth = load.truth.filter((a) => !announced.has(a.asset));
  let missed: string | null = null;
  if (missedTruth.length)
    writeFileSync((missed = join(dir, 'missed-failures.csv')), breakdownLog(missedTruth));
  const start = Math.min(...load.truth.map((a) => a.startT));
  return {
    reactive,
    planned,
    missed,
    origin: new Date(mondayBefore(start)).toISOString(),
    breakdownsReactive: load.truth.length,
    breakdownsPredictive: missedTruth.length,
    predictiveTickets: load.tickets.length,
  };
}

/** The scenario with a ticket log replayed on top of its own demand, entering `stage` (default: the first). */
function withReplay(s: Scenario, file: string, origin: string, stage?: string): Scenario {
  const out = structuredClone(s);
  out.arrivals = [...out.arrivals, { replay: { file, origin, ...(stage && { stage }) } }];
  return out;
}

/** The on-site stage of a scenario's flow, where planned visits go (else the first stage). */
export function onsiteStage(s: Scenario): string | undefined {
  return s.flow.find((f) => f.onsite)?.stage;
}

/** The reactive and predictive scenarios: breakdowns go through the first stage, planned tickets on site. */
export function comparisonScenarios(
  s: Scenario,
  logs: ComparisonLogs,
): { reactive: Scenario; predictive: Scenario } {
  const reactive = withReplay(s, logs.reactive, logs.origin);
  let predictive = logs.predictiveTickets > 0 ? withReplay(s, logs.planned, logs.origin, onsiteStage(s)) : s;
  if (logs.missed) predictive = withReplay(predictive, logs.missed, logs.origin);
  return { reactive, predictive };
}
