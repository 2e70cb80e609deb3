/**
 * `leadtime demo` (what `npm start` runs): the main job end to end (app/demo.ts) into `<home>/demo/`,
 * printed as it goes, then the HTML report; then the dashboard is served (`--no-serve` stops after
 * the report).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { IngestSummary } from '../../ingest/index.ts';
import type { BacktestReport, ModelManifest } from '../../models/index.ts';
import type { ExperimentResult } from '../../simulation/index.ts';
import type { TicketBacktestReport } from '../../tickets/index.ts';
import type { DemoResultKind } from '../../app/demo.ts';
import { action, globals } from '../cli-support.ts';
import { startServer } from './serve.ts';
import { describe as describeSimulation } from '../text/experiment-text.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole pipeline on generated data into <home>/demo, write the report, then serve the dashboard (what npm start runs)',
    )
    .option('--no-serve', 'stop after the report')
    .option('-p, --port <n>', 'dashboard port (default 8080; 0 picks a free one)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new InvalidArgumentError(`--port expects an integer in [0, 65535], got "${v}"`);
      return n;
    })
    .action(
      action(async (opts: { serve: boolean; port?: number }, cmd: Command) => {
        const { createProgress } = await import('../../core/index.ts');
        const { DEMO_STEPS, runDemo } = await import('../../app/demo.ts');
        const { writeDemoReport } = await import('./demo-report.ts');
        const { formatBacktest } = await import('../text/backtest-text.ts');
        const { formatTicketBacktest } = await import('../text/ticket-backtest-text.ts');
        const g = globals(cmd);
        const say = (line: string) => process.stderr.write(`${line}\n`);
        const print = (line: string) => process.stdout.write(`${line}\n`);
        const printers: Record<DemoResultKind, (v: never) => string> = {
          fleet: (f: { assets: number; snapshots: number; dir: string }) =>
            `fleet: ${f.assets} assets, ${f.snapshots} vibration snapshots + scalars in ${f.dir}`,
          ingest: (s: IngestSummary) =>
            `ingest ${s.format}: ${s.records} records -> ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected} rejected`,
          store: (c: { location: string; samples: number; features: number }) =>
            `store ${c.location}: ${c.samples} samples, ${c.features} feature rows`,
          backtest: (b: { report: BacktestReport; designPrior: string }) =>
            `backtest:\n${formatBacktest(b.report, b.designPrior)}`,
          model: (m: ModelManifest) => `model: saved ${m.name}@${m.version} (${m.family}) in the registry`,
          tickets: (t: { report: TicketBacktestReport; location: string; stored: number }) =>
            `tickets:\n${formatTicketBacktest(t.report)}\nticket store ${t.location} (started afresh): ${t.stored} tickets`,
          simulation: (r: ExperimentResult) => `simulation:\n${describeSimulation(r)}`,
          predictive: (r: ExperimentResult) => `simulation (predictive):\n${describeSimulation(r)}`,
        };
        say(`leadtime demo: everything goes to ${join(g.home, 'demo')}`);
        const r = await runDemo(
          g.home,
          {
            step: (n, title) => say(`[${n}/${DEMO_STEPS}] ${title}`),
            progress: (label, total) => createProgress({ total, label, quiet: g.quiet }),
            result: (kind, value) => print(printers[kind](value as never)),
          },
          g.store,
        );
        const { ticketList: _played, ...ticketSummary } = r.tickets;
        const files = {
          'backtest.json': { ...r.backtest, designPrior: r.designPrior },
          'tickets.json': {
            ...ticketSummary,
            // the ticket store's tickets (what the dashboard and `leadtime tickets list` show)
            ticketList: r.storeTickets.map((t) => ({
              id: t.id,
              asset: t.asset,
              priority: t.priority,
              status: t.status,
              openedAt: t.openedAt,
            })),
          },
          'simulation.json': r.reactive,
          'simulation-predictive.json': r.predictive,
        };
        for (const [name, value] of Object.entries(files))
          writeFileSync(join(r.out, name), JSON.stringify(value, null, 2) + '\n');

        say(`[${DEMO_STEPS}/${DEMO_STEPS}] the report`);
        const reportFile = await writeDemoReport(join(r.out, 'report.html'), r);
        const p12 = (x: ExperimentResult) =>
          (x.priorities.P1?.count.mean ?? 0) + (x.priorities.P2?.count.mean ?? 0);
        print(
          [
            '',
            'summary:',
            `  alerts: detection ${Math.round(100 * r.backtest.detectionRate)}%, ${r.backtest.falseAlarmsPerAssetMonth.toFixed(3)} false alarms per asset-month`,
            `  tickets: ${r.storeTickets.length} opened (${r.storeTickets.map((t) => t.id).join(', ')}), ${r.tickets.ticketedAhead}/${r.tickets.failures} failures ticketed >= 24 h ahead`,
            `  service desk: P1+P2 tickets ${Math.round(p12(r.reactive))} reactive -> ${Math.round(p12(r.predictive))} predictive`,
            `  report: ${reportFile}`,
            `  results: ${Object.keys(files)
              .map((f) => join(r.out, f))
              .join(', ')}`,
            '',
          ].join('\n'),
        );
        if (!opts.serve) return;
        const server = await startServer({
          home: g.home,
          store: g.store,
          port: opts.port ?? 8080,
          host: '127.0.0.1',
          failures: r.failuresFile,
          designPrior: r.designPriorFile,
          generateToken: true,
        });
        print(`open ${server.url}/ in a browser; Ctrl-C stops (npm start -- --no-serve skips serving)`);
        await new Promise<void>((resolveStop) => {
          const stop = () => server.close().then(resolveStop, resolveStop);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}
