/** The server's door to ticket opening: the cached fleet health's assessment through app/fleet-tickets. */
import { openFleetTickets, type FleetTicketsOutcome } from '../../app/fleet-tickets.ts';
import type { ServerContext } from './context.ts';

export async function evaluateFleet(ctx: ServerContext): Promise<FleetTicketsOutcome> {
  const snapshot = await ctx.health.get();
  if (!ctx.tickets) return { evaluated: 0, results: [], reason: 'the ticket store is not open' };
  return openFleetTickets(snapshot.assessment, ctx.tickets, ctx.ticketPolicy, ctx.evaluatedUpTo);
}
