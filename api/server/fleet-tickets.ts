/**
 * From fleet health to predictive tickets inside the server: every stored row not yet evaluated
 * becomes an evaluation (its anomaly score against the threshold, with the top indicators, and the
 * RUL with its interval where the health model has one) and goes through the ticket policy, in time
 * order, so hysteresis and upgrades behave as they would live. Rows are evaluated once: the server
 * remembers the last evaluated time per asset.
 */
import type { Evaluation } from '../../tickets/index.ts';
import type { ServerContext } from './context.ts';
import type { FleetHealthSnapshot } from '../../app/fleet-health.ts';

export function newEvaluations(snapshot: FleetHealthSnapshot, evaluated: Map<string, number>): Evaluation[] {
  const out: Evaluation[] = [];
  for (const [asset, h] of snapshot.byAsset) {
    const after = evaluated.get(asset) ?? -Infinity;
    const rul = new Map(h.history.rul.map((p) => [p.t, p]));
    for (const p of h.history.anomalyScore) {
      if (p.t <= after) continue;
      const r = rul.get(p.t);
      out.push({
        asset,
        t: p.t,
        ...(h.timeUnit === 'ms' && { at: p.t }),
        timeUnit: h.timeUnit === 'cycle' ? 'cycle' : 'ms',
        ...(r && { model: 'similarity@fleet', rul: r.rul, lower: r.lower, upper: r.upper, coverage: 0.9 }),
        anomaly: { score: p.value, threshold: h.anomaly.threshold, detector: h.anomaly.detector },
        ...(p.t === h.t && { indicators: h.anomaly.contributors }),
      });
    }
  }
  return out.sort((a, b) => a.t - b.t || (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
}

/** Evaluates the rows stored since the last call and applies them through the policy. */
export async function evaluateFleet(ctx: ServerContext) {
  const snapshot = await ctx.health.get();
  if (!snapshot.available) return { evaluated: 0, results: [], reason: snapshot.reason };
  const evaluations = newEvaluations(snapshot, ctx.evaluatedUpTo);
  if (!ctx.tickets) return { evaluated: 0, results: [], reason: 'the ticket store is not open' };
  const results = await ctx.tickets.apply(evaluations, ctx.ticketPolicy, {
    positions: evaluations.map((e) => `${e.asset} t=${e.t}`),
  });
  for (const e of evaluations)
    ctx.evaluatedUpTo.set(e.asset, Math.max(ctx.evaluatedUpTo.get(e.asset) ?? -Infinity, e.t));
  return { evaluated: evaluations.length, results };
}
