/**
 * The demo's HTML report (`<home>/demo/report.html`): what the run did and what came out of it,
 * with charts rendered to SVG (the notebooks' Report), readable offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatDuration } from '../../core/index.ts';
import { rulBacktestChart } from '../../models/index.ts';
import type { ExperimentResult } from '../../simulation/index.ts';
import type { DemoResult } from '../../app/demo.ts';
import { num, Report } from '../report/html-report.ts';
import { ticketsByModeSpec } from '../report/tickets-by-mode-chart.ts';

const DAY = 86_400_000;
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${num(100 * x, 1)}%`);

export async function writeDemoReport(file: string, r: DemoResult): Promise<string> {
  const rep = new Report(
    'report',
    'leadtime demo: from vibration to staffing',
    performance.now() - r.seconds * 1000,
  );
  rep.p(
    `A synthetic fleet of ${r.fleet.assets} bearings run to failure (${r.fleet.snapshots} vibration snapshots, ${r.stored.samples + r.stored.features} rows in the telemetry store), ` +
      'a walk-forward backtest of anomaly alerts and RUL, predictive tickets through the ticket policy, and the service desk simulated with and without them.',
  );
  rep.h2('Alerts and RUL (walk-forward backtest)');
  const b = r.backtest;
  rep.p(
    `Detection rate **${pct(b.detectionRate)}**, **${num(b.falseAlarmsPerAssetMonth, 3)} false alarms per asset-month**` +
      (b.leadTimes
        ? `, first alerts ${formatDuration(b.leadTimes.min)} to ${formatDuration(b.leadTimes.max)} before failure (median ${formatDuration(b.leadTimes.median)})`
        : '') +
      `; mean prognostic horizon ${b.meanPrognosticHorizon === null ? '–' : formatDuration(b.meanPrognosticHorizon)}.`,
  );
  await rep.chart(
    {
      width: 700,
      height: 200,
      data: { values: b.perAsset.map((p) => ({ asset: p.asset, lead: (p.leadTime ?? 0) / DAY })) },
      mark: 'bar',
      encoding: {
        x: { field: 'asset', type: 'nominal', axis: { labelAngle: -45 } },
        y: { field: 'lead', type: 'quantitative', title: 'first alert before failure (days)' },
      },
    } as TopLevelSpec,
    'Lead time of the first anomaly alert per bearing.',
  );
  const dur = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatDuration(v));
  rep.p(
    `RUL after the first predicting time (${b.prognosedAssets} of ${b.assets} bearings): alpha-lambda accuracy (alpha 0.2) ` +
      b.alphaLambdaAccuracy.map((a) => `lambda ${a.lambda}: ${pct(a.fraction)}`).join(', ') +
      `; ${pct(b.nominalCoverage)} intervals cover the truth ${pct(b.intervalCoverage)} of the time; RMSE ${dur(b.rmseAfterFpt)}; ` +
      `mean prognostic horizon ${dur(b.meanPrognosticHorizon)} (median alert lead ${dur(b.leadTimes?.median)}). ` +
      `The model starts from a design prior (${r.designPrior}: the same bearing type's failures elsewhere, none of these bearings) and learns from each of this fleet's failures as it happens.`,
  );
  await rep.chart(
    rulBacktestChart(b) as unknown as TopLevelSpec,
    'Predicted RUL (line) with its interval (band) against the true RUL (dashed), walk-forward, every bearing with predictions.',
  );
  rep.h2('Predictive tickets');
  const t = r.tickets;
  rep.p(
    `${t.tickets} tickets opened (${Object.entries(t.openedByPriority)
      .map(([p, n]) => `${p} ${n}`)
      .join(
        ', ',
      )}), ${t.upgrades} upgrades; ${t.ticketedAhead} of ${t.failures} failures had a ticket open at least ${formatDuration(t.leadTimeMs)} ahead; ` +
      `${t.falseAlarmTickets} false-alarm tickets (${num(t.falseAlarmTicketsPerAssetMonth, 2)} per healthy asset-month).`,
  );
  rep.table(
    ['asset', 'tickets', 'false', 'ticket at failure', 'opened before failure', 'opened as'],
    t.perAsset.map((p) => [
      p.asset,
      p.tickets,
      p.falseAlarmTickets,
      p.ticketAtFailure?.id ?? 'none',
      p.ticketAtFailure ? formatDuration(p.ticketAtFailure.leadTimeMs) : '–',
      p.ticketAtFailure?.openedAs ?? '–',
    ]),
  );
  rep.p(
    `The ticket store (what the dashboard and \`leadtime tickets list\` show) holds these ${r.storeTickets.length} tickets:`,
  );
  rep.table(
    ['ticket', 'asset', 'priority', 'status', 'opened', 'fault confirmed'],
    r.storeTickets.map((x) => [
      x.id,
      x.asset,
      x.priority,
      x.status,
      x.openedAt,
      x.faultConfirmed === null ? '–' : x.faultConfirmed ? 'yes' : 'no',
    ]),
  );
  rep.h2('The service desk, reactive and predictive');
  rep.p(
    `The service-desk scenario with the fleet's load replayed from ticket logs on top of its own demand. Reactive: each of the ${r.logs.breakdownsReactive} bearing failures arrives as a P1 breakdown (${r.logs.reactive}). ` +
      `Predictive: the ${r.logs.predictiveTickets} tickets above, exported as a ticket log (${r.logs.planned}), arrive as planned work on site at their opening times and priorities, and the ${r.logs.breakdownsPredictive} failures no ticket announced 24 h ahead still arrive as breakdowns. ` +
      'Means over replications with 95% confidence intervals; same random numbers for both.',
  );
  const rows = (['reactive', 'predictive'] as const).flatMap((mode) => {
    const res = mode === 'reactive' ? r.reactive : r.predictive;
    return Object.entries(res.priorities).map(([p, v]) => ({
      mode,
      priority: p,
      tickets: v!.count.mean ?? 0,
      resolveSla:
        v!.resolve.sla?.attainment.mean === null || !v!.resolve.sla
          ? null
          : 100 * v!.resolve.sla.attainment.mean!,
    }));
  });
  await rep.chart(
    ticketsByModeSpec(rows, 380),
    'Tickets per priority: announced faults move from breakdown priorities to planned work.',
  );
  const cost = (res: ExperimentResult) =>
    Object.values(res.pools).reduce((s, p) => s + (p.cost.mean ?? 0), 0);
  rep.table(
    ['', ...Object.keys(r.reactive.priorities).map((p) => `${p} resolve SLA`), 'staff cost'],
    [
      [
        'reactive',
        ...Object.values(r.reactive.priorities).map((v) => pct(v!.resolve.sla?.attainment.mean)),
        num(cost(r.reactive), 0),
      ],
      [
        'predictive',
        ...Object.values(r.predictive.priorities).map((v) => pct(v!.resolve.sla?.attainment.mean)),
        num(cost(r.predictive), 0),
      ],
    ],
  );
  return rep.writeTo(file, { seed: r.reactive.seed });
}
