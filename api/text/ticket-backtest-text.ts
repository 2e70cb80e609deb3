/** The ticket walk as text (`leadtime tickets backtest`, the demo): per failure, lead times, sweeps. */
import { MS } from '../../core/index.ts';
import type { PolicySweepRow } from '../../app/fleet-backtest.ts';
import type { TicketBacktestReport } from '../../tickets/index.ts';

export function formatTicketBacktest(r: TicketBacktestReport): string {
  const d = (ms: number) => `${(ms / MS.h).toFixed(0)} h`;
  const l = r.leadTimes;
  return [
    `${r.assets} assets, ${r.failures} failures: ${r.ticketedAhead} had a ticket >= ${d(r.leadTimeMs)} ahead, ${r.ticketed} had a ticket at all`,
    `${r.tickets} tickets opened (${Object.entries(r.openedByPriority)
      .map(([p, n]) => `${p} ${n}`)
      .join(
        ', ',
      )}), ${r.upgrades} upgrades; ${r.falseAlarmTickets} false-alarm tickets (${r.falseAlarmTicketsPerAssetMonth.toFixed(2)} per healthy asset-month)`,
    l
      ? `lead time of the ticket open at failure: min ${d(l.min)}, q1 ${d(l.q1)}, median ${d(l.median)}, q3 ${d(l.q3)}, max ${d(l.max)}`
      : 'no failure had a ticket',
    l ? `  per day of lead: ${l.histogramDays.map((b) => `${b.bin} ${b.count}`).join(', ')}` : '',
    ...r.perAsset.map(
      (p) =>
        `  ${p.asset}: ${p.tickets} ticket(s), ${p.falseAlarmTickets} false; ` +
        (p.ticketAtFailure
          ? `${p.ticketAtFailure.id} opened ${d(p.ticketAtFailure.leadTimeMs)} before failure as ${p.ticketAtFailure.openedAs}, ${p.ticketAtFailure.priority} at failure`
          : 'no ticket at failure') +
        ` (defect onset ${d(p.failureT - p.onsetT)} before failure)`,
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

export function formatSweep(key: string, rows: PolicySweepRow[]): string {
  const h = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / MS.h).toFixed(0)} h`);
  return [
    `${key.padEnd(20)} ahead/failures  tickets  false alarms (per asset-month)  lead min / median / max`,
    ...rows.map(
      (r) =>
        `${String(r[key]).padEnd(20)} ${`${r.ticketedAhead}/${r.failures}`.padEnd(15)} ${String(r.tickets).padEnd(8)} ${`${r.falseAlarmTickets} (${r.falseAlarmTicketsPerAssetMonth.toFixed(2)})`.padEnd(31)} ${h(r.leadTimes?.min)} / ${h(r.leadTimes?.median)} / ${h(r.leadTimes?.max)}`,
    ),
  ].join('\n');
}
