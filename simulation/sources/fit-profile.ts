/**
 * Fits synthetic demand to a ticket log: a Poisson rate per hour of the week modelled as
 * base x hourOfDay[h] x dayOfWeek[d] (a log-linear Poisson model with two main effects), fitted by
 * maximum likelihood through iterative proportional fitting (Deming & Stephan 1940; for Poisson
 * counts IPF converges to the MLE of the main-effects model, Bishop, Fienberg & Holland,
 * "Discrete Multivariate Analysis", 1975, ch. 3). Exposure counts how many of each weekday-hour
 * the log spans, so a log that starts on a Wednesday is not biased against Mondays. Factors are
 * scaled to mean 1, so `perHour` is the average rate over a week. The priority and category mixes
 * are the log's shares.
 */
import type { LoggedTicket } from './ticket-log.ts';
import { PRIORITIES } from '../../core/vocabulary/priorities.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface FittedProfile {
  perHour: number;
  hourOfDay: number[];
  dayOfWeek: number[];
  mix: Partial<Record<(typeof PRIORITIES)[number], number>>;
  categories?: Record<string, number>;
  /** the span the fit covers (whole days, ISO), and the tickets in it */
  from: string;
  to: string;
  tickets: number;
}

/** Weekday of epoch ms, Monday = 0. */
const weekday = (ms: number) => (Math.floor(ms / DAY_MS) + 3) % 7;

export function fitArrivalProfile(tickets: readonly LoggedTicket[], iterations = 100): FittedProfile {
  if (tickets.length === 0) throw new RangeError('the log has no tickets to fit');
  const first = Math.floor(tickets[0].openedAt / DAY_MS) * DAY_MS;
  const last = Math.floor(tickets[tickets.length - 1].openedAt / DAY_MS + 1) * DAY_MS;
  const counts = Array.from({ length: 7 }, () => new Float64Array(24));
  const exposure = Array.from({ length: 7 }, () => new Float64Array(24));
  for (let t = first; t < last; t += HOUR_MS) exposure[weekday(t)][Math.floor((t % DAY_MS) / HOUR_MS)]++;
  const tierCounts = new Float64Array(PRIORITIES.length);
  const categoryCounts = new Map<string, number>();
  for (const ticket of tickets) {
    counts[weekday(ticket.openedAt)][Math.floor((ticket.openedAt % DAY_MS) / HOUR_MS)]++;
    tierCounts[ticket.tier]++;
    if (ticket.category !== null)
      categoryCounts.set(ticket.category, (categoryCounts.get(ticket.category) ?? 0) + 1);
  }
  const H = new Float64Array(24).fill(1);
  const D = new Float64Array(7).fill(1);
  const rowTotal = (d: number) => counts[d].reduce((s, v) => s + v, 0);
  const colTotal = (h: number) => counts.reduce((s, row) => s + row[h], 0);
  for (let it = 0; it < iterations; it++) {
    for (let h = 0; h < 24; h++) {
      let expected = 0;
      for (let d = 0; d < 7; d++) expected += D[d] * exposure[d][h];
      H[h] = expected > 0 ? colTotal(h) / expected : 0;
    }
    for (let d = 0; d < 7; d++) {
      let expected = 0;
      for (let h = 0; h < 24; h++) expected += H[h] * exposure[d][h];
      D[d] = expected > 0 ? rowTotal(d) / expected : 0;
    }
  }
  // rate per hour in cell (d, h) is D[d] H[h]; rescale both factors to mean 1
  const meanH = H.reduce((s, v) => s + v, 0) / 24;
  const meanD = D.reduce((s, v) => s + v, 0) / 7;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const mix: FittedProfile['mix'] = {};
  PRIORITIES.forEach((p, i) => {
    if (tierCounts[i] > 0) mix[p] = round(tierCounts[i] / tickets.length);
  });
  fixRounding(mix as Record<string, number>);
  const categorised = [...categoryCounts.values()].reduce((s, v) => s + v, 0);
  const categories =
    categorised > 0
      ? Object.fromEntries([...categoryCounts].map(([c, n]) => [c, round(n / categorised)]))
      : undefined;
  if (categories) fixRounding(categories);
  return {
    perHour: round(meanH * meanD),
    hourOfDay: Array.from(H, (v) => round(v / meanH)),
    dayOfWeek: Array.from(D, (v) => round(v / meanD)),
    mix,
    ...(categories ? { categories } : {}),
    from: new Date(first).toISOString(),
    to: new Date(last).toISOString(),
    tickets: tickets.length,
  };
}

/** Makes rounded shares sum to exactly 1 by adjusting the largest. */
function fixRounding(shares: Record<string, number>): void {
  const keys = Object.keys(shares);
  if (keys.length === 0) return;
  const total = keys.reduce((s, k) => s + shares[k], 0);
  const largest = keys.reduce((a, b) => (shares[a] >= shares[b] ? a : b));
  shares[largest] = Math.round((shares[largest] + 1 - total) * 1e4) / 1e4;
}
