/**
 * Opening tickets from the fleet assessment: every row not yet evaluated becomes an evaluation
 * (app/fleet-assessment.ts `evaluationsOf`) and goes through the ticket policy, in time order, so
 * hysteresis and upgrades behave as they would live. Rows are evaluated once: `evaluatedUpTo` keeps
 * the last evaluated time per asset (and the ticket store ignores evaluations not newer than the
 * last one it applied, so a restart that forgets `evaluatedUpTo` changes nothing).
 */
import type { ApplyResult, TicketPolicy, TicketStore } from '../tickets/index.ts';
import { evaluationsOf, type FleetAssessment } from './fleet-assessment.ts';

export interface FleetTicketsOutcome {
  evaluated: number;
  results: ApplyResult[];
  reason?: string;
}

export async function openFleetTickets(
  assessment: FleetAssessment,
  tickets: TicketStore,
  policy: TicketPolicy,
  evaluatedUpTo: Map<string, number> = new Map(),
): Promise<FleetTicketsOutcome> {
  if (!assessment.available) return { evaluated: 0, results: [], reason: assessment.reason };
  const evaluations = evaluationsOf(assessment, { after: evaluatedUpTo });
  const results = await tickets.apply(evaluations, policy, {
    positions: evaluations.map((e) => `${e.asset} t=${e.t}`),
  });
  for (const e of evaluations)
    evaluatedUpTo.set(e.asset, Math.max(evaluatedUpTo.get(e.asset) ?? -Infinity, e.t));
  return { evaluated: evaluations.length, results };
}
